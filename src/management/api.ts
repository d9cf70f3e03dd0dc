import { abortable } from "./abortable";
import { deadlinePassed } from "./deadline";
import { type FailureContext, managementApiError } from "./error-messages";
import { cancelledError, type ManagementApiError, notSentError } from "./errors";
import type { HttpClient, HttpRequest } from "./http";
import type { RetryMode } from "./retry";
import type { SecretRedactor } from "./secrets";
import type { TokenSource } from "./tokens";
import type { RateLimitGroup } from "./types";

export interface ApiCall {
  method: HttpRequest["method"];
  path: string;
  query?: HttpRequest["query"];
  body?: unknown;
  mode: RetryMode;
  rateLimitGroup: RateLimitGroup;
  scope: string;
  organizationId: string;
  userId: string;
  signal?: AbortSignal;
}

/**
 * Authenticated Management API calls: adds the bearer token, renews it once when Auth0 answers
 * 401 (it may have been revoked or expired early), and turns failures into ManagementApiError.
 */
export class ManagementApi {
  constructor(
    private readonly http: HttpClient,
    private readonly tokens: TokenSource,
    private readonly redactor: SecretRedactor,
  ) {}

  /** How the client authenticates: error messages name the credential to fix. */
  get credential(): TokenSource["credential"] {
    return this.tokens.credential;
  }

  /**
   * The scopes the current token carries (a client-credentials grant is fetched for it if need be),
   * or undefined where they cannot be known.
   */
  async grantedScopes(signal?: AbortSignal): Promise<ReadonlySet<string> | undefined> {
    const token = await abortable(this.tokens.get(), signal, () => cancelledError("POST", "/oauth/token"));
    return token.scopes;
  }

  /** Resolves with the response body of a 2xx answer. */
  async call(call: ApiCall): Promise<unknown> {
    const deadlineAt = Date.now() + this.http.retry.deadlineMs;
    const stopped = (while_?: string): ManagementApiError => {
      const passed = deadlinePassed(call.signal);
      return passed
        ? notSentError(call.method, call.path, passed.deadline, while_)
        : cancelledError(call.method, call.path);
    };
    for (let renewed = false; ; renewed = true) {
      // Checked first so a cancelled call does not start a token fetch it will not wait for.
      if (call.signal?.aborted) throw stopped();
      const token = await abortable(this.tokens.get(), call.signal, () =>
        stopped("while a Management API token was being requested"),
      );
      const outcome = await this.http.request({
        method: call.method,
        path: call.path,
        query: call.query,
        body: call.body,
        headers: { Authorization: `Bearer ${token.value}` },
        mode: call.mode,
        rateLimitGroup: call.rateLimitGroup,
        deadlineAt,
        signal: call.signal,
      });
      const { status, data } = outcome.response;
      if (status >= 200 && status < 300) return data;
      // A 401 means Auth0 did not act on the request, so even an unsafe request may be repeated.
      if (status === 401 && !renewed && this.tokens.invalidate(token)) continue;
      throw managementApiError(outcome, this.failureContext(call), this.redactor);
    }
  }

  private failureContext(call: ApiCall): FailureContext {
    return {
      method: call.method,
      path: call.path,
      credential: this.tokens.credential,
      scope: call.scope,
      organizationId: call.organizationId,
      userId: call.userId,
      retriedServerErrors: call.mode === "idempotent",
    };
  }
}
