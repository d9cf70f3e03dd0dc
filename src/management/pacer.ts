import { type BucketObservation, LearnedBucket } from "./learned-bucket";
import { parseRateLimitHeaders } from "./rate-limit-headers";
import { rateLimitWait } from "./retry";
import type { LogFields, PacingClock, RateLimitGroup } from "./types";

/**
 * Auth0's documented limits (Enterprise production), the starting point until headers say otherwise:
 * the tenant-wide Management API bucket and the per-endpoint buckets this client calls.
 */
const DOCUMENTED_LIMITS = {
  global: { burst: 50, perSecond: 16 },
  endpoints: {
    "read:organization_member_roles": { burst: 20, perSecond: 200 / 60 },
    "write:organization_member_roles": { burst: 20, perSecond: 200 / 60 },
    "read:organization_members": { burst: 40, perSecond: 500 / 60 },
    // We know of no per-endpoint limit documented for GET /api/v2/roles: this bucket starts at the
    // tenant-wide figures, so only the global bucket holds it back until headers say otherwise.
    "read:roles": { burst: 50, perSecond: 16 },
    // Likewise for GET /api/v2/organizations.
    "read:organizations": { burst: 50, perSecond: 16 },
  } satisfies Record<RateLimitGroup, { burst: number; perSecond: number }>,
} as const;

/** Real time. */
export const SYSTEM_CLOCK: PacingClock = {
  now: Date.now,
  setTimer(ms, fire) {
    const timer = setTimeout(fire, ms);
    return () => clearTimeout(timer);
  },
};

/** An answer as far as pacing is concerned. */
export interface PacedAnswer {
  status: number;
  headers: Readonly<Record<string, string | undefined>>;
}

/** One request let through; `settle` it with the answer (or nothing, when there was none). */
export interface PacingTicket {
  settle(answer: PacedAnswer | undefined): void;
}

interface Waiter {
  group: RateLimitGroup;
  grant(ticket: PacingTicket): void;
}

interface Ticket extends PacingTicket {
  readonly group: RateLimitGroup;
  readonly sentAt: number;
  /** Per bucket: its `taken` count right after this request took its token. */
  readonly takenAt: ReadonlyMap<LearnedBucket, number>;
}

export interface PacerOptions {
  /** Cap on the rate of all requests together (the provider's max_requests_per_second). */
  maxRequestsPerSecond?: number;
  clock?: PacingClock;
  debug?: (message: string, fields: LogFields) => void;
}

/**
 * Client-side pacing for every Management API request of one client (one per provider process), so
 * that Terraform's parallelism does not turn into a 429 storm.
 *
 * The model: Auth0 checks a tenant-wide token bucket, then the bucket of the endpoint's group; a
 * request needs a token from each. We keep an estimate of each bucket (LearnedBucket), seeded from
 * the documented limits, and a request waits in FIFO order until every bucket it needs holds a whole
 * token (and the optional overall cap allows it). The headers of every answer correct the estimates:
 * they are the truth, since the tenant may be on another plan or (in our benchmarks) refill faster.
 *
 * Which bucket a header describes: Auth0 reports the bucket closest to exhaustion, global or the
 * request's endpoint group, without saying which. So:
 * - `remaining` is a floor for BOTH buckets (the other one holds at least as many): raising both to
 *   it is always safe.
 * - the bucket whose capacity equals `limit` is the one described: it is lowered to `remaining` and
 *   learns its refill rate from `reset`. When `limit` matches neither (another plan), it is taken
 *   as the endpoint group's new capacity - the endpoint buckets are the ones one resource type wears
 *   down - and, as that is a guess, both buckets are lowered. When it matches both, only what can
 *   slow us down is applied to both.
 * - concurrency: while an answer travelled, more requests were sent, and Auth0 may have counted them
 *   or not. The estimate from an answer is therefore `remaining` minus every token taken after this
 *   request and minus requests sent before it that are still unanswered (they may reach Auth0 after
 *   it), and it stands at the time the answer arrived (Auth0 refilled in between, to our advantage).
 * - slow start: until the first answer of a group has arrived, one request of that group is in
 *   flight at a time, so a tenant with lower limits than documented answers before a burst.
 * - a 429 means the bucket is empty now (our estimate was too optimistic, or other clients of the
 *   tenant spent it): the described bucket is held empty until the time Auth0 gave (Retry-After,
 *   else X-RateLimit-Reset) and its pace halves; every later answer that is not a 429 wins pace
 *   back, in the global bucket as in the endpoint's. What the headers taught about the rate stays.
 */
