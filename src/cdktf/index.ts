/** CDKTF API: the provider construct and the OrganizationMemberRoles and OrganizationRoles resources with synth-time checks. */

export type { OrganizationMemberRolesConfig } from "./generated/organization-member-roles";
export type { OrganizationRolesConfig } from "./generated/organization-roles";
export type { Auth0RolesProviderConfig } from "./generated/provider";
export { OrganizationMemberRoles } from "./organization-member-roles";
export { OrganizationRoles } from "./organization-roles";
export { Auth0RolesProvider } from "./provider";
