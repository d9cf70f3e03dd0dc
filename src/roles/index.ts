export { diffRoles, orderRoleChanges, type RoleChangeSteps, type RoleChanges } from "./diff";
export { MAX_ID_LENGTH, MAX_ORGANIZATION_ID_LENGTH, MAX_ROLES_PER_MEMBER } from "./limits";
export { type Finding, type MemberRolesInput, validateMemberRoles } from "./validate";
