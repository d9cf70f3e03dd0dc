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

function sortedDifference(from: ReadonlySet<string>, minus: ReadonlySet<string>): string[] {
  // Code-unit order (not locale order) so plans and call bodies are identical on every machine.
  return [...from].filter((id) => !minus.has(id)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
