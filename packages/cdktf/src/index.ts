/**
 * CDKTF API (`auth0-org-member-roles-cdktf`): the provider construct, the OrganizationMemberRoles and OrganizationRoles resources with
 * synth-time checks, Auth0Roles (`roles.id("billing")`) and the roles data source it is built on.
 */
export { Auth0Roles, type Auth0RolesConfig } from "./auth0-roles";
export { DataAuth0RolesRoles, type DataAuth0RolesRolesConfig } from "./generated/data-auth0roles-roles";

export type { OrganizationMemberRolesConfig } from "./generated/organization-member-roles";
export type { OrganizationRolesConfig } from "./generated/organization-roles";
export type { Auth0RolesProviderConfig } from "./generated/provider";
export { OrganizationMemberRoles } from "./organization-member-roles";
export { OrganizationRoles } from "./organization-roles";
export { Auth0RolesProvider } from "./provider";
