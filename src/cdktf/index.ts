/** CDKTF API: the provider construct and the OrganizationMemberRoles resource with synth-time checks. */

export type { OrganizationMemberRolesConfig } from "./generated/organization-member-roles";
export type { Auth0RolesProviderConfig } from "./generated/provider";
export { OrganizationMemberRoles } from "./organization-member-roles";
export { Auth0RolesProvider } from "./provider";
