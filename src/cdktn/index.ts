/** cdktn API (`auth0-org-member-roles/cdktn`), the same as the cdktf one: the provider construct and the OrganizationMemberRoles resource with synth-time checks. */

export type { OrganizationMemberRolesConfig } from "./generated/organization-member-roles";
export type { Auth0RolesProviderConfig } from "./generated/provider";
export { OrganizationMemberRoles } from "./organization-member-roles";
export { Auth0RolesProvider } from "./provider";
