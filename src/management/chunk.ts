/** Largest role list one POST/DELETE carries: Auth0 caps a member at 50 roles, so one call never trips that cap on its own. */
export const MAX_ROLES_PER_CALL = 50;

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
