/** How diagnostics of both resources list ids and count things, so their messages read alike. */

/** Items named in one message; the rest are counted, so a long list stays readable. */
const NAMED = 10;

/** `a, b, c and 4 more`: the first ten items, the rest counted. */
export function cutList(items: readonly string[]): string {
  const shown = items.slice(0, NAMED).join(", ");
  return items.length > NAMED ? `${shown} and ${items.length - NAMED} more` : shown;
}

/** `1 role`, `3 roles`. */
export function counted(n: number, noun: string): string {
  return n === 1 ? `1 ${noun}` : `${n} ${noun}s`;
}
