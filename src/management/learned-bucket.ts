import type { RateLimitHeaders } from "./rate-limit-headers";

/** Below this the bucket would stall the run; a tenant this slow is better served by 429 retries. */
const MIN_PER_SECOND = 1 / 60;
/**
 * How far 429s may slow a bucket below its learned rate: each refusal halves the pace, down to this
 * fraction, and each success wins back a quarter. A 429 that other clients of the tenant caused says
 * nothing about the tenant's real rate, so it must never cost more than a bounded slowdown.
 */
const MIN_PACE = 1 / 16;
const RECOVERY = 1.25;

/** What one answer tells about the bucket it describes, with the times that bound when Auth0 computed it. */
export interface BucketObservation extends RateLimitHeaders {
  /** When the request left (Auth0 computed the values no earlier). */
  sentAt: number;
  /** When the answer arrived (Auth0 computed the values no later). */
  answeredAt: number;
}

/**
 * The client's estimate of one of Auth0's token buckets: `capacity` tokens, refilled continuously at
 * `perSecond`. Seeded from the documented limits, then corrected by the headers of the answers
 * (see RequestPacer for which answer corrects which bucket).
 *
 * A 429 does not rewrite what the headers taught: it holds the bucket empty until the time Auth0
 * gave, and slows the pace (a factor on the rate) until successes bring it back.
 */
export class LearnedBucket {
  capacity: number;
  /** The rate the headers proved (or the documented one). */
  perSecond: number;
  /** Tokens taken since the start; a request remembers the count so its answer can tell which takes Auth0 had not seen. */
  taken = 0;
  private tokens: number;
  private last: number;
  /** 1, or less after 429s: the share of `perSecond` spent. */
  private pace = 1;
  /** No token before this time: Auth0 said so in a 429. */
  private heldUntil = 0;
  /** When a 429 last slowed the pace: answers to requests sent before it do not slow it again. */
  private slowedAt = Number.NEGATIVE_INFINITY;

  constructor(
    readonly name: string,
    seed: { burst: number; perSecond: number },
    now: number,
  ) {
    this.capacity = seed.burst;
    this.perSecond = seed.perSecond;
    this.tokens = seed.burst;
    this.last = now;
  }

  /** The rate tokens arrive at now: the learned rate, slowed after 429s. */
  get ratePerSecond(): number {
    return Math.max(MIN_PER_SECOND, this.perSecond * this.pace);
  }

  /** Milliseconds until a whole token is available (0 if one is). */
  msUntilToken(now: number): number {
    this.refill(now);
    if (now < this.heldUntil) return this.heldUntil - now;
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1_000);
  }

  take(now: number): void {
    this.refill(now);
    this.tokens -= 1;
    this.taken += 1;
  }

  /** Auth0 holds at most `estimate` tokens now. */
  lowerTo(estimate: number, now: number): void {
    this.refill(now);
    this.tokens = Math.min(this.tokens, estimate);
  }

  /** Auth0 holds at least `estimate` tokens now. */
  raiseTo(estimate: number, now: number): void {
    this.refill(now);
    this.tokens = Math.min(this.capacity, Math.max(this.tokens, estimate));
  }

  adoptCapacity(limit: number, now: number): void {
    this.refill(now);
    this.capacity = limit;
    this.tokens = Math.min(this.tokens, limit);
  }

  /**
   * Bounds the refill rate by what `o` proves; `lowerBoundToo` = false keeps only the bound that can
   * slow us down. `remaining` is rounded down and `resetAt` up to a whole second, and Auth0 computed
   * them at some moment between `sentAt` and `answeredAt`, so:
   * - with tokens remaining, reset is when the bucket is full again: the deficit, more than
   *   limit - remaining - 1, refills by resetAt measured from sentAt at the latest. That is a lower
   *   bound on the rate, and what lets a faster tenant (or a time-scaled emulator) be used fully.
   * - the bucket is not full (or the next token not there) before resetAt - 1 s, measured from
   *   answeredAt at the earliest, with a deficit of at most limit - remaining (1 when empty): an
   *   upper bound, which slows us down on a tenant slower than documented.
   * The rate moves only as far as the new bound demands, so bounds add up over many answers. The
   * second granularity makes one bound loose when the bucket refills in under a second, but answers
   * arrive at every phase of the second, and the tightest bounds win. Clock skew between us and Auth0
   * shifts both bounds; 429s (refuse) slow the pace when skew made the rate too high.
   */
  learnRate(o: BucketObservation, lowerBoundToo: boolean): void {
    const fullBy = (o.resetAt - o.sentAt) / 1_000;
    const minDeficit = o.limit - o.remaining - 1;
    if (lowerBoundToo && o.remaining > 0 && minDeficit > 0 && fullBy > 0) {
      this.setRate(Math.max(this.perSecond, minDeficit / fullBy), o.answeredAt);
    }
    const notBefore = (o.resetAt - 1_000 - o.answeredAt) / 1_000;
    if (notBefore > 0) {
      const maxDeficit = o.remaining > 0 ? o.limit - o.remaining : 1;
      this.setRate(Math.min(this.perSecond, maxDeficit / notBefore), o.answeredAt);
    }
  }

  /**
   * A 429 for a request sent at `sentAt`: the bucket is empty, and its next token comes at `wakeAt`,
   * the time Auth0 gave (Retry-After, or X-RateLimit-Reset). The pace halves once per refusal
   * episode: requests that were already on their way when the last one slowed it do not count again.
   */
  refuse(wakeAt: number, sentAt: number, now: number): void {
    this.refill(now);
    this.tokens = 0;
    this.heldUntil = Math.max(this.heldUntil, wakeAt);
    if (sentAt >= this.slowedAt) {
      this.pace = Math.max(MIN_PACE, this.pace / 2);
      this.slowedAt = now;
    }
  }

  /** An answer that was not a 429: the bucket had a token, so win back some of the pace 429s cost. */
  recover(now: number): void {
    if (this.pace === 1) return;
    this.refill(now);
    this.pace = Math.min(1, this.pace * RECOVERY);
  }

  private setRate(perSecond: number, now: number): void {
    this.refill(now);
    this.perSecond = Math.max(MIN_PER_SECOND, perSecond);
  }

  private refill(now: number): void {
    if (now <= this.last) return;
    let from = this.last;
    if (this.heldUntil > from) {
      if (now < this.heldUntil) {
        this.last = now;
        return;
      }
      // Auth0's reset is when the next token is there.
      this.tokens = Math.max(this.tokens, 1);
      from = this.heldUntil;
    }
    this.tokens = Math.min(this.capacity, this.tokens + ((now - from) / 1_000) * this.ratePerSecond);
    this.last = now;
  }
}
