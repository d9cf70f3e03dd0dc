import { userIdKeyProblem, validateMemberRoles } from "./validate";

const EMPTY_KEY =
  "members has an empty user id as a key. Use the Auth0 user id of the member (like auth0|abc123), shown on the user's page in the Auth0 dashboard.";

/** A finding about the whole-organization resource: `member` names the key of `members` at fault. */
export interface OrganizationFinding {
  readonly severity: "error" | "warning";
  readonly field: "organization_id" | "members";
  readonly member?: string;
  readonly message: string;
}

export interface OrganizationRolesInput {
  /** undefined = not known yet: the check is skipped (also for members and single role lists). */
  readonly organizationId?: string;
  readonly members?: ReadonlyMap<string, readonly string[] | undefined>;
}

/**
 * The per-member checks (empty ids, the 50-role cap, role id format) for every member of the
 * whole-organization resource, each finding naming the member. Shared by the provider (validate,
 * plan and apply) and the constructs (synth).
 */
export function validateOrganizationRoles(input: OrganizationRolesInput): OrganizationFinding[] {
  const findings: OrganizationFinding[] = validateMemberRoles({ organizationId: input.organizationId }).map(
    (f) => ({ severity: f.severity, field: "organization_id", message: f.message }),
  );
  for (const [userId, roles] of input.members ?? []) {
    const label = `members[${JSON.stringify(userId)}]`;
    const problem = userId.trim() === "" ? undefined : userIdKeyProblem(userId);
    const keyMessage = userId.trim() === "" ? EMPTY_KEY : problem && `${label}: ${problem}`;
    if (keyMessage)
      findings.push({ severity: "error", field: "members", member: userId, message: keyMessage });
    for (const f of validateMemberRoles(roles === undefined ? {} : { roles })) {
      findings.push({
        severity: f.severity,
        field: "members",
        member: userId,
        message: `${label}: ${f.message}`,
      });
    }
  }
  return findings;
}
