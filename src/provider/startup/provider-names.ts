import { PACKAGE_VERSION } from "../../version";

/** Where Terraform finds this provider and what it is called there. */
export const PROVIDER_TYPE = "auth0roles";
export const PROVIDER_NAMESPACE = "rolesascode";
/** Not a public registry: the provider is installed from a local plugin mirror. */
export const PROVIDER_HOSTNAME = "terraform.local";
export const PROVIDER_SOURCE = `${PROVIDER_HOSTNAME}/${PROVIDER_NAMESPACE}/${PROVIDER_TYPE}`;
/** The provider is versioned with this package: package.json says which version it is. */
export const PROVIDER_VERSION = PACKAGE_VERSION;

export const MEMBER_ROLES_RESOURCE = `${PROVIDER_TYPE}_organization_member_roles`;
export const ORGANIZATION_ROLES_RESOURCE = `${PROVIDER_TYPE}_organization_roles`;
export const ROLES_DATA_SOURCE = `${PROVIDER_TYPE}_roles`;
