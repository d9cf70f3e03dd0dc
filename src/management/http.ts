import axios, { type AxiosInstance, isAxiosError } from "axios";
import { keepAliveAgents } from "./agents";
import { deadlineOf, deadlinePassed } from "./deadline";
import { formatSeconds } from "./duration";
import { cancelledError, ManagementApiError, notSentError } from "./errors";
import type { PacingTicket, RequestPacer } from "./pacer";
import { type AttemptResult, mayHaveBeenSent, type RetryMode, rateLimitWait, retryDelay } from "./retry";
import type { ManagementLogger, PacingClock, RateLimitGroup, RetryPolicy } from "./types";

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
  /** How many attempts Auth0 answered with 429. */
  rateLimited: number;
  /** The waits those 429s asked for (Retry-After, else X-RateLimit-Reset), added up. */
  askedMs: number;
}

/** What one request went through so far, for the message if it fails. */
interface RunRecord {
  readonly startedAt: number;
  attempts: number;
  rateLimited: number;
  askedMs: number;
  /** The deadline that binds (the request's, or its operation's) and how to name it. */
  readonly deadline: { readonly at: number; readonly name: string };
}

/** Where a request was when its deadline passed. */
type DeadlineEnd =
  | { phase: "not-sent" | "paced" | "in-flight" }
  | { phase: "waiting"; last: AttemptResult; waitMs?: number };

export interface HttpClientOptions {
  baseUrl: string;
  userAgent: string;
  timeoutMs: number;
  retry: RetryPolicy;
  logger?: ManagementLogger;
  /** Shared by every request of the client; each attempt of a request with a rateLimitGroup waits for it. */
  pacer?: RequestPacer;
  /** Times the waits between attempts (tests inject a virtual clock, shared with the pacer). */
  clock: PacingClock;
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
  private readonly clock: PacingClock;

  constructor(options: HttpClientOptions) {
    this.baseUrl = options.baseUrl;
    this.clock = options.clock;
    this.pacer = options.pacer;
    this.retry = options.retry;
    this.timeoutMs = options.timeoutMs;
    this.logger = options.logger;
    this.axios = axios.create({
      baseURL: options.baseUrl,
      ...keepAliveAgents(),
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
    const run: RunRecord = {
      startedAt: Date.now(),
      attempts: 0,
      rateLimited: 0,
      askedMs: 0,
      deadline: this.deadlineFor(req),
    };
    for (;;) {
      if (req.signal?.aborted) throw this.stopped(req, run, "before");
      const ticket = await this.paced(req, run);
      run.attempts++;
      const outcome = await this.attempt(req, run.deadline.at);
      ticket?.settle(outcome.kind === "answered" ? outcome.response : undefined);
      if (outcome.kind === "cancelled") throw this.stopped(req, run, "in-flight");
      if (outcome.kind === "deadline") throw this.deadlineExceeded(req, run, { phase: "in-flight" });

      const result: AttemptResult =
        outcome.kind === "network"
          ? outcome
          : { kind: "response", status: outcome.response.status, headers: outcome.response.headers };
      const now = this.clock.now();
      const wait = retryDelay(result, req.mode, {
        policy: this.retry,
        attempt: run.attempts,
        nowMs: now,
        random: Math.random,
      });
      // What Auth0 asked for; the wait may be capped below it, but the pacer holds the bucket until then.
      const asked = isRateLimited(result) ? (rateLimitWait(result.headers, now) ?? wait ?? 0) : 0;
      if (isRateLimited(result)) run.rateLimited++;
      if (wait === undefined || run.attempts >= this.attemptLimit(result)) {
        if (outcome.kind === "answered") {
          return {
            response: outcome.response,
            attempts: run.attempts,
            elapsedMs: Date.now() - run.startedAt,
            rateLimited: run.rateLimited,
            askedMs: run.askedMs,
          };
        }
        throw this.networkError(req, outcome.code, run.attempts, wait !== undefined);
      }
      if (Date.now() + Math.max(wait, asked) > run.deadline.at) {
        throw this.deadlineExceeded(req, run, {
          phase: "waiting",
          last: result,
          waitMs: Math.max(wait, asked),
        });
      }
      run.askedMs += asked;
      this.logger?.warn("auth0 request will be retried", {
        method: req.method,
        path: req.path,
        attempt: run.attempts,
        waitMs: wait,
        cause: describeResult(result),
      });
      try {
        await this.sleep(wait, req.signal);
      } catch {
        throw this.stopped(req, run, "waiting", result);
      }
    }
  }

  /** 429s are retried more often than failures: Auth0 did not act on the request and said when to come back. */
  private attemptLimit(result: AttemptResult): number {
    return isRateLimited(result) ? this.retry.maxRateLimitedAttempts : this.retry.maxAttempts;
  }

  /** The request's own deadline, or its operation's when that comes first. */
  private deadlineFor(req: HttpRequest): RunRecord["deadline"] {
    const operation = deadlineOf(req.signal);
    if (operation && operation.at <= req.deadlineAt) {
      return { at: operation.at, name: operation.reason.deadline };
    }
    return { at: req.deadlineAt, name: `the ${formatSeconds(this.retry.deadlineMs)} deadline` };
  }

  /** Resolves after `ms` on the client's clock; rejects when `signal` fires first. */
  private sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        cancel();
        reject(signal?.reason);
      };
      const cancel = this.clock.setTimer(ms, () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      });
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** The caller's signal fired: its operation's deadline passed, or Terraform asked to stop. */
  private stopped(
    req: HttpRequest,
    run: RunRecord,
    phase: "before" | "in-flight" | "waiting" | "paced",
    last?: AttemptResult,
  ): ManagementApiError {
    if (!deadlinePassed(req.signal)) return cancelledError(req.method, req.path);
    if (phase === "waiting" && last) return this.deadlineExceeded(req, run, { phase, last });
    if (phase === "before" && run.attempts === 0)
      return this.deadlineExceeded(req, run, { phase: "not-sent" });
    return this.deadlineExceeded(req, run, { phase: phase === "in-flight" ? "in-flight" : "paced" });
  }

