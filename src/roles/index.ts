export { diffRoles, orderRoleChanges, type RoleChangeSteps, type RoleChanges } from "./diff";
export { MAX_ROLES_PER_MEMBER } from "./limits";
export { closestNames, editDistance, suggestionText, unknownNames } from "./names";
export {
  checkListing,
  type ListingCheck,
  type MemberChange,
  type MemberRolesMap,
  type MemberStep,
  memberSteps,
  membersToChange,
} from "./organization";
export { type Finding, type MemberRolesInput, validateMemberRoles } from "./validate";
export {
  type OrganizationFinding,
  type OrganizationRolesInput,
  validateOrganizationRoles,
} from "./validate-organization";
