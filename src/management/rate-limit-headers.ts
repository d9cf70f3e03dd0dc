/** The three `x-ratelimit-*` values Auth0 sends with every Management API response, 429s included. */
export interface RateLimitHeaders {
  /** Capacity (burst) of the bucket the values describe. */
  limit: number;
  /** Whole tokens left in it when Auth0 answered (the fraction is cut off). */
  remaining: number;
  /**
   * Epoch milliseconds (Auth0 sends whole UNIX seconds, rounded up): when the bucket is full again,
   * or, with nothing remaining, when the next token arrives.
   */
  resetAt: number;
}

/** Undefined when any of the three is missing or not a number (token endpoint, proxies, other APIs). */
export function parseRateLimitHeaders(
  headers: Readonly<Record<string, string | undefined>>,
): RateLimitHeaders | undefined {
  const limit = wholeNumber(headers["x-ratelimit-limit"]);
  const remaining = wholeNumber(headers["x-ratelimit-remaining"]);
  const reset = wholeNumber(headers["x-ratelimit-reset"]);
  if (limit === undefined || remaining === undefined || reset === undefined || limit < 1) return undefined;
  return { limit, remaining: Math.min(remaining, limit), resetAt: reset * 1_000 };
}

function wholeNumber(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value);
}