  /** Waits for the pacer's go-ahead, within the request's deadline; every attempt counts against Auth0's limits. */
  private async paced(req: HttpRequest, run: RunRecord): Promise<PacingTicket | undefined> {
    if (!this.pacer || req.rateLimitGroup === undefined) return undefined;
    const remaining = run.deadline.at - Date.now();
    if (remaining <= 0) {
      throw this.deadlineExceeded(req, run, { phase: run.attempts === 0 ? "not-sent" : "paced" });
    }
    const deadline = AbortSignal.timeout(remaining);
    const signal = req.signal ? AbortSignal.any([req.signal, deadline]) : deadline;
    try {
      return await this.pacer.acquire(req.rateLimitGroup, signal);
    } catch {
      if (req.signal?.aborted) throw this.stopped(req, run, "paced");
      throw this.deadlineExceeded(req, run, { phase: "paced" });
    }
  }

  private async attempt(req: HttpRequest, deadlineAt: number): Promise<AttemptOutcome> {
    const remaining = deadlineAt - Date.now();
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
        `${attempts > 1 ? ` on attempt ${attempts}` : ""}; not repeated as is, because the request may have reached Auth0.`;
    return new ManagementApiError({
      reason: "network",
      method: req.method,
      path: req.path,
      outcomeUnknown: mayHaveBeenSent(code),
      message: `${what}${why} Check domain (AUTH0_DOMAIN) and network access to it, then run again; the next run reads the roles actually assigned.`,
    });
  }

  private deadlineExceeded(req: HttpRequest, run: RunRecord, end: DeadlineEnd): ManagementApiError {
    const deadline = run.deadline.name;
    const attempts = `${run.attempts} attempt${run.attempts === 1 ? "" : "s"}`;
    const history =
      run.rateLimited === 0
        ? ""
        : ` Auth0 answered 429 Too Many Requests ${run.rateLimited} time${run.rateLimited === 1 ? "" : "s"}${run.askedMs > 0 ? `; the client waited the ${formatSeconds(run.askedMs)} it asked for between attempts` : ""}.`;
    const tried = `${req.method} ${req.path} gave up after ${attempts} over ${formatSeconds(Date.now() - run.startedAt)}`;
    let detail: string;
    let advice: string;
    if (end.phase === "not-sent") return notSentError(req.method, req.path, deadline);
    if (end.phase === "paced") {
      detail = ` because it was still queued for its turn under the tenant's rate limits when ${deadline} passed.`;
      advice =
        run.rateLimited > 0
          ? " The tenant's rate limit kept refusing requests; other clients of the tenant share it. Run again later, or raise the deadline."
          : " More requests were queued than the tenant's rate limit lets through in that time: run with lower parallelism (terraform apply -parallelism=5), raise max_requests_per_second if you set it, or raise the deadline.";
    } else if (end.phase === "waiting") {
      const when =
        end.waitMs === undefined
          ? `while it waited to retry when ${deadline} passed`
          : `and the next one could only start in ${formatSeconds(end.waitMs)}, past ${deadline}`;
      detail = `: the last attempt got ${describeResult(end.last)} ${when}.`;
      advice = isRateLimited(end.last)
        ? " The tenant's Management API rate limit is exhausted; other clients of the tenant share it. Run again once it has recovered."
        : " Auth0 kept failing; check https://status.auth0.com and your network, then run again.";
    } else {
      detail = ` because Auth0 had not answered when ${deadline} passed.`;
      advice = " Check https://status.auth0.com and your network, then run again.";
    }
    return new ManagementApiError({
      reason: "deadline_exceeded",
      method: req.method,
      path: req.path,
      message: `${tried}${detail}${history}${advice}`,
    });
  }
}

function isRateLimited(result: AttemptResult): result is Extract<AttemptResult, { kind: "response" }> {
  return result.kind === "response" && result.status === 429;
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
