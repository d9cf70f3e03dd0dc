/**
 * Public types of the local Auth0 tenant emulator. Other parts of the project (API client tests, the
 * provider's end-to-end tests, the demo, the benchmarks) code against exactly these shapes.
 */

/** Also the JSON seed-file format (see `loadSeedFile`). */
export interface SeedData {
  clients?: { clientId: string; clientSecret: string; scopes: string[] }[];
  /** `type`/`owner_id`: an organization-scoped role (its name may repeat in the tenant). */
  roles?: { id: string; name: string; description?: string; type?: string; owner_id?: string }[];
  users?: { user_id: string; name?: string; email?: string; picture?: string }[];
  organizations?: { id: string; name: string; members?: { user_id: string; roles?: string[] }[] }[];
}

/** Auth0's per-endpoint rate-limit groups that the emulated endpoints fall into. */
export type EndpointGroup =
  | "read:organization_member_roles"
  | "write:organization_member_roles"
  | "read:organization_members"
  | "write:organization_members";

export interface RateLimitOptions {
  /** Tenant-wide bucket. Default: Auth0 Enterprise production, burst 50, 16 per second. */
  global?: { burst: number; perSecond: number };
  /**
   * Per endpoint group. Defaults (Auth0 Enterprise): read/write organization member roles burst 20,
   * 200 per minute; read organization members burst 40, 500 per minute; write organization members
   * burst 20, 200 per minute.
   */
  endpoints?: Partial<Record<EndpointGroup, { burst: number; perMinute: number }>>;
  /** 10 = buckets refill 10x faster than real time (benchmarks). Default 1. */
  timeScale?: number;
  /** Clock in milliseconds since the epoch; tests inject a fake one so they need not sleep. */
  now?: () => number;
}

export interface EmulatorOptions {
  /** Default "127.0.0.1". Non-loopback hosts are refused. */
  host?: string;
  /** Default 0 (an ephemeral port). */
  port?: number;
  /** Default `DEFAULT_SEED`. Pass `{}` for an empty tenant. */
  seed?: SeedData;
  /** `false` = unlimited (the rate-limit headers are still sent). */
  rateLimits?: RateLimitOptions | false;
  /**
   * Serve HTTPS with a fresh self-signed certificate for 127.0.0.1, localhost and `host`, written
   * as PEM to `caFile` (`true`: a file of the emulator's own, removed on stop). Clients that
   * always speak HTTPS, such as the official Auth0 provider, trust it through SSL_CERT_FILE (Go) or
   * NODE_EXTRA_CA_CERTS (Node.js).
   */
  https?: true | { caFile: string };
}

export interface RequestLogEntry {
  method: string;
  /** Raw path as sent, still percent-encoded, without the query string. */
  path: string;
  /** Decoded query parameters (the last value wins when a name repeats). */
  query: Record<string, string>;
  /** HTTP status answered; 0 while still in flight or when the connection was dropped by a fault. */
  status: number;
  /** Parsed JSON (or form) body of POST/DELETE requests; the raw text when it is not valid JSON. */
  body?: unknown;
  /** Arrival time, milliseconds since the epoch, on the `rateLimits.now` clock when one is injected. */
  at: number;
  /** The fault injected into this request, if one was. */
  fault?: FaultSpec["kind"];
}

/**
 * Faults drawn at random for every Management API request, from a seeded generator: the same seed
 * and the same requests in the same order give the same faults. Each field is a probability, 0-1.
 */
export interface RandomFaultSpec {
  seed: number;
  /** 429 with `Retry-After: 1`. */
  rateLimit?: number;
  /** 502, 503 or 504. */
  serverError?: number;
  /** The connection destroyed without an answer. */
  reset?: number;
  /** An answer delayed by up to `maxLatencyMs`. */
  latency?: number;
  /**
   * The share (0-1) of those 5xx and resets that come after the request was served (an
   * "after-apply" fault: a write took effect, its answer is lost); default 0, all before.
   */
  afterApply?: number;
  /** Default 500. */
  maxLatencyMs?: number;
}

export interface FaultSpec {
  /** Which requests: method (case-insensitive) and path (exact raw or decoded path, or a RegExp tested on both). */
  method?: string;
  path?: RegExp | string;
  /** How many matching requests (default 1; `Infinity` for all). */
  times?: number;
  /**
   * - status: answer `status` (e.g. 503) with an Auth0 error body;
   * - drop: destroy the socket without answering (a connection reset);
   * - latency: wait `latencyMs`, then serve normally;
   * - rate-limit: 429 with the documented body and headers (a "429 storm" when `times` is large);
   * - hang: never answer; the request stays open until the client gives up or the emulator stops;
   * - malformed-body: answer `status` (default 200) with `body`, sent as is (any text);
   * - repeated-page: serve the first page whatever page (or `from` cursor) was asked for, and, with
   *   `total`, claim that many items in `total` (a listing that never ends);
   * - after-apply: serve the request as usual (a write changes the tenant), then answer `status`
   *   instead, or without `status` destroy the socket: a failure the client cannot tell apart from
   *   one that came before the change.
   */
  kind:
    | "status"
    | "drop"
    | "latency"
    | "rate-limit"
    | "hang"
    | "malformed-body"
    | "repeated-page"
    | "after-apply";
  status?: number;
  latencyMs?: number;
  /** For kind "rate-limit": the Retry-After header value in seconds (default 1). */
  retryAfterSeconds?: number;
  /** For kind "malformed-body": the response body, exactly as sent. */
  body?: string;
  /** For kind "repeated-page": the `total` claimed in pages with include_totals. */
  total?: number;
}

export interface Emulator {
  /** "http://127.0.0.1:PORT" (no trailing slash); "https://..." in HTTPS mode. */
  readonly url: string;
  /** HTTPS mode: the PEM file of the certificate clients must trust; undefined over plain HTTP. */
  readonly caFile: string | undefined;
  /** `${url}/api/v2/` */
  readonly audience: string;
  /** Seed and inspect state directly. */
  readonly tenant: import("./tenant").Tenant;
  /** Every request, in order of arrival (token requests included, `/__emulator/` requests not). */
  readonly requests: readonly RequestLogEntry[];
  clearRequests(): void;
  injectFault(f: FaultSpec): void;
  /** Also clears random faults. */
  clearFaults(): void;
  /** Draws faults at random for every Management API request from now on (undefined: stop). */
  randomFaults(spec: RandomFaultSpec | undefined): void;
  /** A token as an `api_token` user would paste it: signed by this emulator, for its audience by default. */
  issueToken(opts: { scopes: string[]; expiresInSeconds?: number; audience?: string }): string;
  stop(): Promise<void>;
}
