import http from "node:http";
import https from "node:https";
import { setTimeout as sleep } from "node:timers/promises";
import axios, { type AxiosInstance, isAxiosError } from "axios";
import { formatSeconds } from "./duration";
import { cancelledError, ManagementApiError } from "./errors";
import type { PacingTicket, RequestPacer } from "./pacer";
import { type AttemptResult, type RetryMode, retryDelay } from "./retry";
import type { ManagementLogger, RateLimitGroup, RetryPolicy } from "./types";

export type HttpMethod = "GET" | "POST" | "DELETE";

export interface HttpRequest {
  method: HttpMethod;
  /** Starts with "/", already percent-encoded. */
  path: string;
  query?: Record<string, string | number | boolean>;
  body?: unknown;
  /** Extra headers, e.g. Authorization. Never logged. */
  headers?: Record<string, string>;
  mode: RetryMode;
  /** The Management API rate-limit group the endpoint belongs to; undefined = not paced (token requests). */
  rateLimitGroup?: RateLimitGroup;
  /** Epoch ms after which no attempt starts and no wait ends. */
  deadlineAt: number;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: Readonly<Record<string, string | undefined>>;
  data: unknown;
}

/** The last response, after any retries it deserved, and what it took to get it. */
export interface HttpOutcome {
  response: HttpResponse;
  attempts: number;
  elapsedMs: number;
}

export interface HttpClientOptions {
  baseUrl: string;
  userAgent: string;
  timeoutMs: number;
  retry: RetryPolicy;
  logger?: ManagementLogger;
  /** Shared by every request of the client; each attempt of a request with a rateLimitGroup waits for it. */
  pacer?: RequestPacer;
}

type AttemptOutcome =
  | { kind: "answered"; response: HttpResponse }
  | { kind: "network"; code: string | undefined }
  | { kind: "deadline" }
  | { kind: "cancelled" };

/**
 * The single path every HTTP call takes (token requests included): one keep-alive axios instance,
 * client-side pacing of Management API requests, retries with backoff, the deadline, cancellation
 * and logging.
 *
 * It returns any HTTP status to the caller, who knows what the status means for its endpoint, and
 * throws ManagementApiError only for failures without a response (network, deadline, cancelled).
 */
export class HttpClient {
  readonly baseUrl: string;
  readonly retry: RetryPolicy;
  private readonly axios: AxiosInstance;
  private readonly timeoutMs: number;
  private readonly logger: ManagementLogger | undefined;
  private readonly pacer: RequestPacer | undefined;

  constructor(options: HttpClientOptions) {
    this.baseUrl = options.baseUrl;
    this.pacer = options.pacer;
    this.retry = options.retry;
    this.timeoutMs = options.timeoutMs;
    this.logger = options.logger;
    this.axios = axios.create({
      baseURL: options.baseUrl,
      // Agents reuse connections: one plan or apply makes many calls to the same host.
      httpAgent: new http.Agent({ keepAlive: true }),
      httpsAgent: new https.Agent({ keepAlive: true }),
      headers: {
        "User-Agent": options.userAgent,
        "Content-Type": "application/json",
        Accept: "application/json",
      },
      // Every status is an answer to interpret, not an exception; only transport failures throw.
      validateStatus: () => true,
      // The Management API does not redirect; following one could carry the bearer token elsewhere.
      maxRedirects: 0,
      responseType: "json",
    });
  }

  async request(req: HttpRequest): Promise<HttpOutcome> {
    const startedAt = Date.now();
    for (let attempt = 1; ; attempt++) {
      if (req.signal?.aborted) throw cancelledError(req.method, req.path);
      const ticket = await this.paced(req, attempt, startedAt);
      const outcome = await this.attempt(req);
      ticket?.settle(outcome.kind === "answered" ? outcome.response : undefined);
      if (outcome.kind === "cancelled") throw cancelledError(req.method, req.path);
      if (outcome.kind === "deadline") throw this.deadlineExceeded(req, attempt, startedAt, "in-flight");

      const result: AttemptResult =
        outcome.kind === "network"
          ? outcome
          : { kind: "response", status: outcome.response.status, headers: outcome.response.headers };
      const wait = retryDelay(result, req.mode, {
        policy: this.retry,
        attempt,
        nowMs: Date.now(),
        random: Math.random,
      });
      if (wait === undefined || attempt >= this.retry.maxAttempts) {
        if (outcome.kind === "answered") {
          return { response: outcome.response, attempts: attempt, elapsedMs: Date.now() - startedAt };
        }
        throw this.networkError(req, outcome.code, attempt, wait !== undefined);
      }
      if (Date.now() + wait > req.deadlineAt) {
        throw this.deadlineExceeded(req, attempt, startedAt, result, wait);
      }
      this.logger?.warn("auth0 request will be retried", {
        method: req.method,
        path: req.path,
        attempt,
        waitMs: wait,
        cause: describeResult(result),
      });
      try {
        await sleep(wait, undefined, req.signal ? { signal: req.signal } : undefined);
      } catch {
        throw cancelledError(req.method, req.path);
      }
    }
  }

