import { MAX_ROLES_PER_MEMBER } from "./limits";

/** What must change to turn the current role set into the desired one. Both lists are sorted and deduplicated. */
export interface RoleChanges {
  readonly revoke: readonly string[];
  readonly grant: readonly string[];
}

/** revoke = current - desired, grant = desired - current. */
export function diffRoles(current: Iterable<string>, desired: Iterable<string>): RoleChanges {
  const have = new Set(current);
  const want = new Set(desired);
  return {
    revoke: sortedDifference(have, want),
    grant: sortedDifference(want, have),
  };
}

/** The order in which the calls of RoleChanges are made. */
export interface RoleChangeSteps {
  /** Revoked before the grant, only as many as the role cap forces to make room; usually none. */
  readonly revokeFirst: readonly string[];
  readonly grant: readonly string[];
  readonly revokeAfter: readonly string[];
}

/**
 * Grant before revoke: a grant that fails (a mistyped role id is a 404) then leaves the member with
 * every role they held, never with fewer than before. Only when the member would briefly hold more
 * than `cap` roles are some revoked first, and just enough of them.
 */
export function orderRoleChanges(
  current: Iterable<string>,
  changes: RoleChanges,
  cap: number = MAX_ROLES_PER_MEMBER,
): RoleChangeSteps {
  const held = new Set(current).size;
  const room = Math.max(0, held + changes.grant.length - cap);
  return {
    revokeFirst: changes.revoke.slice(0, room),
    grant: changes.grant,
    revokeAfter: changes.revoke.slice(room),
  };
}

function sortedDifference(from: ReadonlySet<string>, minus: ReadonlySet<string>): string[] {
  // Code-unit order (not locale order) so plans and call bodies are identical on every machine.
  return [...from].filter((id) => !minus.has(id)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
