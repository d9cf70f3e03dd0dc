import type { Finding, OrganizationFinding } from "../../roles";
import type { Claim } from "../framework";
import {
  type AttributePath,
  attributePath,
  type Diagnostic,
  errorDiag,
  warningDiag,
} from "../protocol/diagnostics";

/** The entry of one member in `members` of auth0roles_organization_roles. */
export function membersPath(userId: string): AttributePath {
  return [{ attribute: "members" }, { key: userId }];
}

/**
 * The validation findings of either resource as diagnostics: a finding about one member points at
 * its entry in `members`, any other at its attribute.
 */
export function findingsToDiagnostics(findings: readonly (Finding | OrganizationFinding)[]): Diagnostic[] {
  return findings.map((f) => {
    const path = "member" in f && f.member !== undefined ? membersPath(f.member) : attributePath(f.field);
    return f.severity === "error"
      ? errorDiag(`Invalid ${f.field}`, f.message, path)
      : warningDiag(`Check ${f.field}`, f.message, path);
  });
}

/** A member's roles, as both resources claim them (a member managed twice fails the plan). */
export function memberClaim(organizationId: string, userId: string, path: AttributePath): Claim {
  return { group: organizationId, item: userId, what: `${userId} in ${organizationId}`, path };
}
