import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import type { Emulator } from "../../src/emulator";
import { ManagementClient } from "../../src/management";
import {
  ALICE,
  apiRequests,
  CLIENT_SECRET,
  clientFor,
  expectNoSecrets,
  failure,
  ORG,
  ROLE_IDS,
  recordingLogger,
  useTestEmulator,
} from "./fixtures";
import { VirtualClock } from "./virtual-clock";

let emu: Emulator;
useTestEmulator((started) => {
  emu = started;
});

const ROLE = ROLE_IDS[10] as string;

describe("429", () => {
  it("waits and retries, then succeeds", async () => {
    emu.injectFault({ kind: "rate-limit", times: 2, retryAfterSeconds: 1 });
    const { lines, logger } = recordingLogger();
    // maxDelayMs caps the 1 s Retry-After so the test stays fast.
    const listed = await clientFor(emu, { logger }).listMemberRoles(ORG, ALICE);
    expect(listed).toHaveLength(2);
    expect(apiRequests(emu, "GET").map((r) => r.status)).toEqual([429, 429, 200]);
    expect(lines.filter((l) => l.startsWith("warn auth0 request will be retried"))).toHaveLength(2);
    expect(lines.some((l) => l.includes('"cause":"429 Too Many Requests"'))).toBe(true);
  });

  it("retries a POST too: a 429 means Auth0 did not act on it", async () => {
    emu.injectFault({ kind: "rate-limit", method: "POST", times: 1, retryAfterSeconds: 1 });
    await clientFor(emu).assignMemberRoles(ORG, ALICE, [ROLE]);
    expect(apiRequests(emu, "POST").map((r) => r.status)).toEqual([429, 204]);
    expect(emu.tenant.memberRoles(ORG, ALICE)).toContain(ROLE);
  });

  it("gives up after maxRateLimitedAttempts with reason rate_limited, saying how many 429s and waits", async () => {
    emu.injectFault({ kind: "rate-limit", times: Number.POSITIVE_INFINITY, retryAfterSeconds: 1 });
    const error = await failure(
      clientFor(emu, {
        retry: { maxAttempts: 2, maxRateLimitedAttempts: 3, maxDelayMs: 5 },
        pacingClock: new VirtualClock(),
      }).listMemberRoles(ORG, ALICE),
    );
    expect(error).toMatchObject({ reason: "rate_limited", status: 429, errorCode: "too_many_requests" });
    expect(error.message).toMatch(
      /429 Too Many Requests 3 times in 3 attempts.*waited the 2\.0 s it asked for/,
    );
    expect(error.message).toMatch(/rate limit stayed exhausted/);
    expect(apiRequests(emu)).toHaveLength(3);
  });

  it("a 429 storm that outlasts the deadline fails at once with deadline_exceeded instead of sleeping past it", async () => {
    emu.injectFault({ kind: "rate-limit", times: Number.POSITIVE_INFINITY, retryAfterSeconds: 30 });
    const client = clientFor(emu, {
      retry: { maxAttempts: 100, deadlineMs: 5_000, baseDelayMs: 5, maxDelayMs: 60_000 },
    });
    const error = await failure(client.removeMemberRoles(ORG, ALICE, [ROLE]));
    expect(error).toMatchObject({ reason: "deadline_exceeded", status: undefined, method: "DELETE" });
    expect(error.message).toMatch(/gave up after 1 attempt over/);
    expect(error.message).toMatch(/next one could only start in 3\d s, past the 5\.0 s deadline/);
    expect(error.message).toMatch(/rate limit is exhausted/);
    expect(apiRequests(emu)).toHaveLength(1);
  });
});

