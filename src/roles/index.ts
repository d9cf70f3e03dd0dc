export { diffRoles, type RoleChanges } from "./diff";
export { MAX_ROLES_PER_MEMBER } from "./limits";
export { closestNames, editDistance, suggestionText, unknownNames } from "./names";
export { type Finding, type MemberRolesInput, validateMemberRoles } from "./validate";
