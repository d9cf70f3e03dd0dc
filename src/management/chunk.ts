/** Auth0 documents that an organization member holds at most 50 roles (a POST beyond that is a 409). */
export const MAX_ROLES_PER_MEMBER = 50;

/** Largest role list one POST/DELETE carries: a call of a member's whole cap never trips the cap on its own. */
export const MAX_ROLES_PER_CALL = MAX_ROLES_PER_MEMBER;

/** Splits items into consecutive slices of at most `size` elements; no empty slices. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(`chunk size must be a positive integer, got ${size}`);
  }
  const slices: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    slices.push(items.slice(start, start + size));
  }
  return slices;
}
