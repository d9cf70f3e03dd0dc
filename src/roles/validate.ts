import { MAX_ROLES_PER_MEMBER } from "./limits";

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
  if (id === undefined || id.trim() !== "") return [];
  return [
    {
      severity: "error",
      field: "user_id",
      message:
        "user_id is empty. Set it to the Auth0 user id of the member (like auth0|abc123), shown on the user's page in the Auth0 dashboard.",
    },
  ];
}

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
  for (const role of distinct) {
    if (role.trim() === "") {
      findings.push({
        severity: "error",
        field: "roles",
        message:
          "roles contains an empty role id. Remove it or replace it with a role id like rol_0123456789abcdef.",
      });
    } else if (!ROLE_ID.test(role)) {
      findings.push({
        severity: "warning",
        field: "roles",
        message: `role ${JSON.stringify(role)} does not look like an Auth0 role id (rol_ followed by letters and digits). Use the role's id from User Management > Roles, not its name.`,
      });
    }
  }
  return findings;
}