export class RequestPacer {
  private readonly clock: PacingClock;
  private readonly global: LearnedBucket;
  private readonly endpoints: ReadonlyMap<RateLimitGroup, LearnedBucket>;
  /** Capacity 1, so consecutive requests are at least 1/rate apart. */
  private readonly cap: LearnedBucket | undefined;
  private readonly queue: Waiter[] = [];
  private readonly inFlight = new Set<Ticket>();
  private readonly answeredGroups = new Set<RateLimitGroup>();
  private readonly debug: PacerOptions["debug"];
  private timer: { at: number; cancel: () => void } | undefined;
  private readonly reported = new Map<LearnedBucket, { perSecond: number; capacity: number }>();

  constructor(options: PacerOptions = {}) {
    this.clock = options.clock ?? SYSTEM_CLOCK;
    this.debug = options.debug;
    const now = this.clock.now();
    this.global = new LearnedBucket("global", DOCUMENTED_LIMITS.global, now);
    this.endpoints = new Map(
      (Object.keys(DOCUMENTED_LIMITS.endpoints) as RateLimitGroup[]).map((group) => [
        group,
        new LearnedBucket(group, DOCUMENTED_LIMITS.endpoints[group], now),
      ]),
    );
    const max = options.maxRequestsPerSecond;
    this.cap =
      max === undefined
        ? undefined
        : new LearnedBucket("max_requests_per_second", { burst: 1, perSecond: max }, now);
  }

  /** Resolves when the request may be sent; rejects with `signal.reason` if the signal fires first. */
  acquire(group: RateLimitGroup, signal?: AbortSignal): Promise<PacingTicket> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<PacingTicket>((resolve, reject) => {
      const onAbort = (): void => {
        const at = this.queue.indexOf(waiter);
        if (at >= 0) this.queue.splice(at, 1);
        reject(signal?.reason);
        this.pump();
      };
      const waiter: Waiter = {
        group,
        grant: (ticket) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(ticket);
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.queue.push(waiter);
      this.pump();
    });
  }

  private bucketsOf(group: RateLimitGroup): LearnedBucket[] {
    const buckets = [this.global, this.endpoints.get(group) as LearnedBucket];
    if (this.cap) buckets.push(this.cap);
    return buckets;
  }

  /** Lets through every waiter that can go now, in arrival order, and sets a timer for the next one. */
  private pump(): void {
    const now = this.clock.now();
    let nextInMs = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.queue.length; ) {
      const waiter = this.queue[i] as Waiter;
      if (this.probing(waiter.group)) {
        i++; // woken by the probe's answer
        continue;
      }
      const buckets = this.bucketsOf(waiter.group);
      const wait = Math.max(...buckets.map((b) => b.msUntilToken(now)));
      if (wait > 0) {
        nextInMs = Math.min(nextInMs, wait);
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      waiter.grant(this.send(waiter.group, buckets, now));
    }
    this.schedule(now, nextInMs);
  }

  /** A group's first request goes alone until it is answered (slow start). */
  private probing(group: RateLimitGroup): boolean {
    if (this.answeredGroups.has(group)) return false;
    for (const ticket of this.inFlight) if (ticket.group === group) return true;
    return false;
  }

