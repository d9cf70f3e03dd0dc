export { diffRoles, type RoleChanges } from "./diff";
export { MAX_ROLES_PER_MEMBER } from "./limits";
export { type Finding, type MemberRolesInput, validateMemberRoles } from "./validate";
