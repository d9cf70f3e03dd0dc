/** The provider's resource types, as users write them in configuration. */
export const MEMBER_RESOURCE = "auth0roles_organization_member_roles";
export const ORGANIZATION_RESOURCE = "auth0roles_organization_roles";
