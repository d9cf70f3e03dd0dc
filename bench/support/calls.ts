import { DEFAULT_RATE_LIMITS, type EndpointGroup, type RequestLogEntry } from "../../src/emulator";
import { matchRoute } from "../../src/emulator/routes";

/** What one terraform command asked of the tenant, from the emulator's request log. */
export interface CallSummary {
  /** Management API requests (429s included: each is a request the tenant had to answer). */
  api: number;
  /** `POST /oauth/token` requests (Authentication API, a separate quota). */
  token: number;
  /** Answers 429 Too Many Requests. */
  tooMany: number;
  /** Other answers >= 400, and requests never answered (status 0). */
  failed: number;
  /** Requests that took a token from each bucket: `global` and every endpoint group. */
  perBucket: Record<"global" | EndpointGroup, number>;
  /** First and last Management API request arrival, ms since the epoch (NaN without requests). */
  firstAt: number;
  lastAt: number;
}

const API_PREFIX = "/api/v2/";

function group(entry: RequestLogEntry): EndpointGroup | undefined {
  const segments = entry.path
    .slice(API_PREFIX.length)
    .split("/")
    .map((s) => decodeURIComponent(s));
  const match = matchRoute(entry.method, segments);
  return match.kind === "found" ? match.operation.group : undefined;
}

export function summarizeCalls(log: readonly RequestLogEntry[]): CallSummary {
  const perBucket = {
    global: 0,
    "read:organization_member_roles": 0,
    "write:organization_member_roles": 0,
    "read:organization_members": 0,
    "write:organization_members": 0,
  };
  const summary: CallSummary = {
    api: 0,
    token: 0,
    tooMany: 0,
    failed: 0,
    perBucket,
    firstAt: Number.NaN,
    lastAt: Number.NaN,
  };
  for (const entry of log) {
    if (entry.status === 429) summary.tooMany++;
    else if (entry.status >= 400 || entry.status === 0) summary.failed++;
    if (!entry.path.startsWith(API_PREFIX)) {
      summary.token++;
      continue;
    }
    summary.api++;
    if (Number.isNaN(summary.firstAt)) summary.firstAt = entry.at;
    summary.lastAt = entry.at;
    // A refused request takes no token (the emulator checks both buckets before taking from either).
    if (entry.status === 429) continue;
    perBucket.global++;
    const g = group(entry);
    if (g) perBucket[g]++;
  }
  return summary;
}

export interface RateBound {
  /** The bucket that takes longest to serve its requests ("a = b" when several tie). */
  bucket: string;
  calls: number;
  /** Requests per second that bucket allows at the time scale. */
  perSecond: number;
  /** calls / perSecond: the shortest time the tenant's limits allow for these calls (burst ignored). */
  seconds: number;
}

/** The rate-limit bound of a run: its calls over the allowed rate of the binding bucket, at `timeScale`. */
export function rateBound(summary: CallSummary, timeScale: number): RateBound {
  const rates: Record<keyof CallSummary["perBucket"], number> = {
    global: DEFAULT_RATE_LIMITS.global.perSecond,
    ...(Object.fromEntries(
      Object.entries(DEFAULT_RATE_LIMITS.endpoints).map(([g, l]) => [g, l.perMinute / 60]),
    ) as Record<EndpointGroup, number>),
  };
  let bound: RateBound | undefined;
  for (const [bucket, calls] of Object.entries(summary.perBucket) as [keyof typeof rates, number][]) {
    const perSecond = rates[bucket] * timeScale;
    const seconds = calls / perSecond;
    if (bound && seconds === bound.seconds) bound.bucket += ` = ${bucket}`;
    else if (!bound || seconds > bound.seconds) bound = { bucket, calls, perSecond, seconds };
  }
  return bound as RateBound;
}

/** The emulator's rate limits (Auth0's documented Enterprise numbers), as BENCHMARKS.md states them. */
export function describeLimits(): string {
  const { global, endpoints } = DEFAULT_RATE_LIMITS;
  const groups = Object.entries(endpoints).map(([g, l]) => `${g} burst ${l.burst}, ${l.perMinute}/min`);
  return [`global burst ${global.burst}, ${global.perSecond}/s`, ...groups].map((l) => `- ${l}`).join("\n");
}
