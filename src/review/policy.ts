import type { Review } from "./summary";

export type FailOn = "privileged" | "revoke";

export const FAIL_ON_VALUES: readonly FailOn[] = ["privileged", "revoke"];

/** One line per policy the review breaks; empty when the plan passes every gate asked for. */
export function policyFailures(review: Review, failOn: readonly FailOn[]): string[] {
  const failures: string[] = [];
  const t = review.totals;
  if (failOn.includes("privileged") && t.privileged_changes > 0) {
    failures.push(`--fail-on privileged: the plan makes ${t.privileged_changes} privileged role change(s).`);
  }
  const revoked = t.roles_revoked + t.roles_revoked_unmanaged;
  if (failOn.includes("revoke") && revoked > 0) {
    failures.push(`--fail-on revoke: the plan revokes ${revoked} role assignment(s).`);
  }
  return failures;
}
