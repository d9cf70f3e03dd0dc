export type ManagementErrorReason =
  | "organization_not_found"
  | "user_not_found"
  | "not_a_member"
  | "role_not_found"
  | "insufficient_scope"
  | "unauthorized"
  | "too_many_roles"
  | "rate_limited"
  | "invalid_request"
  | "server_error"
  | "network"
  | "deadline_exceeded"
  | "cancelled"
  | "other";

export interface ManagementApiErrorInit {
  reason: ManagementErrorReason;
  message: string;
  method: string;
  /** Path without host or query. */
  path: string;
  status?: number;
  errorCode?: string;
  /** See ManagementApiError.outcomeUnknown; default false. */
  outcomeUnknown?: boolean;
}

/**
 * The one error type for failed API calls. It deliberately holds only plain data: no axios
 * config, request or response, because those carry the Authorization header.
 */
export class ManagementApiError extends Error {
  override readonly name = "ManagementApiError";
  readonly reason: ManagementErrorReason;
  /** undefined for network errors, deadline and cancellation. */
  readonly status: number | undefined;
  readonly errorCode: string | undefined;
  readonly method: string;
  readonly path: string;
  /**
   * True when the request may have reached Auth0 and its effect is not known: a 5xx, or a
   * connection lost (reset, timed out) after the request was sent. False when Auth0 refused it
   * (4xx), or it was never sent.
   */
  readonly outcomeUnknown: boolean;

  constructor(init: ManagementApiErrorInit) {
    super(init.message);
    this.reason = init.reason;
    this.status = init.status;
    this.errorCode = init.errorCode;
    this.method = init.method;
    this.path = init.path;
    this.outcomeUnknown = init.outcomeUnknown ?? false;
  }
}

/** A client option is invalid; `field` names the option (e.g. "domain", "retry.maxAttempts"). */
export class ConfigurationError extends Error {
  override readonly name = "ConfigurationError";
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

export function cancelledError(method: string, path: string): ManagementApiError {
  return new ManagementApiError({
    reason: "cancelled",
    method,
    path,
    message: `${method} ${path} was cancelled before Auth0 answered.`,
  });
}

/** A call of an operation whose time the calls before it had already spent (`deadline` names it). */
export function notSentError(
  method: string,
  path: string,
  deadline: string,
  while_?: string,
): ManagementApiError {
  return new ManagementApiError({
    reason: "deadline_exceeded",
    method,
    path,
    message:
      `${method} ${path} was not sent: ${deadline} passed ${while_ ?? "before it could start, spent by the calls before it in the same operation"}. ` +
      "Check https://status.auth0.com and your network, then run again; raise the deadline if Auth0 is merely slow.",
  });
}
