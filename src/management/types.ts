/** How the client authenticates. The two kinds are exclusive, like `api_token` vs client credentials in the provider. */
export type Credentials =
  | { kind: "client-credentials"; clientId: string; clientSecret: string; audience?: string }
  | { kind: "api-token"; token: string };

export type LogFields = Record<string, string | number | boolean>;

/** Receives request-level diagnostics. Never given headers, bodies of token calls, or secrets. */
export interface ManagementLogger {
  debug(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
}

export interface RetryPolicy {
  /** Attempts per request, the first one included, when Auth0 fails or does not answer. */
  maxAttempts: number;
  /**
   * Attempts per request while Auth0 answers 429: each says when to come back and had no effect, so
   * they are allowed more often than failures.
   */
  maxRateLimitedAttempts: number;
  /**
   * Total time one request may take, retries and waits included. A signal from operationSignal()
   * sets an earlier deadline for every call of one operation.
   */
  deadlineMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface ManagementClientOptions {
  /** "tenant.eu.auth0.com" (HTTPS is implied), or a URL: "https://x", or "http://127.0.0.1:1234" (loopback only). */
  domain: string;
  credentials: Credentials;
  retry?: Partial<RetryPolicy>;
  logger?: ManagementLogger;
  /** Per HTTP request; default 30 s. */
  timeoutMs?: number;
  userAgent?: string;
  /** Roles (and members) per page when listing (1-100, default 100, Auth0's maximum). */
  pageSize?: number;
  /** Cap on the rate of all Management API requests together, on top of the pacing by Auth0's limits. */
  maxRequestsPerSecond?: number;
  /** Time source for pacing and the waits between attempts; tests inject a virtual one. */
  pacingClock?: PacingClock;
}

/** Auth0's per-endpoint rate-limit groups of the endpoints this client calls. */
export type RateLimitGroup =
  | "read:organization_member_roles"
  | "write:organization_member_roles"
  | "read:organization_members"
  | "read:roles"
  | "read:organizations";

export interface PacingClock {
  /** Epoch milliseconds. */
  now(): number;
  /** Calls `fire` once `ms` have passed; returns a function that cancels it. */
  setTimer(ms: number, fire: () => void): () => void;
}

/** An organization of the tenant, as `GET /api/v2/organizations` lists it. */
export interface Organization {
  id: string;
  name: string;
}

export interface Role {
  id: string;
  name?: string;
  description?: string;
  /** Organization-scoped roles: the organization owning the role (its name may repeat across organizations). */
  ownerId?: string;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface MembersWalkOptions extends CallOptions {
  /**
   * Asked before each page after the first, with the number of pages read so far: false abandons the
   * walk (it throws), e.g. when the organization turns out larger than the listing is worth.
   */
  shouldContinue?: (pagesRead: number) => boolean;
}
