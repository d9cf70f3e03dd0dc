import { tokenEndpointError } from "./error-messages";
import type { HttpClient } from "./http";
import { isRecord } from "./json";
import type { SecretRedactor } from "./secrets";
import type { Credentials } from "./types";

/**
 * One issued token. Compared by identity, not by value: two fetches can return the same string
 * (same claims within one second), and a 401 must only drop the exact token it was answered with.
 */
export interface BearerToken {
  readonly value: string;
  /** The Management API scopes it carries; undefined where they cannot be known (an opaque token). */
  readonly scopes: ReadonlySet<string> | undefined;
}

/** Supplies bearer tokens for Management API calls. */
export interface TokenSource {
  readonly credential: Credentials["kind"];
  get(): Promise<BearerToken>;
  /** The API rejected `token` with 401. Returns whether asking `get()` again can yield a different token. */
  invalidate(token: BearerToken): boolean;
}

/** A token the user supplied: used as is, and nothing can replace it when it is rejected. */
export class StaticTokenSource implements TokenSource {
  readonly credential = "api-token";

  private readonly token: BearerToken;

  constructor(value: string) {
    this.token = { value, scopes: jwtScopes(value) };
  }

  get(): Promise<BearerToken> {
    return Promise.resolve(this.token);
  }

  invalidate(): boolean {
    return false;
  }
}

const REFRESH_MARGIN_MS = 60_000;
/** Lifetime assumed for a token whose answer gives none. */
const ASSUMED_LIFETIME_S = 300;

type ClientCredentials = Extract<Credentials, { kind: "client-credentials" }>;

/**
 * Client-credentials tokens, fetched once and shared by every concurrent call: token requests
 * count against the tenant's Authentication API limits and M2M token quota.
 */
export class ClientCredentialsTokenSource implements TokenSource {
  readonly credential = "client-credentials";
  private cached: { token: BearerToken; refreshAt: number } | undefined;
  private inFlight: Promise<BearerToken> | undefined;

  constructor(
    private readonly http: HttpClient,
    private readonly credentials: ClientCredentials,
    private readonly redactor: SecretRedactor,
  ) {}

  get(): Promise<BearerToken> {
    if (this.cached && Date.now() < this.cached.refreshAt) return Promise.resolve(this.cached.token);
    if (!this.inFlight) {
      this.inFlight = this.fetch().finally(() => {
        this.inFlight = undefined;
      });
      // Every waiting caller sees the failure; this keeps it from also surfacing as an unhandled
      // rejection when all of them were cancelled and nobody waits any more.
      this.inFlight.catch(() => {});
    }
    return this.inFlight;
  }

  invalidate(token: BearerToken): boolean {
    // Another caller may already have replaced the rejected token; keep the newer one.
    if (this.cached?.token === token) this.cached = undefined;
    return true;
  }

  private async fetch(): Promise<BearerToken> {
    const requestedAt = Date.now();
    const outcome = await this.http.request({
      method: "POST",
      path: "/oauth/token",
      body: {
        grant_type: "client_credentials",
        client_id: this.credentials.clientId,
        client_secret: this.credentials.clientSecret,
        audience: this.credentials.audience ?? `${this.http.baseUrl}/api/v2/`,
      },
      // A client-credentials grant changes nothing in the tenant, so repeating it is harmless.
      mode: "idempotent",
      deadlineAt: requestedAt + this.http.retry.deadlineMs,
    });
    const { status, data } = outcome.response;
    const token = isRecord(data) && typeof data.access_token === "string" ? data.access_token : undefined;
    if (status < 200 || status >= 300 || token === undefined || token === "") {
      throw tokenEndpointError(outcome, this.redactor);
    }
    this.redactor.add(token);
    // The answer's `scope` lists what was granted; a token without one may still be a JWT that says.
    const granted = isRecord(data) && typeof data.scope === "string" ? data.scope : undefined;
    const issued: BearerToken = {
      value: token,
      scopes: granted === undefined ? jwtScopes(token) : spaced(granted),
    };
    // Auth0 always sends expires_in; a server that does not still gets its token reused for a while
    // (a 401 renews it early) rather than a token request per call, which M2M quotas would not survive.
    const expiresIn = isRecord(data) && typeof data.expires_in === "number" ? data.expires_in : 0;
    const lifetimeMs = (expiresIn > 0 ? expiresIn : ASSUMED_LIFETIME_S) * 1_000;
    // A minute before expiry, or halfway for short-lived tokens, so no call starts with a token about to lapse.
    const margin = Math.min(REFRESH_MARGIN_MS, lifetimeMs / 2);
    this.cached = { token: issued, refreshAt: requestedAt + lifetimeMs - margin };
    return issued;
  }
}

function spaced(scope: string): ReadonlySet<string> {
  return new Set(scope.split(" ").filter(Boolean));
}

/**
 * The scopes a Management API access token's payload claims: `scope` (space separated) or
 * `permissions` (a list). Read without verifying the signature: only to name missing scopes before a
 * write, never to grant anything. undefined for anything that is not such a JWT.
 */
export function jwtScopes(token: string): ReadonlySet<string> | undefined {
  const parts = token.split(".");
  if (parts.length !== 3 || parts[1] === undefined) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  if (!isRecord(payload)) return undefined;
  if (typeof payload.scope === "string") return spaced(payload.scope);
  const { permissions } = payload;
  if (Array.isArray(permissions) && permissions.every((p) => typeof p === "string")) {
    return new Set(permissions);
  }
  return undefined;
}