  /** Waits for the pacer's go-ahead, within the request's deadline; every attempt counts against Auth0's limits. */
  private async paced(
    req: HttpRequest,
    attempt: number,
    startedAt: number,
  ): Promise<PacingTicket | undefined> {
    if (!this.pacer || req.rateLimitGroup === undefined) return undefined;
    const remaining = req.deadlineAt - Date.now();
    if (remaining <= 0) throw this.deadlineExceeded(req, attempt - 1, startedAt, "paced");
    const deadline = AbortSignal.timeout(remaining);
    const signal = req.signal ? AbortSignal.any([req.signal, deadline]) : deadline;
    try {
      return await this.pacer.acquire(req.rateLimitGroup, signal);
    } catch {
      if (req.signal?.aborted) throw cancelledError(req.method, req.path);
      throw this.deadlineExceeded(req, attempt - 1, startedAt, "paced");
    }
  }

  private async attempt(req: HttpRequest): Promise<AttemptOutcome> {
    const remaining = req.deadlineAt - Date.now();
    if (remaining <= 0) return { kind: "deadline" };
    const limitedByDeadline = remaining < this.timeoutMs;
    const controller = new AbortController();
    let stoppedBy: "timeout" | "deadline" | "caller" | undefined;
    const timer = setTimeout(
      () => {
        stoppedBy = limitedByDeadline ? "deadline" : "timeout";
        controller.abort();
      },
      Math.min(remaining, this.timeoutMs),
    );
    const onCallerAbort = (): void => {
      stoppedBy = "caller";
      controller.abort();
    };
    req.signal?.addEventListener("abort", onCallerAbort, { once: true });
    const started = Date.now();
    try {
      const res = await this.axios.request({
        method: req.method,
        url: req.path,
        params: req.query,
        data: req.body === undefined ? undefined : JSON.stringify(req.body),
        headers: req.headers,
        signal: controller.signal,
      });
      this.logger?.debug("auth0 request", {
        method: req.method,
        path: req.path,
        status: res.status,
        ms: Date.now() - started,
      });
      return {
        kind: "answered",
        response: { status: res.status, headers: plainHeaders(res.headers), data: res.data },
      };
    } catch (error) {
      if (stoppedBy === "caller") return { kind: "cancelled" };
      if (stoppedBy === "deadline") return { kind: "deadline" };
      // Only the code is kept: the axios error holds the request config, Authorization header included.
      const code = stoppedBy === "timeout" ? "ETIMEDOUT" : isAxiosError(error) ? error.code : undefined;
      this.logger?.debug("auth0 request failed", {
        method: req.method,
        path: req.path,
        code: code ?? "unknown",
      });
      return { kind: "network", code };
    } finally {
      clearTimeout(timer);
      req.signal?.removeEventListener("abort", onCallerAbort);
    }
  }

  private networkError(
    req: HttpRequest,
    code: string | undefined,
    attempts: number,
    retriesExhausted: boolean,
  ): ManagementApiError {
    const what = `${req.method} ${req.path} to ${this.baseUrl} failed without an answer (${code ?? "connection error"})`;
    const why = retriesExhausted
      ? ` after ${attempts} attempts.`
      : // Only unsafe requests stop early on a network error.
        `${attempts > 1 ? ` on attempt ${attempts}` : ""}; not retried because the request may have reached Auth0 and repeating it is not documented as harmless.`;
    return new ManagementApiError({
      reason: "network",
      method: req.method,
      path: req.path,
      message: `${what}${why} Check domain (AUTH0_DOMAIN) and network access to it, then run again; the next run reads the roles actually assigned.`,
    });
  }

  private deadlineExceeded(
    req: HttpRequest,
    attempts: number,
    startedAt: number,
    last: AttemptResult | "in-flight" | "paced",
    nextWaitMs?: number,
  ): ManagementApiError {
    const deadline = formatSeconds(this.retry.deadlineMs);
    const tried = `${req.method} ${req.path} gave up after ${attempts} attempt${attempts === 1 ? "" : "s"} over ${formatSeconds(Date.now() - startedAt)}`;
    let detail: string;
    let advice: string;
    if (last === "paced") {
      detail = ` because it was still waiting for its turn under the tenant's rate limits when the ${deadline} deadline passed.`;
      advice =
        " Too many requests were queued: run with lower parallelism (terraform apply -parallelism=5), or raise max_requests_per_second if you set it.";
    } else if (last === "in-flight") {
      detail = ` because Auth0 had not answered when the ${deadline} deadline passed.`;
      advice = " Check https://status.auth0.com and your network, then run again.";
    } else {
      detail = `: the last attempt got ${describeResult(last)} and the next one could only start in ${formatSeconds(nextWaitMs ?? 0)}, past the ${deadline} deadline.`;
      advice =
        last.kind === "response" && last.status === 429
          ? " The tenant's Management API rate limit is exhausted. Wait for it to recover, or run with lower parallelism (terraform apply -parallelism=2), then run again. Other tools using the same tenant share this limit."
          : " Auth0 kept failing; check https://status.auth0.com and your network, then run again.";
    }
    return new ManagementApiError({
      reason: "deadline_exceeded",
      method: req.method,
      path: req.path,
      message: `${tried}${detail}${advice}`,
    });
  }
}

function describeResult(result: AttemptResult): string {
  if (result.kind === "network") return `a network error (${result.code ?? "unknown"})`;
  return result.status === 429 ? "429 Too Many Requests" : `HTTP ${result.status}`;
}

function plainHeaders(headers: unknown): Record<string, string | undefined> {
  const plain: Record<string, string | undefined> = {};
  if (typeof headers !== "object" || headers === null) return plain;
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === "string") plain[name.toLowerCase()] = value;
    else if (typeof value === "number") plain[name.toLowerCase()] = String(value);
    else if (Array.isArray(value)) plain[name.toLowerCase()] = value.join(", ");
  }
  return plain;
}
