import type { MemberChange } from "../../roles";
import { failureDiagnostic } from "../api-diagnostics";
import { attributePath, type Diagnostic, errorDiag, warningDiag } from "../protocol/diagnostics";
import { membersPath } from "./finding-diagnostics";
import { counted, cutList } from "./message-lists";
import type { ChangeOutcome } from "./organization-sync";
import { listEntries, type RoleNames } from "./revocation-warnings";

/** The diagnostics of auth0roles_organization_roles: a member's errors point at its entry in `members`. */

/** Diagnostics about single members past this many are summed up in one, so a broken run stays readable. */
export const MAX_MEMBER_DIAGNOSTICS = 10;

export function names(userIds: readonly string[]): string {
  return cutList(userIds.map((u) => JSON.stringify(u)));
}

export function countMembers(n: number): string {
  return counted(n, "member");
}

/**
 * With exclusive: the warning naming each member not in members who holds roles (`holding`, none
 * empty), and the roles each loses (by name where read:roles allows).
 */
export function undeclaredWarning(
  org: string,
  holding: ReadonlyMap<string, readonly string[]>,
  names: RoleNames,
): Diagnostic {
  const losing = [...holding].sort(([a], [b]) => a.localeCompare(b));
  const each = cutList(losing.map(([u, roles]) => `${JSON.stringify(u)} loses ${listEntries(roles, names)}`));
  return warningDiag(
    `Exclusive: ${countMembers(losing.length)} not in members will lose all their roles`,
    `exclusive = true: apply revokes every role of the members of ${org} that are not in members: ${each}. ` +
      `To keep a member's roles, add the member to members; to manage only the listed members, set exclusive = false.${names.note}`,
    attributePath("exclusive"),
  );
}

export function withPath(diagnostic: Diagnostic, userId: string): Diagnostic {
  return { ...diagnostic, attribute: membersPath(userId) };
}

export function failureDiagnostics(
  outcomes: readonly ChangeOutcome[],
  notStarted: readonly MemberChange[],
): Diagnostic[] {
  const failed = outcomes.filter((o): o is Extract<ChangeOutcome, { ok: false }> => !o.ok);
  const diagnostics = failed.slice(0, MAX_MEMBER_DIAGNOSTICS).map((o) => {
    const d = failureDiagnostic(
      `Could not update the roles of ${JSON.stringify(o.change.userId)}`,
      o.error,
      false,
    );
    return o.change.kind === "undeclared" ? d : withPath(d, o.change.userId);
  });
  if (failed.length > MAX_MEMBER_DIAGNOSTICS || notStarted.length > 0) {
    diagnostics.push(
      errorDiag(
        "Organization roles only partly applied",
        `${countMembers(failed.length)} failed${
          notStarted.length > 0 ? ` and ${countMembers(notStarted.length)} were not started after that` : ""
        }. Run apply again once the cause is fixed: it reads the tenant and picks up where this one stopped.`,
      ),
    );
  }
  return diagnostics;
}