describe("5xx and network errors", () => {
  it("retries a DELETE after 503s (removing roles is idempotent)", async () => {
    emu.injectFault({ kind: "status", status: 503, method: "DELETE", times: 2 });
    await clientFor(emu).removeMemberRoles(ORG, ALICE, [ROLE_IDS[0] as string]);
    expect(apiRequests(emu, "DELETE").map((r) => r.status)).toEqual([503, 503, 204]);
    expect(emu.tenant.memberRoles(ORG, ALICE)).toEqual([ROLE_IDS[1]]);
  });

  it("retries a GET whose connection was dropped (socket hang up)", async () => {
    emu.injectFault({ kind: "drop", method: "GET", times: 1 });
    expect(await clientFor(emu).listMemberRoles(ORG, ALICE)).toHaveLength(2);
    expect(apiRequests(emu, "GET").map((r) => r.status)).toEqual([0, 200]);
  });

  it("does not repeat a POST whose connection was dropped as is: it reads the member's roles first", async () => {
    emu.injectFault({ kind: "drop", method: "POST", times: 1 });
    await clientFor(emu).assignMemberRoles(ORG, ALICE, [ROLE]);
    expect(apiRequests(emu).map((r) => `${r.method} ${r.status}`)).toEqual(["POST 0", "GET 200", "POST 204"]);
  });

  it("retries a POST whose connection was refused, then reports a network error", async () => {
    const closedPort = await freePort();
    const client = new ManagementClient({
      domain: `http://127.0.0.1:${closedPort}`,
      credentials: { kind: "api-token", token: "static-token-do-not-leak-0123456789" },
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
    });
    const error = await failure(client.assignMemberRoles(ORG, ALICE, [ROLE]), [
      "static-token-do-not-leak-0123456789",
    ]);
    expect(error).toMatchObject({ reason: "network", status: undefined });
    expect(error.message).toMatch(/ECONNREFUSED\) after 3 attempts/);
  });

  it("retries a GET that timed out (timeoutMs) and succeeds on the next attempt", async () => {
    emu.injectFault({ kind: "latency", latencyMs: 1_500, method: "GET", times: 1 });
    expect(await clientFor(emu, { timeoutMs: 100 }).listMemberRoles(ORG, ALICE)).toHaveLength(2);
    expect(apiRequests(emu, "GET")).toHaveLength(2);
  });

  it("stops a slow request at the deadline with deadline_exceeded", async () => {
    emu.injectFault({ kind: "latency", latencyMs: 1_500, method: "GET", times: 1 });
    const error = await failure(clientFor(emu, { retry: { deadlineMs: 200 } }).listMemberRoles(ORG, ALICE));
    expect(error.reason).toBe("deadline_exceeded");
    expect(error.message).toMatch(/had not answered when the 0\.2 s deadline passed/);
  });
});

describe("cancellation", () => {
  it("an already aborted signal makes no API call", async () => {
    const client = clientFor(emu);
    const error = await failure(client.listMemberRoles(ORG, ALICE, { signal: AbortSignal.abort() }));
    expect(error.reason).toBe("cancelled");
    expect(apiRequests(emu)).toHaveLength(0);
  });

  it("aborting during a rate-limit wait ends the call at once", async () => {
    emu.injectFault({ kind: "rate-limit", times: Number.POSITIVE_INFINITY, retryAfterSeconds: 30 });
    const controller = new AbortController();
    const client = clientFor(emu, {
      retry: { maxAttempts: 5, deadlineMs: 120_000, maxDelayMs: 60_000 },
      // The first retry wait is announced here: abort then, while the client sleeps.
      logger: { debug: () => {}, warn: () => controller.abort() },
    });
    const error = await failure(client.listMemberRoles(ORG, ALICE, { signal: controller.signal }));
    expect(error).toMatchObject({ reason: "cancelled", status: undefined, method: "GET" });
    expect(apiRequests(emu)).toHaveLength(1);
  });

  it("aborting cancels a request in flight", async () => {
    emu.injectFault({ kind: "latency", latencyMs: 1_500, method: "DELETE", times: 1 });
    const controller = new AbortController();
    const pending = failure(
      clientFor(emu).removeMemberRoles(ORG, ALICE, [ROLE], { signal: controller.signal }),
    );
    while (apiRequests(emu, "DELETE").length === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    const error = await pending;
    expect(error.reason).toBe("cancelled");
    expect(apiRequests(emu, "DELETE")).toHaveLength(1);
  });
});

it("logs no secrets while retrying", async () => {
  emu.injectFault({ kind: "status", status: 500, times: 1 });
  emu.injectFault({ kind: "status", status: 401, times: 1 });
  const { lines, logger } = recordingLogger();
  await clientFor(emu, { logger }).removeMemberRoles(ORG, ALICE, [ROLE]);
  expect(lines.length).toBeGreaterThan(3);
  expectNoSecrets(lines, [CLIENT_SECRET]);
});

/** A port that was free a moment ago and now has no listener: connecting to it is refused. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
