export { renderMarkdown } from "./markdown";
export { PlanInputError, parsePlanText, readPlan } from "./plan";
export { FAIL_ON_VALUES, type FailOn, policyFailures } from "./policy";
export {
  type ChangeSummary,
  changesRoles,
  type DriftSummary,
  type PrivilegedChange,
  type Review,
  type RoleRef,
  sensitivePatterns,
  summarize,
  type Totals,
} from "./summary";
export { ManagementTenantReader, NoTenantReader, type TenantReader } from "./tenant";
