import { formatSeconds } from "./duration";
import { ManagementApiError, type ManagementErrorReason } from "./errors";
import type { HttpMethod, HttpOutcome } from "./http";
import { isRecord, stringField } from "./json";
import type { SecretRedactor } from "./secrets";
import type { Credentials } from "./types";

/** What the failing call was about, so the message can name the thing to fix. */
export interface FailureContext {
  method: HttpMethod;
  path: string;
  credential: Credentials["kind"];
  /** The Management API scope this endpoint needs, named when Auth0's message does not say. */
  scope: string;
  organizationId: string;
  userId: string;
  /** POSTs are not repeated as is on 5xx; the message says so. */
  retriedServerErrors: boolean;
}

interface Auth0ErrorBody {
  message: string | undefined;
  errorCode: string | undefined;
}

const DASHBOARD_GRANT_PATH = "Applications > APIs > Auth0 Management API > Machine to Machine Applications";

/** What to do about missing Management API scopes (one, or several joined with ", "), per kind of credential. */
export function missingScopeAdvice(credential: Credentials["kind"], scopes: string): string {
  const plural = scopes.includes(",");
  const scopeWord = plural ? "scopes" : "scope";
  return credential === "api-token"
    ? `The api_token (AUTH0_API_TOKEN) lacks the ${scopeWord} ${scopes}. Issue a token that includes ${plural ? "them" : "it"}, or use client_id/client_secret of an application granted ${scopes}.`
    : `The application (client_id) lacks the ${scopeWord} ${scopes}. Grant ${plural ? "them" : "it"} in the Auth0 dashboard: ${DASHBOARD_GRANT_PATH}, expand the application, tick ${scopes}, and click Update.`;
}

/** Turns a non-2xx Management API response into an error that says what to fix. */
export function managementApiError(
  outcome: HttpOutcome,
  ctx: FailureContext,
  redactor: SecretRedactor,
): ManagementApiError {
  const { status } = outcome.response;
  const body = parseAuth0Error(outcome.response.data, redactor);
  const said = describeAnswer(status, body);
  const { reason, advice } = explain(status, body, ctx, outcome);
  return new ManagementApiError({
    reason,
    status,
    errorCode: body.errorCode,
    method: ctx.method,
    path: ctx.path,
    // A 5xx does not say whether Auth0 acted before it failed.
    outcomeUnknown: status >= 500,
    message: `${ctx.method} ${ctx.path} failed (${said}). ${advice}`,
  });
}

function explain(
  status: number,
  body: Auth0ErrorBody,
  ctx: FailureContext,
  outcome: HttpOutcome,
): { reason: ManagementErrorReason; advice: string } {
  const message = body.message ?? "";
  const org = JSON.stringify(ctx.organizationId);
  const user = JSON.stringify(ctx.userId);
  switch (true) {
    case status === 400:
      return {
        reason: "invalid_request",
        advice:
          "The request was rejected as malformed; check organization_id, user_id and that every role is a role id (rol_...).",
      };
    case status === 401:
      return { reason: "unauthorized", advice: unauthorizedAdvice(ctx.credential) };
    case status === 403 && (body.errorCode === "insufficient_scope" || /scope/i.test(message)): {
      const scope = /expected(?: any of)?:\s*([^\s.,]+(?:,\s*[^\s.,]+)*)/i.exec(message)?.[1] ?? ctx.scope;
      return {
        reason: "insufficient_scope",
        advice: missingScopeAdvice(ctx.credential, scope),
      };
    }
    case status === 404 &&
      (body.errorCode === "inexistent_organization" || /organization does not exist/i.test(message)):
      return {
        reason: "organization_not_found",
        advice: `The organization ${org} does not exist in this tenant. Check organization_id and domain (AUTH0_DOMAIN).`,
      };
    case status === 404 && /not a member/i.test(message):
      return {
        reason: "not_a_member",
        advice: `The user ${user} is not a member of the organization ${org}. Add the user to the organization first, or check user_id and organization_id.`,
      };
    case status === 404 && (body.errorCode === "inexistent_user" || /user does not exist/i.test(message)):
      return {
        reason: "user_not_found",
        advice: `The user ${user} does not exist in this tenant. Check user_id (e.g. auth0|abc123) and domain (AUTH0_DOMAIN).`,
      };
    case status === 404 && (body.errorCode === "inexistent_role" || /role/i.test(message)):
      return {
        reason: "role_not_found",
        advice:
          "A role in roles does not exist in this tenant. Check the role ids under User Management > Roles.",
      };
    case status === 409:
      return {
        reason: "too_many_roles",
        advice:
          "An organization member can hold at most 50 roles, counting roles assigned outside this configuration. Reduce roles so the member ends up with at most 50.",
      };
    case status === 429:
      return {
        reason: "rate_limited",
        advice: `Auth0 answered 429 Too Many Requests ${outcome.rateLimited} time${outcome.rateLimited === 1 ? "" : "s"} in ${outcome.attempts} attempts over ${formatSeconds(outcome.elapsedMs)}, and the client waited the ${formatSeconds(outcome.askedMs)} it asked for in between: the tenant's Management API rate limit stayed exhausted. This provider paces its own requests by that limit, so other clients of the tenant are likely spending it; run again once they are done.`,
      };
    case status >= 500:
      return {
        reason: "server_error",
        advice: ctx.retriedServerErrors
          ? `Auth0 kept failing for ${outcome.attempts} attempts. Check https://status.auth0.com, then run again.`
          : "Not repeated as is, because the roles may have been assigned anyway. Run again: the next run reads the roles actually assigned.",
      };
    default:
      return {
        reason: "other",
        advice: "Check domain (AUTH0_DOMAIN) and the resource's organization_id, user_id and roles.",
      };
  }
}