  private schedule(now: number, inMs: number): void {
    if (!Number.isFinite(inMs)) return;
    const at = now + inMs;
    // An earlier timer will pump again anyway; a later one is replaced.
    if (this.timer && this.timer.at <= at) return;
    this.timer?.cancel();
    const cancel = this.clock.setTimer(inMs, () => {
      this.timer = undefined;
      this.pump();
    });
    this.timer = { at, cancel };
  }

  private send(group: RateLimitGroup, buckets: readonly LearnedBucket[], now: number): Ticket {
    const takenAt = new Map<LearnedBucket, number>();
    for (const bucket of buckets) {
      bucket.take(now);
      takenAt.set(bucket, bucket.taken);
    }
    const ticket: Ticket = {
      group,
      sentAt: now,
      takenAt,
      settle: (answer) => {
        if (!this.inFlight.delete(ticket)) return;
        const limits = answer && parseRateLimitHeaders(answer.headers);
        if (limits) {
          this.answeredGroups.add(group);
          const answeredAt = this.clock.now();
          const observation = { ...limits, sentAt: ticket.sentAt, answeredAt };
          const wakeAt =
            answer.status === 429 ? answeredAt + (rateLimitWait(answer.headers, answeredAt) ?? 0) : undefined;
          this.learn(ticket, observation, wakeAt);
        }
        this.pump();
      },
    };
    this.inFlight.add(ticket);
    return ticket;
  }

  private learn(ticket: Ticket, o: BucketObservation, wakeAt: number | undefined): void {
    const now = o.answeredAt;
    const endpoint = this.endpoints.get(ticket.group) as LearnedBucket;
    const both = [this.global, endpoint];
    for (const bucket of both) bucket.raiseTo(this.estimate(ticket, bucket, o.remaining), now);
    // Any answer but a 429 proves both buckets had a token: each wins back pace a 429 cost it.
    if (wakeAt === undefined) for (const bucket of both) bucket.recover(now);

    const matching = both.filter((b) => b.capacity === o.limit);
    if (matching.length === 2) {
      for (const bucket of both) {
        bucket.lowerTo(this.estimate(ticket, bucket, o.remaining), now);
        if (wakeAt !== undefined) bucket.refuse(wakeAt, ticket.sentAt, now);
        else bucket.learnRate(o, false);
      }
      return;
    }
    let described = matching[0];
    if (described === undefined) {
      described = endpoint;
      endpoint.adoptCapacity(o.limit, now);
      this.global.lowerTo(this.estimate(ticket, this.global, o.remaining), now);
    }
    described.lowerTo(this.estimate(ticket, described, o.remaining), now);
    // A 429's headers say when the bucket has a token again, not how fast it refills (a burst of
    // other clients empties it too): the bucket is held until then and only its pace slows.
    if (wakeAt !== undefined) described.refuse(wakeAt, ticket.sentAt, now);
    else described.learnRate(o, true);
    this.report(described);
  }

  /** Debug-logs an estimate once it has moved by a fifth since it was last logged (each answer may nudge it). */
  private report(bucket: LearnedBucket): void {
    const last = this.reported.get(bucket);
    const perSecond = bucket.ratePerSecond;
    if (last && Math.abs(perSecond / last.perSecond - 1) <= 0.2 && bucket.capacity === last.capacity) {
      return;
    }
    this.reported.set(bucket, { perSecond, capacity: bucket.capacity });
    this.debug?.("auth0 rate limit estimate", {
      bucket: bucket.name,
      burst: bucket.capacity,
      per_second: Math.round(perSecond * 100) / 100,
    });
  }

  /** What the bucket holds at most, as far as this answer tells, once later and unanswered requests count. */
  private estimate(ticket: Ticket, bucket: LearnedBucket, remaining: number): number {
    const mine = ticket.takenAt.get(bucket) as number;
    let unseen = bucket.taken - mine;
    for (const other of this.inFlight) {
      const theirs = other.takenAt.get(bucket);
      if (theirs !== undefined && theirs < mine) unseen++;
    }
    return remaining - unseen;
  }
}
