import { ConfigurationError, DEFAULT_RETRY_POLICY } from "../../src/management";
import { rateLimitWait, resolveRetryPolicy, retryDelay } from "../../src/management/retry";

const policy = {
  maxAttempts: 5,
  maxRateLimitedAttempts: 10,
  deadlineMs: 10_000,
  baseDelayMs: 100,
  maxDelayMs: 1_000,
};
const NOW = 1_700_000_000_000;
const ctx = (attempt: number, random = 0.5) => ({ policy, attempt, nowMs: NOW, random: () => random });
const response = (status: number, headers: Record<string, string> = {}) => ({
  kind: "response" as const,
  status,
  headers,
});

describe("retryDelay", () => {
  it("backs off exponentially between half and all of base * 2^(attempt-1), capped by maxDelayMs", () => {
    expect(retryDelay(response(503), "idempotent", ctx(1, 0))).toBe(50);
    expect(retryDelay(response(503), "idempotent", ctx(1, 0.999))).toBe(100);
    expect(retryDelay(response(503), "idempotent", ctx(3, 0))).toBe(200);
    expect(retryDelay(response(503), "idempotent", ctx(10, 0.999))).toBe(1_000);
  });

  it("retries 429 at the x-ratelimit-reset epoch second, plus jitter", () => {
    const reset = String((NOW + 400) / 1_000);
    expect(retryDelay(response(429, { "x-ratelimit-reset": reset }), "idempotent", ctx(1, 0))).toBe(400);
    expect(retryDelay(response(429, { "x-ratelimit-reset": reset }), "idempotent", ctx(1, 0.5))).toBe(450);
  });

  it("prefers Retry-After (a delta, immune to clock skew) over x-ratelimit-reset", () => {
    const headers = { "retry-after": "0.3", "x-ratelimit-reset": String(NOW / 1_000 + 60) };
    expect(retryDelay(response(429, headers), "idempotent", ctx(1, 0))).toBe(300);
  });

  it("caps a 429 wait at maxDelayMs", () => {
    expect(retryDelay(response(429, { "retry-after": "3600" }), "idempotent", ctx(1))).toBe(1_000);
  });

  it("falls back to backoff for a 429 without rate-limit headers", () => {
    expect(retryDelay(response(429), "unsafe", ctx(2, 0))).toBe(100);
  });

  it("retries 429 even for unsafe requests: Auth0 did not act on them", () => {
    expect(retryDelay(response(429, { "retry-after": "0" }), "unsafe", ctx(1, 0))).toBe(0);
  });

  it("retries 5xx and any network error only for idempotent requests", () => {
    expect(retryDelay(response(500), "unsafe", ctx(1))).toBeUndefined();
    expect(retryDelay({ kind: "network", code: "ECONNRESET" }, "unsafe", ctx(1))).toBeUndefined();
    expect(retryDelay({ kind: "network", code: "ECONNRESET" }, "idempotent", ctx(1))).toBeDefined();
  });

  it("retries an unsafe request whose connection was refused: it never reached the server", () => {
    expect(retryDelay({ kind: "network", code: "ECONNREFUSED" }, "unsafe", ctx(1, 0))).toBe(50);
  });

  it.each([400, 401, 403, 404, 409])("does not retry %p", (status) => {
    expect(retryDelay(response(status), "idempotent", ctx(1))).toBeUndefined();
  });
});

describe("rateLimitWait", () => {
  it("treats a reset in the past as no wait", () => {
    expect(rateLimitWait({ "x-ratelimit-reset": String(NOW / 1_000 - 5) }, NOW)).toBe(0);
  });

  it("ignores unparseable headers", () => {
    expect(rateLimitWait({ "retry-after": "soon", "x-ratelimit-reset": "" }, NOW)).toBeUndefined();
  });
});

describe("resolveRetryPolicy", () => {
  it("defaults to 5 attempts (10 while rate limited), a 2 minute deadline, 250 ms base and 30 s max", () => {
    expect(resolveRetryPolicy()).toEqual({
      maxAttempts: 5,
      maxRateLimitedAttempts: 10,
      deadlineMs: 120_000,
      baseDelayMs: 250,
      maxDelayMs: 30_000,
    });
    expect(resolveRetryPolicy({ maxAttempts: 2 })).toEqual({ ...DEFAULT_RETRY_POLICY, maxAttempts: 2 });
  });

  it("names the invalid field", () => {
    expect(() => resolveRetryPolicy({ deadlineMs: 0 })).toThrow(ConfigurationError);
    expect(() => resolveRetryPolicy({ maxAttempts: 1.5 })).toThrow(
      /retry.maxAttempts must be a positive whole number/,
    );
  });
});
