export { chunk } from "./chunk";
export { diffRoles, isNoop, type RoleChanges } from "./diff";
export { MAX_ROLES_PER_CALL, MAX_ROLES_PER_MEMBER } from "./limits";
export { type Finding, type MemberRolesInput, validateMemberRoles } from "./validate";
