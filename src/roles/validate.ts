import { MAX_ID_LENGTH, MAX_ORGANIZATION_ID_LENGTH, MAX_ROLES_PER_MEMBER } from "./limits";

export type Finding = {
  severity: "error" | "warning";
  field: "organization_id" | "user_id" | "roles";
  message: string;
};

export interface MemberRolesInput {
  /** undefined = not known yet (e.g. computed at apply time): the check is skipped. */
  organizationId?: string;
  userId?: string;
  roles?: readonly string[];
}

// Auth0 ids are a prefix plus alphanumerics; anything else is probably a role *name* or a typo.
// Only a warning: Auth0 does not promise the format, and the API is the final judge.
const ORGANIZATION_ID = /^org_[A-Za-z0-9]+$/;
const ROLE_ID = /^rol_[A-Za-z0-9]+$/;

/**
 * Checks what can be checked without calling Auth0. Shared by the provider (plan time) and the
 * CDKTF construct (synth time) so both reject the same inputs with the same words.
 */
export function validateMemberRoles(input: MemberRolesInput): Finding[] {
  return [
    ...checkOrganizationId(input.organizationId),
    ...checkUserId(input.userId),
    ...checkRoles(input.roles),
  ];
}

function checkOrganizationId(id: string | undefined): Finding[] {
  if (id === undefined) return [];
  if (id.trim() === "") {
    return [
      {
        severity: "error",
        field: "organization_id",
        message:
          "organization_id is empty. Set it to the id of the Auth0 organization (like org_0123456789abcdef), shown under Organizations in the Auth0 dashboard.",
      },
    ];
  }
  const unusable = unusablePathId("organization_id", id, MAX_ORGANIZATION_ID_LENGTH);
  if (unusable) return [unusable];
  if (!ORGANIZATION_ID.test(id)) {
    return [
      {
        severity: "warning",
        field: "organization_id",
        message: `organization_id ${JSON.stringify(id)} does not look like an Auth0 organization id (org_ followed by letters and digits). Use the organization's id, not its name or display name.`,
      },
    ];
  }
  return [];
}

function checkUserId(id: string | undefined): Finding[] {
  if (id === undefined) return [];
  if (id.trim() === "") {
    return [
      {
        severity: "error",
        field: "user_id",
        message:
          "user_id is empty. Set it to the Auth0 user id of the member (like auth0|abc123), shown on the user's page in the Auth0 dashboard.",
      },
    ];
  }
  const unusable = unusablePathId("user_id", id, MAX_ID_LENGTH);
  return unusable ? [unusable] : [];
}

/**
 * A user id given as a key of `members` (the whole-organization resource), checked like user_id and
 * named "the user id key" in the message; undefined when it is usable. The caller handles "".
 */
export function userIdKeyProblem(id: string): string | undefined {
  return unusablePathId("user_id", id, MAX_ID_LENGTH, "the user id key")?.message;
}

/**
 * Organization and user ids become segments of the request path. `.` and `..` are dot segments that
 * URL handling (WHATWG URL, which axios uses) removes, percent-encoded or not, so they would address
 * another endpoint; control characters and runaway lengths are never part of an Auth0 id.
 */
function unusablePathId(
  field: "organization_id" | "user_id",
  id: string,
  maxLength: number,
  /** How the message names the id. */
  subject: string = field,
): Finding | undefined {
  const fix =
    field === "organization_id"
      ? "Use the organization's id (like org_0123456789abcdef)."
      : "Use the member's Auth0 user id (like auth0|abc123).";
  if (id === "." || id === "..") {
    return {
      severity: "error",
      field,
      message: `${subject} ${JSON.stringify(id)} is not an id: "." and ".." are path steps, not ids. ${fix}`,
    };
  }
  const problem = idProblem(id, maxLength);
  return problem ? { severity: "error", field, message: `${subject} ${problem} ${fix}` } : undefined;
}

/** Length and control characters: what no Auth0 id of any kind contains. */
function idProblem(id: string, maxLength: number): string | undefined {
  if (id.length > maxLength) {
    return `is ${id.length} characters long (starting ${JSON.stringify(id.slice(0, 24))}); Auth0 ids are at most ${maxLength} characters.`;
  }
  const at = controlCharacterAt(id);
  if (at >= 0) {
    const code = `U+${id.charCodeAt(at).toString(16).toUpperCase().padStart(4, "0")}`;
    return `${JSON.stringify(id)} contains the control character ${code} at position ${at + 1}; Auth0 ids never do.`;
  }
  return undefined;
}

/** C0 controls, DEL and C1 controls: invisible in a plan, and rewritten or dropped by URL handling. */
function controlCharacterAt(id: string): number {
  for (let i = 0; i < id.length; i++) {
    const code = id.charCodeAt(i);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return i;
  }
  return -1;
}

/** A long list of bad ids gets this many findings and a count, not one line each. */
const MAX_ROLE_FINDINGS = 10;

function checkRoles(roles: readonly string[] | undefined): Finding[] {
  if (roles === undefined) return [];
  const findings: Finding[] = [];
  const distinct = new Set(roles);
  if (distinct.size > MAX_ROLES_PER_MEMBER) {
    findings.push({
      severity: "error",
      field: "roles",
      message: `roles lists ${distinct.size} roles, but Auth0 allows at most ${MAX_ROLES_PER_MEMBER} roles per organization member. Remove ${distinct.size - MAX_ROLES_PER_MEMBER} of them.`,
    });
  }
  const perRole = [...distinct].map(checkRoleId).filter((f): f is Finding => f !== undefined);
  const errors = perRole.filter((f) => f.severity === "error");
  const warnings = perRole.filter((f) => f.severity === "warning");
  for (const group of [errors, warnings]) {
    findings.push(...group.slice(0, MAX_ROLE_FINDINGS));
    const more = group.length - MAX_ROLE_FINDINGS;
    const first = group[0];
    if (more > 0 && first) {
      findings.push({
        severity: first.severity,
        field: "roles",
        message: `${more} more role ids have the same kind of problem as those above.`,
      });
    }
  }
  return findings;
}

function checkRoleId(role: string): Finding | undefined {
  if (role.trim() === "") {
    return {
      severity: "error",
      field: "roles",
      message:
        "roles contains an empty role id. Remove it or replace it with a role id like rol_0123456789abcdef.",
    };
  }
  const problem = idProblem(role, MAX_ID_LENGTH);
  if (problem) {
    return {
      severity: "error",
      field: "roles",
      message: `role ${problem} Replace it with a role id like rol_0123456789abcdef.`,
    };
  }
  if (!ROLE_ID.test(role)) {
    return {
      severity: "warning",
      field: "roles",
      message: `role ${JSON.stringify(role)} does not look like an Auth0 role id (rol_ followed by letters and digits). Use the role's id from User Management > Roles, not its name.`,
    };
  }
  return undefined;
}
