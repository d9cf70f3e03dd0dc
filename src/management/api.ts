import { abortable } from "./abortable";
import { abortedByDeadline, deadlineOf, type OperationDeadlineExceeded } from "./deadline";
import { formatSeconds } from "./duration";
import { type FailureContext, managementApiError } from "./error-messages";
import { cancelledError, ManagementApiError } from "./errors";
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

  /** Resolves with the response body of a 2xx answer. */
  async call(call: ApiCall): Promise<unknown> {
    const deadlineAt = Date.now() + this.http.retry.deadlineMs;
    const cancelled = (): ManagementApiError =>
      abortedByDeadline(call.signal)
        ? waitingForTokenError(call, deadlineOf(call.signal)?.reason)
        : cancelledError(call.method, call.path);
    for (let renewed = false; ; renewed = true) {
      // Checked first so a cancelled call does not start a token fetch it will not wait for.
      if (call.signal?.aborted) throw cancelled();
      const token = await abortable(this.tokens.get(), call.signal, cancelled);
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

/** The operation's time ran out before a Management API token was there (the token request is shared and goes on). */
function waitingForTokenError(
  call: ApiCall,
  reason: OperationDeadlineExceeded | undefined,
): ManagementApiError {
  const deadline = reason
    ? `the operation's ${formatSeconds(reason.timeoutMs)} deadline${reason.setting ? ` (${reason.setting})` : ""}`
    : "the operation's deadline";
  return new ManagementApiError({
    reason: "deadline_exceeded",
    method: call.method,
    path: call.path,
    message: `${call.method} ${call.path} was not sent: ${deadline} passed while a Management API token was being requested. Check https://status.auth0.com and your network, then run again.`,
  });
}
