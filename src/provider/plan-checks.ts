/**
 * `plan_checks`: what a plan does with findings that fail the apply unless another resource of the
 * same apply changes the tenant first (an organization that does not exist, a user who is not a
 * member). "warn" (the default) keeps such a plan green, since creating the membership in the same
 * apply (the official provider's auth0_organization_member) is a common and correct setup; "error"
 * fails it, for teams whose memberships exist before their roles are applied.
 */
import { attributePath, type Diagnostic, errorDiag } from "./protocol/diagnostics";
import type { TfObject } from "./protocol/values";

export const PLAN_CHECKS = "plan_checks";
export type PlanChecks = "warn" | "error";
export const PLAN_CHECKS_DEFAULT: PlanChecks = "warn";
const VALUES: readonly PlanChecks[] = ["warn", "error"];

function isPlanChecks(value: unknown): value is PlanChecks {
  return VALUES.includes(value as PlanChecks);
}

export function validatePlanChecks(config: TfObject): Diagnostic[] {
  const value = config[PLAN_CHECKS];
  if (typeof value !== "string" || isPlanChecks(value)) return [];
  return [
    errorDiag(
      `Invalid \`${PLAN_CHECKS}\``,
      `\`${PLAN_CHECKS}\` must be "warn" (the default: a plan warns about an organization or membership that does not exist yet) or "error" (such a plan fails), got ${JSON.stringify(value)}.`,
      attributePath(PLAN_CHECKS),
    ),
  ];
}

/** The block's value; callers validate first. */
export function resolvePlanChecks(config: TfObject): PlanChecks {
  const value = config[PLAN_CHECKS];
  return isPlanChecks(value) ? value : PLAN_CHECKS_DEFAULT;
}