function unauthorizedAdvice(credential: Credentials["kind"]): string {
  return credential === "api-token"
    ? "The api_token was rejected (expired, revoked, or issued for another tenant). Set a fresh Management API token in api_token (AUTH0_API_TOKEN), or use client_id/client_secret so tokens are renewed automatically."
    : "A freshly issued token was rejected too. Check client_id and client_secret (AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET), and that audience (AUTH0_AUDIENCE), if set, is this tenant's Management API identifier (by default https://DOMAIN/api/v2/ for your domain).";
}

/** Turns a failed client-credentials exchange at /oauth/token into an error that says what to fix. */
export function tokenEndpointError(outcome: HttpOutcome, redactor: SecretRedactor): ManagementApiError {
  const { status, data } = outcome.response;
  const record = isRecord(data) ? data : {};
  const code = stringField(record, "error");
  const description = stringField(record, "error_description") ?? stringField(record, "message");
  const said = `${status}${code ? ` ${redactor.redact(code)}` : ""}${description ? `: ${redactor.redact(description).replace(/\.$/, "")}` : ""}`;
  let reason: ManagementErrorReason;
  let advice: string;
  if (status === 403) {
    reason = "unauthorized";
    advice = `The application may not request tokens for this audience. Authorize it in the Auth0 dashboard (${DASHBOARD_GRANT_PATH}) and check audience (AUTH0_AUDIENCE).`;
  } else if (status === 401 || code === "access_denied" || code === "invalid_client") {
    reason = "unauthorized";
    advice =
      "The client credentials were rejected. Check client_id and client_secret (AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET) and that they belong to an application of this tenant (domain, AUTH0_DOMAIN).";
  } else if (status === 429) {
    reason = "rate_limited";
    advice = `Still rate limited after ${outcome.attempts} attempts: the tenant's Authentication API limit or M2M token quota is exhausted. Wait, then run again.`;
  } else if (status >= 500) {
    reason = "server_error";
    advice = "Check https://status.auth0.com, then run again.";
  } else if (status >= 200 && status < 300) {
    reason = "other";
    advice = "The response had no access_token. Check that domain (AUTH0_DOMAIN) points at an Auth0 tenant.";
  } else {
    reason = status === 400 ? "invalid_request" : "other";
    advice = "Check client_id, domain (AUTH0_DOMAIN) and audience (AUTH0_AUDIENCE).";
  }
  return new ManagementApiError({
    reason,
    status,
    errorCode: code === undefined ? undefined : redactor.redact(code),
    method: "POST",
    path: "/oauth/token",
    message: `Requesting a Management API token failed (${said}). ${advice}`,
  });
}

function parseAuth0Error(data: unknown, redactor: SecretRedactor): Auth0ErrorBody {
  if (!isRecord(data)) {
    return { message: undefined, errorCode: undefined };
  }
  const message = stringField(data, "message");
  const errorCode = stringField(data, "errorCode");
  return {
    message: message === undefined ? undefined : redactor.redact(message),
    errorCode: errorCode === undefined ? undefined : redactor.redact(errorCode),
  };
}

function describeAnswer(status: number, body: Auth0ErrorBody): string {
  const code = body.errorCode ? ` ${body.errorCode}` : "";
  const message = body.message ? `: ${body.message.replace(/\.$/, "")}` : "";
  return `${status}${code}${message}`;
}
