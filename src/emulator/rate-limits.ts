import type { EndpointGroup, RateLimitOptions } from "./types";

/** Auth0's documented Enterprise production numbers (rate-limit-policy pages). */
export const DEFAULT_RATE_LIMITS = {
  global: { burst: 50, perSecond: 16 },
  endpoints: {
    "read:organization_member_roles": { burst: 20, perMinute: 200 },
    "write:organization_member_roles": { burst: 20, perMinute: 200 },
    "read:organization_members": { burst: 40, perMinute: 500 },
    "write:organization_members": { burst: 20, perMinute: 200 },
  } satisfies Record<EndpointGroup, { burst: number; perMinute: number }>,
} as const;

export const GLOBAL_LIMIT_MESSAGE = "Global limit has been reached";
export const ENDPOINT_LIMIT_MESSAGE =
  "Too many requests. Check the X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset headers.";

/** The three `x-ratelimit-*` values of one bucket. */
export interface BucketState {
  limit: number;
  remaining: number;
  /** UNIX epoch seconds: when the bucket is full again (or, when empty, when the next token arrives). */
  reset: number;
}

/** A token bucket: `capacity` tokens, refilled continuously at `perSecond` tokens per second. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly capacity: number,
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!(capacity >= 1) || !(perSecond > 0)) {
      throw new Error(
        `A rate-limit bucket needs burst >= 1 and a positive refill rate (got burst ${capacity}, ${perSecond}/s).`,
      );
    }
    this.tokens = capacity;
    this.last = now();
  }

  /** True (and one token taken) if a token is available. */
  tryTake(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  hasToken(): boolean {
    this.refill();
    return this.tokens >= 1;
  }

  /** Milliseconds until at least one token is available (0 if one is). */
  msUntilToken(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : ((1 - this.tokens) / this.perSecond) * 1000;
  }

  state(): BucketState {
    this.refill();
    const remaining = Math.floor(this.tokens);
    const ms =
      remaining === 0 ? this.msUntilToken() : ((this.capacity - this.tokens) / this.perSecond) * 1000;
    return { limit: this.capacity, remaining, reset: Math.ceil((this.now() + ms) / 1000) };
  }

  private refill(): void {
    const now = this.now();
    if (now > this.last) {
      this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    }
    this.last = now;
  }
}

export type RateLimitDecision =
  | { allowed: true; headers: Record<string, string> }
  | { allowed: false; headers: Record<string, string>; message: string };

/**
 * Auth0's two layers: a tenant-wide bucket, checked first, and one bucket per endpoint group. A
 * request takes a token from both or from neither. `false` disables limiting but keeps the headers.
 */
export class RateLimiter {
  private readonly global: TokenBucket | null;
  private readonly endpoints = new Map<EndpointGroup, TokenBucket>();
  /** The emulator's clock: `rateLimits.now` when injected, so the request log and the buckets agree. */
  readonly now: () => number;

  constructor(options: RateLimitOptions | false | undefined) {
    this.now = (options !== false && options?.now) || Date.now;
    if (options === false) {
      this.global = null;
      return;
    }
    const scale = options?.timeScale ?? 1;
    if (!(scale > 0)) throw new Error(`rateLimits.timeScale must be a positive number (got ${scale}).`);
    const global = options?.global ?? DEFAULT_RATE_LIMITS.global;
    this.global = new TokenBucket(global.burst, global.perSecond * scale, this.now);
    for (const [group, fallback] of Object.entries(DEFAULT_RATE_LIMITS.endpoints) as [
      EndpointGroup,
      { burst: number; perMinute: number },
    ][]) {
      const limit = options?.endpoints?.[group] ?? fallback;
      this.endpoints.set(group, new TokenBucket(limit.burst, (limit.perMinute / 60) * scale, this.now));
    }
  }

  check(group: EndpointGroup | undefined): RateLimitDecision {
    if (this.global === null) {
      const limit = DEFAULT_RATE_LIMITS.global.burst;
      return {
        allowed: true,
        headers: headers({ limit, remaining: limit, reset: Math.ceil(this.now() / 1000) }),
      };
    }
    const endpoint = group === undefined ? undefined : this.endpoints.get(group);
    if (!this.global.hasToken()) return this.refuse(this.global, GLOBAL_LIMIT_MESSAGE);
    if (endpoint && !endpoint.hasToken()) return this.refuse(endpoint, ENDPOINT_LIMIT_MESSAGE);
    this.global.tryTake();
    endpoint?.tryTake();
    // Report the bucket closest to running out: that is the one a client has to pace itself by.
    const globalState = this.global.state();
    const endpointState = endpoint?.state();
    const tighter =
      endpointState && endpointState.remaining <= globalState.remaining ? endpointState : globalState;
    return { allowed: true, headers: headers(tighter) };
  }

  private refuse(bucket: TokenBucket, message: string): RateLimitDecision {
    const state = bucket.state();
    const retryAfter = Math.max(1, Math.ceil(bucket.msUntilToken() / 1000));
    return { allowed: false, message, headers: { ...headers(state), "retry-after": String(retryAfter) } };
  }
}

export function headers(state: BucketState): Record<string, string> {
  return {
    "x-ratelimit-limit": String(state.limit),
    "x-ratelimit-remaining": String(state.remaining),
    "x-ratelimit-reset": String(state.reset),
  };
}
