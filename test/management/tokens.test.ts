import type { Emulator } from "../../src/emulator";
import { ManagementClient } from "../../src/management";
import { jwtScopes } from "../../src/management/tokens";
import {
  ALICE,
  apiRequests,
  CLIENT_ID,
  CLIENT_SECRET,
  clientFor,
  FAST_RETRY,
  failure,
  ORG,
  ROLE_IDS,
  tokenRequests,
  useTestEmulator,
} from "./fixtures";
import { startStub } from "./stub-server";

let emu: Emulator;
useTestEmulator((started) => {
  emu = started;
});

describe("client-credentials tokens", () => {
  it("concurrent callers share one token fetch", async () => {
    const client = clientFor(emu);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        i % 2 === 0
          ? client.listMemberRoles(ORG, ALICE)
          : client.removeMemberRoles(ORG, ALICE, [ROLE_IDS[20 + i] as string]),
      ),
    );
    expect(results).toHaveLength(10);
    expect(tokenRequests(emu)).toBe(1);
    expect(apiRequests(emu)).toHaveLength(10);
  });

  it("reuses the cached token for later calls", async () => {
    const client = clientFor(emu);
    await client.listMemberRoles(ORG, ALICE);
    await client.assignMemberRoles(ORG, ALICE, [ROLE_IDS[30] as string]);
    await client.listMemberRoles(ORG, ALICE);
    expect(tokenRequests(emu)).toBe(1);
  });

  it("on a 401 drops the token, fetches a new one and retries the request once", async () => {
    const client = clientFor(emu);
    await client.listMemberRoles(ORG, ALICE);
    emu.injectFault({ kind: "status", status: 401, method: "POST", path: /\/roles$/, times: 1 });
    await client.assignMemberRoles(ORG, ALICE, [ROLE_IDS[31] as string]);
    expect(emu.tenant.memberRoles(ORG, ALICE)).toContain(ROLE_IDS[31]);
    expect(tokenRequests(emu)).toBe(2);
    expect(apiRequests(emu, "POST").map((r) => r.status)).toEqual([401, 204]);
  });

  it("concurrent callers that all get a 401 renew the token once", async () => {
    const client = clientFor(emu);
    await client.listMemberRoles(ORG, ALICE);
    emu.clearRequests();
    emu.injectFault({ kind: "status", status: 401, method: "GET", times: 3 });
    await Promise.all([1, 2, 3].map(() => client.listMemberRoles(ORG, ALICE)));
    expect(tokenRequests(emu)).toBe(1);
    expect(
      apiRequests(emu, "GET")
        .map((r) => r.status)
        .sort(),
    ).toEqual([200, 200, 200, 401, 401, 401]);
  });

  it("retries the token request itself on 503", async () => {
    emu.injectFault({ kind: "status", status: 503, path: "/oauth/token", times: 2 });
    expect(await clientFor(emu).listMemberRoles(ORG, ALICE)).toHaveLength(2);
    expect(tokenRequests(emu)).toBe(3);
  });

  it("a failed token fetch is not cached: the next call tries again", async () => {
    emu.injectFault({ kind: "status", status: 503, path: "/oauth/token", times: 2 });
    const client = clientFor(emu, { retry: { ...FAST_RETRY, maxAttempts: 1 } });
    const error = await failure(client.listMemberRoles(ORG, ALICE));
    expect(error).toMatchObject({ reason: "server_error", path: "/oauth/token" });
    await failure(client.listMemberRoles(ORG, ALICE));
    expect(await client.listMemberRoles(ORG, ALICE)).toHaveLength(2);
    expect(tokenRequests(emu)).toBe(3);
  });

  it("refreshes a token about to expire: one that lives 1 s is renewed after half of it", async () => {
    let issued = 0;
    const stub = await startStub((req) =>
      req.url === "/oauth/token"
        ? { status: 200, body: { access_token: `short-lived-token-${++issued}`, expires_in: 1 } }
        : { status: 200, body: { roles: [], total: 0 } },
    );
    try {
      const client = new ManagementClient({
        domain: stub.url,
        credentials: { kind: "client-credentials", clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
      });
      await client.listMemberRoles(ORG, ALICE);
      await new Promise((resolve) => setTimeout(resolve, 600));
      await client.listMemberRoles(ORG, ALICE);
      expect(stub.requests.map((r) => r.headers.authorization).filter(Boolean)).toEqual([
        "Bearer short-lived-token-1",
        "Bearer short-lived-token-2",
      ]);
    } finally {
      await stub.stop();
    }
  });

  it.each([0, undefined])(
    "reuses a token whose answer gives no lifetime (expires_in %p) instead of fetching one per call",
    async (expiresIn) => {
      let issued = 0;
      const stub = await startStub((req) =>
        req.url === "/oauth/token"
          ? { status: 200, body: { access_token: `no-lifetime-token-${++issued}`, expires_in: expiresIn } }
          : { status: 200, body: { roles: [], total: 0 } },
      );
      try {
        const client = new ManagementClient({
          domain: stub.url,
          credentials: { kind: "client-credentials", clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
        });
        await client.listMemberRoles(ORG, ALICE);
        await client.listMemberRoles(ORG, ALICE);
        expect(issued).toBe(1);
      } finally {
        await stub.stop();
      }
    },
  );
});

describe("api tokens", () => {
  it("are used as is, without a token request", async () => {
    const token = emu.issueToken({ scopes: ["read:organization_member_roles"] });
    const client = clientFor(emu, { credentials: { kind: "api-token", token } });
    expect(await client.listMemberRoles(ORG, ALICE)).toHaveLength(2);
    expect(tokenRequests(emu)).toBe(0);
  });

  it("a 401 is final: no renewal, one request", async () => {
    emu.injectFault({ kind: "status", status: 401, times: 1 });
    const token = emu.issueToken({ scopes: ["read:organization_member_roles"] });
    const error = await failure(
      clientFor(emu, { credentials: { kind: "api-token", token } }).listMemberRoles(ORG, ALICE),
      [token],
    );
    expect(error.reason).toBe("unauthorized");
    expect(error.message).toMatch(/api_token \(AUTH0_API_TOKEN\)/);
    expect(apiRequests(emu)).toHaveLength(1);
  });
});

describe("the scopes a token carries", () => {
  const jwt = (payload: object) =>
    ["e30", Buffer.from(JSON.stringify(payload)).toString("base64url"), "sig"].join(".");

  test("an access token's scope claim (space separated) or permissions claim (a list)", () => {
    expect([...(jwtScopes(jwt({ scope: "read:roles  delete:organization_member_roles" })) ?? [])]).toEqual([
      "read:roles",
      "delete:organization_member_roles",
    ]);
    expect([...(jwtScopes(jwt({ permissions: ["read:roles"] })) ?? [])]).toEqual(["read:roles"]);
  });

  test("an opaque token, or a JWT that names no scopes, says nothing (no check blocks on it)", () => {
    expect(jwtScopes("opaque-token-value")).toBeUndefined();
    expect(jwtScopes("a.b.c")).toBeUndefined();
    expect(jwtScopes(jwt({ sub: "x" }))).toBeUndefined();
    expect(jwtScopes(jwt({ permissions: [1] }))).toBeUndefined();
  });
});
