import { type Emulator, startEmulator } from "../../src/emulator";
import { ACME, ADMIN, ALICE, call, clientToken, memberRolesPath, VIEWER } from "./helpers";

describe("injected faults", () => {
  let emu: Emulator;
  beforeEach(async () => {
    emu = await startEmulator({ rateLimits: false });
  });
  afterEach(() => emu.stop());

  const path = memberRolesPath(ACME, ALICE);

  it("status: answers the status with an Auth0 error body, `times` times, then serves normally", async () => {
    emu.injectFault({ kind: "status", status: 503, times: 2 });
    const first = await call(emu, "GET", path);
    expect(first.status).toBe(503);
    expect(first.body).toMatchObject({ statusCode: 503, error: "Service Unavailable" });
    expect((await call(emu, "GET", path)).status).toBe(503);
    expect((await call(emu, "GET", path)).status).toBe(200);
  });

  it("matches by method and by path (raw, decoded or RegExp), leaving other requests alone", async () => {
    emu.injectFault({
      kind: "status",
      status: 500,
      method: "post",
      path: "/api/v2/organizations/org_acme000000000001/members/auth0|alice/roles",
    });
    emu.injectFault({ kind: "status", status: 502, path: /\/members\/[^/]+\/roles$/ });
    expect((await call(emu, "GET", "/api/v2/roles")).status).toBe(200);
    expect((await call(emu, "POST", path, { body: { roles: [VIEWER] } })).status).toBe(500);
    expect((await call(emu, "GET", path)).status).toBe(502);
    expect((await call(emu, "GET", path)).status).toBe(200);
  });

  it("leaves /oauth/token alone unless a path targets it", async () => {
    emu.injectFault({ kind: "status", status: 503 });
    expect((await clientToken(emu)).status).toBe(200);
    emu.clearFaults();
    emu.injectFault({ kind: "status", status: 503, path: "/oauth/token" });
    expect((await clientToken(emu)).status).toBe(503);
  });

  it("drop: destroys the connection without an answer", async () => {
    emu.injectFault({ kind: "drop" });
    await expect(call(emu, "GET", path)).rejects.toThrow();
    expect(emu.requests.at(-1)).toMatchObject({ path, status: 0 });
    expect((await call(emu, "GET", path)).status).toBe(200);
  });

  it("after-apply: applies the write, then answers the status instead", async () => {
    emu.injectFault({ kind: "after-apply", status: 503, method: "POST" });
    const reply = await call(emu, "POST", path, { body: { roles: [VIEWER] } });
    expect(reply.status).toBe(503);
    expect(reply.body).toMatchObject({ statusCode: 503, error: "Service Unavailable" });
    expect(emu.tenant.memberRoles(ACME, ALICE)).toContain(VIEWER);
    expect(emu.requests.at(-1)).toMatchObject({ method: "POST", status: 503, fault: "after-apply" });
  });

  it("after-apply without status: applies the write, then drops the connection", async () => {
    emu.injectFault({ kind: "after-apply", method: "DELETE" });
    await expect(call(emu, "DELETE", path, { body: { roles: [ADMIN] } })).rejects.toThrow();
    expect(emu.tenant.memberRoles(ACME, ALICE)).not.toContain(ADMIN);
    expect(emu.requests.at(-1)).toMatchObject({ method: "DELETE", status: 0, fault: "after-apply" });
  });

  it("latency: delays, then serves normally", async () => {
    emu.injectFault({ kind: "latency", latencyMs: 150 });
    const started = Date.now();
    const reply = await call(emu, "GET", path);
    expect(reply.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("rate-limit: a 429 storm with the documented body and headers", async () => {
    emu.injectFault({ kind: "rate-limit", times: 5, retryAfterSeconds: 2 });
    for (let i = 0; i < 5; i++) {
      const reply = await call(emu, "POST", path, { body: { roles: [VIEWER] } });
      expect(reply.status).toBe(429);
      expect(reply.body).toEqual({
        statusCode: 429,
        error: "Too Many Requests",
        message: "Global limit has been reached",
        errorCode: "too_many_requests",
      });
      expect(reply.headers.get("retry-after")).toBe("2");
      expect(reply.headers.get("x-ratelimit-remaining")).toBe("0");
      expect(Number(reply.headers.get("x-ratelimit-reset"))).toBeGreaterThan(Date.now() / 1000);
    }
    expect(emu.tenant.memberRoles(ACME, ALICE)).not.toContain(VIEWER);
    expect((await call(emu, "POST", path, { body: { roles: [VIEWER] } })).status).toBe(204);
  });

  it("hang: never answers; the request stays open until the client gives up", async () => {
    emu.injectFault({ kind: "hang" });
    const gaveUp = call(emu, "GET", path, {}, AbortSignal.timeout(200));
    await expect(gaveUp).rejects.toThrow();
    expect(emu.requests.at(-1)).toMatchObject({ path, status: 0 });
    expect((await call(emu, "GET", path)).status).toBe(200);
  });

  it("malformed-body: answers 200 with the body exactly as given", async () => {
    const body = '{"roles":[{"id":5},{"name":"billing"}]}';
    emu.injectFault({ kind: "malformed-body", body });
    const reply = await call(emu, "GET", path);
    expect([reply.status, JSON.stringify(reply.body)]).toEqual([200, body]);
    emu.injectFault({ kind: "malformed-body", status: 503, body: "<html>oops" });
    expect(await call(emu, "GET", path)).toMatchObject({ status: 503, body: "<html>oops" });
  });

  it("repeated-page: every page is the first, with the total claimed", async () => {
    emu.injectFault({ kind: "repeated-page", total: 1_000_000_000, times: 2 });
    const page = (n: number) =>
      call(emu, "GET", memberRolesPath(ACME, ALICE, `?page=${n}&per_page=1&include_totals=true`));
    const first = await page(0);
    const fifth = await page(5);
    expect(fifth.body).toEqual(first.body);
    expect(first.body).toMatchObject({ start: 0, total: 1_000_000_000, roles: [{ id: ADMIN }] });
    expect((await page(5)).body).toMatchObject({ start: 5, total: 2, roles: [] });
  });

  it("repeated-page: a checkpoint walk gets the first page and its cursor again", async () => {
    const members = (from?: string) =>
      call(emu, "GET", `/api/v2/organizations/${ACME}/members?take=2${from ? `&from=${from}` : ""}`);
    const first = await members();
    emu.injectFault({ kind: "repeated-page" });
    expect((await members(first.body.next)).body).toEqual(first.body);
  });

  it("random faults: seeded, so the same requests get the same faults; logged per request", async () => {
    const run = async (seed: number) => {
      emu.clearRequests();
      emu.randomFaults({ seed, rateLimit: 0.2, serverError: 0.2, reset: 0.1, latency: 0.1, maxLatencyMs: 5 });
      for (let i = 0; i < 40; i++) await call(emu, "GET", path).catch(() => undefined);
      emu.randomFaults(undefined);
      return emu.requests.map((r) => `${r.fault ?? "-"}:${r.status}`);
    };
    const first = await run(7);
    expect(await run(7)).toEqual(first);
    expect(await run(8)).not.toEqual(first);
    const kinds = new Set(first.map((entry) => entry.split(":")[0]));
    expect(kinds).toEqual(new Set(["-", "rate-limit", "status", "drop", "latency"]));
    expect(first.filter((entry) => entry.startsWith("rate-limit:"))).toEqual(
      expect.arrayContaining(["rate-limit:429"]),
    );
    // Off again: every request is served.
    expect((await call(emu, "GET", path)).status).toBe(200);
    expect(() => emu.randomFaults({ seed: 1, rateLimit: 0.7, reset: 0.5 })).toThrow(/add up to 1.2/);
    expect(() => emu.randomFaults({ seed: 1, reset: 0.5, afterApply: 2 })).toThrow(/afterApply must be/);
  });

  it("random faults with afterApply: some 5xx and resets come after the write was applied", async () => {
    emu.randomFaults({ seed: 3, serverError: 0.5, reset: 0.5, afterApply: 0.5 });
    const applied: boolean[] = [];
    for (let i = 0; i < 30; i++) {
      emu.tenant.removeRoles(ACME, ALICE, [VIEWER]);
      await call(emu, "POST", path, { body: { roles: [VIEWER] } }).catch(() => undefined);
      applied.push(emu.tenant.memberRoles(ACME, ALICE).includes(VIEWER));
    }
    emu.randomFaults(undefined);
    const kinds = emu.requests.map((r) => r.fault);
    expect(new Set(kinds)).toEqual(new Set(["status", "drop", "after-apply"]));
    // Exactly the after-apply faults let the write through.
    expect(applied).toEqual(kinds.map((kind) => kind === "after-apply"));
  });

  it("refuses malformed faults up front", () => {
    expect(() => emu.injectFault({ kind: "status" })).toThrow(/needs status/);
    expect(() => emu.injectFault({ kind: "latency" })).toThrow(/needs latencyMs/);
    expect(() => emu.injectFault({ kind: "nope" as never })).toThrow(/kind must be one of/);
    expect(() => emu.injectFault({ kind: "malformed-body" })).toThrow(/needs body/);
    expect(() => emu.injectFault({ kind: "repeated-page", total: -1 })).toThrow(/total must be/);
    expect(() => emu.injectFault({ kind: "after-apply", status: 204 })).toThrow(/status must be/);
  });
});

describe("request log and admin surface", () => {
  let emu: Emulator;
  beforeEach(async () => {
    emu = await startEmulator({ rateLimits: false });
  });
  afterEach(() => emu.stop());

  it("records method, raw path, decoded query, status and the parsed body, in order", async () => {
    await clientToken(emu);
    await call(
      emu,
      "GET",
      memberRolesPath(ACME, "samlp|corp-sso|erin/ops", "?per_page=5&include_totals=true"),
    );
    await call(emu, "POST", memberRolesPath(ACME, ALICE), { body: { roles: [VIEWER] } });
    await call(emu, "POST", memberRolesPath(ACME, ALICE), { rawBody: "{oops" });
    expect(emu.requests.map((r) => [r.method, r.path, r.status])).toEqual([
      ["POST", "/oauth/token", 200],
      ["GET", "/api/v2/organizations/org_acme000000000001/members/samlp%7Ccorp-sso%7Cerin%2Fops/roles", 200],
      ["POST", "/api/v2/organizations/org_acme000000000001/members/auth0%7Calice/roles", 204],
      ["POST", "/api/v2/organizations/org_acme000000000001/members/auth0%7Calice/roles", 400],
    ]);
    expect(emu.requests[1]?.query).toEqual({ per_page: "5", include_totals: "true" });
    expect(emu.requests[2]?.body).toEqual({ roles: [VIEWER] });
    expect(emu.requests[3]?.body).toBe("{oops");
    expect(emu.requests[1]?.body).toBeUndefined();
    emu.clearRequests();
    expect(emu.requests).toHaveLength(0);
  });

  it("serves state, requests, seed and faults under /__emulator/ without auth and without logging itself", async () => {
    await call(emu, "GET", "/api/v2/roles");
    const state = await call(emu, "GET", "/__emulator/state", { token: null });
    expect(state.status).toBe(200);
    expect(state.body.organizations[0]).toMatchObject({ id: ACME, name: "acme" });
    expect(state.body.organizations[0].members[0]).toEqual({
      user_id: ALICE,
      roles: [ADMIN, expect.any(String)],
    });
    expect(JSON.stringify(state.body)).not.toContain("emulator-secret");

    const seed = await call(emu, "POST", "/__emulator/seed", {
      token: null,
      body: {
        users: [{ user_id: "auth0|zed" }],
        organizations: [{ id: ACME, name: "acme", members: [{ user_id: "auth0|zed", roles: [VIEWER] }] }],
      },
    });
    expect(seed.status).toBe(204);
    expect(emu.tenant.memberRoles(ACME, "auth0|zed")).toEqual([VIEWER]);
    const badSeed = await call(emu, "POST", "/__emulator/seed", {
      token: null,
      body: { roles: [{ id: "x" }] },
    });
    expect(badSeed.status).toBe(400);
    expect(badSeed.body.message).toBe("POST /__emulator/seed: roles[0].name must be a non-empty string.");

    const fault = await call(emu, "POST", "/__emulator/faults", {
      token: null,
      body: { kind: "status", status: 503, pathPattern: "^/api/v2/roles$" },
    });
    expect(fault.status).toBe(204);
    expect((await call(emu, "GET", "/api/v2/roles")).status).toBe(503);
    const badFault = await call(emu, "POST", "/__emulator/faults", { token: null, body: { kind: "status" } });
    expect(badFault.status).toBe(400);

    const requests = await call(emu, "GET", "/__emulator/requests", { token: null });
    expect(requests.body.map((r: { status: number }) => r.status)).toEqual([200, 503]);
    expect((await call(emu, "DELETE", "/__emulator/requests", { token: null })).status).toBe(204);
    expect(emu.requests).toHaveLength(0);
    expect((await call(emu, "GET", "/__emulator/nope", { token: null })).status).toBe(404);
  });
});
