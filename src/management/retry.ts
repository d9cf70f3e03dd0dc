import { ConfigurationError } from "./errors";
import type { RetryPolicy } from "./types";

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = {
  maxAttempts: 5,
  maxRateLimitedAttempts: 10,
  deadlineMs: 120_000,
  baseDelayMs: 250,
  maxDelayMs: 30_000,
};

export function resolveRetryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...overrides };
  requirePositiveInteger("retry.maxAttempts", policy.maxAttempts);
  requirePositiveInteger("retry.maxRateLimitedAttempts", policy.maxRateLimitedAttempts);
  requirePositiveInteger("retry.deadlineMs", policy.deadlineMs);
  requirePositiveInteger("retry.baseDelayMs", policy.baseDelayMs);
  requirePositiveInteger("retry.maxDelayMs", policy.maxDelayMs);
  return policy;
}

function requirePositiveInteger(field: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new ConfigurationError(field, `${field} must be a positive whole number, got ${String(value)}.`);
  }
}

/**
 * How a request may be repeated.
 * - "idempotent": repeating it cannot change the outcome (GET; DELETE of roles, which Auth0 answers
 *   with 204 even for roles that are not assigned). Retried on 429, 5xx and any network error.
 * - "unsafe": a repeat might act twice, or Auth0 might answer it differently the second time. Retried
 *   only when we know the first attempt had no effect: a 429, or a connection that was never made.
 */
export type RetryMode = "idempotent" | "unsafe";

/** What one attempt produced, as far as retrying is concerned. */
export type AttemptResult =
  | { kind: "response"; status: number; headers: Readonly<Record<string, string | undefined>> }
  | { kind: "network"; code: string | undefined };

// The connection was refused, so no byte of the request reached the server.
const NEVER_SENT_CODES = new Set(["ECONNREFUSED"]);

/** False only when the network error proves the request never reached the server. */
export function mayHaveBeenSent(code: string | undefined): boolean {
  return !NEVER_SENT_CODES.has(code ?? "");
}

export interface DelayContext {
  policy: RetryPolicy;
  /** 1 for the wait after the first attempt. */
  attempt: number;
  nowMs: number;
  /** In [0, 1); injected so tests can pin jitter. */
  random: () => number;
}

/** Milliseconds to wait before the next attempt, or undefined when this result must not be retried. */
export function retryDelay(result: AttemptResult, mode: RetryMode, ctx: DelayContext): number | undefined {
  if (result.kind === "network") {
    if (mode === "unsafe" && mayHaveBeenSent(result.code)) return undefined;
    return backoff(ctx);
  }
  if (result.status === 429) {
    const serverWait = rateLimitWait(result.headers, ctx.nowMs);
    if (serverWait === undefined) return backoff(ctx);
    // A little jitter so callers released by the same reset do not all arrive in the same millisecond.
    const jitter = ctx.random() * Math.min(ctx.policy.baseDelayMs, 1_000);
    return Math.min(ctx.policy.maxDelayMs, Math.ceil(serverWait + jitter));
  }
  if (result.status >= 500 && mode === "idempotent") return backoff(ctx);
  return undefined;
}

/**
 * The wait a 429 asks for: Retry-After (seconds) if present, since it is a delta and immune to
 * clock skew; else x-ratelimit-reset, which Auth0 sends as a UNIX time in seconds.
 */
export function rateLimitWait(
  headers: Readonly<Record<string, string | undefined>>,
  nowMs: number,
): number | undefined {
  const retryAfter = parseNumber(headers["retry-after"]);
  if (retryAfter !== undefined) return Math.max(0, retryAfter * 1_000);
  const reset = parseNumber(headers["x-ratelimit-reset"]);
  if (reset !== undefined) return Math.max(0, reset * 1_000 - nowMs);
  return undefined;
}

/** Exponential backoff with "equal jitter": between half and all of base * 2^(attempt-1), capped. */
function backoff(ctx: DelayContext): number {
  const ceiling = Math.min(ctx.policy.maxDelayMs, ctx.policy.baseDelayMs * 2 ** (ctx.attempt - 1));
  return Math.ceil(ceiling / 2 + (ctx.random() * ceiling) / 2);
}

function parseNumber(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}
