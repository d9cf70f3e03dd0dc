import { type Emulator, RateLimiter, startEmulator, TokenBucket } from "../../src/emulator";
import { ACME, ALICE, call, memberRolesPath } from "./helpers";

/** A clock the test moves by hand. */
function fakeClock(start = 1_700_000_000_000) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe("TokenBucket", () => {
  it("allows a burst, then refills continuously", () => {
    const clock = fakeClock();
    const bucket = new TokenBucket(3, 2, clock.now); // burst 3, 2 per second
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(bucket.msUntilToken()).toBe(500);
    clock.advance(499);
    expect(bucket.tryTake()).toBe(false);
    clock.advance(1);
    expect(bucket.tryTake()).toBe(true);
    clock.advance(60_000);
    expect(bucket.state().remaining).toBe(3); // never above the burst
  });

  it("reports reset as UNIX epoch seconds: when full again, or when the next token arrives if empty", () => {
    const clock = fakeClock(1_700_000_000_000);
    const bucket = new TokenBucket(10, 1, clock.now);
    bucket.tryTake();
    bucket.tryTake();
    expect(bucket.state()).toEqual({ limit: 10, remaining: 8, reset: 1_700_000_002 });
    for (let i = 0; i < 8; i++) bucket.tryTake();
    expect(bucket.state()).toEqual({ limit: 10, remaining: 0, reset: 1_700_000_001 });
  });
});

describe("RateLimiter", () => {
  it("checks the global bucket first, then the endpoint's, and takes from both or neither", () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({
      now: clock.now,
      global: { burst: 3, perSecond: 1 },
      endpoints: { "read:organization_member_roles": { burst: 2, perMinute: 60 } },
    });
    expect(limiter.check("read:organization_member_roles").allowed).toBe(true);
    expect(limiter.check("read:organization_member_roles").allowed).toBe(true);
    const endpoint = limiter.check("read:organization_member_roles");
    expect(endpoint).toMatchObject({ allowed: false, message: expect.stringContaining("Too many requests") });
    expect(limiter.check("write:organization_member_roles").allowed).toBe(true); // the refusal took no global token
    const global = limiter.check("write:organization_member_roles");
    expect(global).toMatchObject({ allowed: false, message: "Global limit has been reached" });
    expect(global.headers).toMatchObject({
      "x-ratelimit-limit": "3",
      "x-ratelimit-remaining": "0",
      "retry-after": "1",
    });
  });

  it("refills timeScale times faster", () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ now: clock.now, global: { burst: 1, perSecond: 1 }, timeScale: 10 });
    expect(limiter.check(undefined).allowed).toBe(true);
    expect(limiter.check(undefined).allowed).toBe(false);
    clock.advance(100);
    expect(limiter.check(undefined).allowed).toBe(true);
  });

  it("uses Auth0's Enterprise numbers by default and reports the tighter bucket", () => {
    const limiter = new RateLimiter(undefined);
    expect(limiter.check("read:organization_members").headers["x-ratelimit-limit"]).toBe("40");
    expect(limiter.check(undefined).headers["x-ratelimit-limit"]).toBe("50");
  });

  it("with false never refuses but still sends headers", () => {
    const limiter = new RateLimiter(false);
    for (let i = 0; i < 500; i++) expect(limiter.check("write:organization_member_roles").allowed).toBe(true);
    expect(Object.keys(limiter.check(undefined).headers)).toEqual([
      "x-ratelimit-limit",
      "x-ratelimit-remaining",
      "x-ratelimit-reset",
    ]);
  });
});

describe("rate limits over HTTP", () => {
  let emu: Emulator;
  const clock = fakeClock(Date.now());
  beforeEach(async () => {
    emu = await startEmulator({
      rateLimits: {
        now: clock.now,
        endpoints: { "read:organization_member_roles": { burst: 3, perMinute: 60 } },
      },
    });
  });
  afterEach(() => emu.stop());

  it("sends x-ratelimit-* on every /api/v2 response and a documented 429 with Retry-After when exhausted", async () => {
    const path = memberRolesPath(ACME, ALICE);
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const reply = await call(emu, "GET", path);
      expect(reply.status).toBe(200);
      expect(reply.headers.get("x-ratelimit-limit")).toBe("3");
      remaining.push(reply.headers.get("x-ratelimit-remaining") as string);
      const reset = Number(reply.headers.get("x-ratelimit-reset"));
      expect(reset).toBeGreaterThanOrEqual(Math.floor(clock.now() / 1000));
      expect(reset).toBeLessThan(clock.now() / 1000 + 10);
    }
    expect(remaining).toEqual(["2", "1", "0"]);
    const refused = await call(emu, "GET", path);
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({
      statusCode: 429,
      error: "Too Many Requests",
      message:
        "Too many requests. Check the X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset headers.",
      errorCode: "too_many_requests",
    });
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(refused.headers.get("x-ratelimit-remaining")).toBe("0");
    // Unauthenticated and unknown requests are limited and carry the headers too.
    expect(
      (await call(emu, "GET", "/api/v2/nothing-here", { token: null })).headers.get("x-ratelimit-limit"),
    ).toBe("50");
    clock.advance(1000);
    expect((await call(emu, "GET", path)).status).toBe(200);
  });

  it("answers the global 429 body when the tenant-wide bucket is empty", async () => {
    for (let i = 0; i < 50; i++) await call(emu, "GET", "/api/v2/roles");
    const reply = await call(emu, "GET", "/api/v2/roles");
    expect(reply.status).toBe(429);
    expect(reply.body).toEqual({
      statusCode: 429,
      error: "Too Many Requests",
      message: "Global limit has been reached",
      errorCode: "too_many_requests",
    });
    // The token endpoint belongs to the Authentication API: not limited here.
    expect(
      (await call(emu, "GET", "/oauth/token", { token: null })).headers.get("x-ratelimit-limit"),
    ).toBeNull();
  });
});
