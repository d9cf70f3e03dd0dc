/**
 * What the cdktf and cdktn packages build their constructs from (`auth0-org-member-roles/constructs`):
 * the synth-time checks and the provider files written beside each stack. Loads no CDK library.
 */
export type { ConstructLibrary, IConstruct } from "./library";
export { addMemberRolesChecks } from "./member-roles";
export { addOrganizationRolesChecks } from "./organization-roles";
export { addProviderFiles } from "./provider-files";
export { RoleNameReferences } from "./role-names";
