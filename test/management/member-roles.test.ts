import type { Emulator } from "../../src/emulator";
import { ManagementClient } from "../../src/management";
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
  SLASHED_USER,
  useTestEmulator,
} from "./fixtures";
import { startStub } from "./stub-server";

let emu: Emulator;
useTestEmulator((started) => {
  emu = started;
});

const roles = (from: number, to: number): string[] => ROLE_IDS.slice(from, to);

describe("listMemberRoles", () => {
  it("returns the member's roles with names, asking for 100 per page with totals", async () => {
    const listed = await clientFor(emu).listMemberRoles(ORG, ALICE);
    expect(listed).toEqual([
      { id: ROLE_IDS[0], name: "role-0", description: "" },
      { id: ROLE_IDS[1], name: "role-1", description: "" },
    ]);
    expect(apiRequests(emu, "GET").map((r) => r.query)).toEqual([
      { page: "0", per_page: "100", include_totals: "true" },
    ]);
  });

  it("reads every page: 50 roles at 20 per page take pages 0, 1 and 2", async () => {
    emu.tenant.assignRoles(ORG, ALICE, roles(2, 50));
    const listed = await clientFor(emu, { pageSize: 20 }).listMemberRoles(ORG, ALICE);
    expect(listed.map((r) => r.id).sort()).toEqual(roles(0, 50));
    expect(apiRequests(emu, "GET").map((r) => r.query.page)).toEqual(["0", "1", "2"]);
  });

  it("stops after a full last page when the total says so, without an extra empty call", async () => {
    emu.tenant.assignRoles(ORG, ALICE, roles(2, 40));
    const listed = await clientFor(emu, { pageSize: 20 }).listMemberRoles(ORG, ALICE);
    expect(listed).toHaveLength(40);
    expect(apiRequests(emu, "GET")).toHaveLength(2);
  });

  it('a 200 with malformed role entries is an error naming the endpoint, not "no roles"', async () => {
    emu.injectFault({ kind: "malformed-body", body: '{"roles":[{"id":5},{"name":"billing"}],"total":2}' });
    const error = await failure(clientFor(emu).listMemberRoles(ORG, ALICE));
    expect(error.reason).toBe("other");
    expect(error.message).toContain(
      `GET /api/v2/organizations/${ORG}/members/auth0%7Calice/roles answered 200`,
    );
    expect(error.message).toContain("roles[0] has id 5, not a role id; roles[1] has no id");
    expect(error.message).toContain("the list was not trusted");
  });

  it.each([
    ['{"roles":[{"id":"rol_a","name":7}]}', "(rol_a) has a name that is not text"],
    ['{"roles":["rol_a"]}', "roles[0] is string, not a role"],
    ['{"roles":[],"total":"two"}', 'a total that is not a whole number ("two")'],
    ['{"members":[]}', "a body without a roles list"],
  ])("refuses %s", async (body, problem) => {
    emu.injectFault({ kind: "malformed-body", body });
    const error = await failure(clientFor(emu).listMemberRoles(ORG, ALICE));
    expect(error.message).toContain(problem);
  });

  it("a server repeating a page with total 1e9 costs one call, not 1,001", async () => {
    emu.injectFault({ kind: "repeated-page", total: 1_000_000_000, times: Number.POSITIVE_INFINITY });
    const error = await failure(clientFor(emu).listMemberRoles(ORG, ALICE));
    expect(error.message).toMatch(
      /claims a total of 1000000000 roles, more than the 50 roles a member can hold/,
    );
    expect(apiRequests(emu, "GET")).toHaveLength(1);
  });

  it("a page that repeats the one before stops the walk", async () => {
    emu.injectFault({ kind: "repeated-page", times: Number.POSITIVE_INFINITY });
    const error = await failure(clientFor(emu, { pageSize: 1 }).listMemberRoles(ORG, ALICE));
    expect(error.message).toMatch(/answered page 1 with the same roles as page 0/);
    expect(apiRequests(emu, "GET")).toHaveLength(2);
  });

  it("pages no further than 50 roles can reach, whatever the server claims", async () => {
    // Distinct roles on every page, and no total: only the cap can stop this walk.
    let page = 0;
    const stub = await startStub((req) => {
      if (req.url === "/oauth/token") return { status: 200, body: { access_token: "stub-token-0123456789" } };
      page++;
      return { status: 200, body: Array.from({ length: 20 }, (_, i) => ({ id: `rol_${page}_${i}` })) };
    });
    try {
      const client = new ManagementClient({
        domain: stub.url,
        credentials: { kind: "api-token", token: "stub-token-0123456789" },
        pageSize: 20,
      });
      const error = await failure(client.listMemberRoles(ORG, ALICE), ["stub-token-0123456789"]);
      expect(error.message).toMatch(/listed 60 roles, more than the 50 roles a member can hold/);
      expect(stub.requests.filter((r) => r.method === "GET")).toHaveLength(3);
    } finally {
      await stub.stop();
    }
  });

  it("percent-encodes user ids: auth0|x/y travels as auth0%7Cx%2Fy", async () => {
    const listed = await clientFor(emu).listMemberRoles(ORG, SLASHED_USER);
    expect(listed.map((r) => r.id)).toEqual([ROLE_IDS[2]]);
    expect(apiRequests(emu)[0]?.path).toBe(`/api/v2/organizations/${ORG}/members/auth0%7Cx%2Fy/roles`);
  });

  it("percent-encodes organization ids too", async () => {
    const error = await failure(clientFor(emu).listMemberRoles("org_a/b?c", ALICE));
    expect(apiRequests(emu)[0]?.path).toBe("/api/v2/organizations/org_a%2Fb%3Fc/members/auth0%7Calice/roles");
    expect(error.reason).toBe("organization_not_found");
    expect(error.path).toBe("/api/v2/organizations/org_a%2Fb%3Fc/members/auth0%7Calice/roles");
  });
});

describe("assignMemberRoles", () => {
  it("assigns roles with one POST of {roles}", async () => {
    await clientFor(emu).assignMemberRoles(ORG, ALICE, roles(5, 8));
    expect(emu.tenant.memberRoles(ORG, ALICE)).toEqual([...roles(0, 2), ...roles(5, 8)]);
    expect(apiRequests(emu, "POST").map((r) => r.body)).toEqual([{ roles: roles(5, 8) }]);
  });

  it("makes no call for an empty list", async () => {
    await clientFor(emu).assignMemberRoles(ORG, ALICE, []);
    expect(apiRequests(emu)).toHaveLength(0);
  });

  it("splits 60 roles into calls of 50 and 10; the member's 50-role cap then rejects the second", async () => {
    emu.tenant.removeMember(ORG, ALICE);
    emu.tenant.addMember(ORG, ALICE);
    const error = await failure(clientFor(emu).assignMemberRoles(ORG, ALICE, ROLE_IDS));
    expect(apiRequests(emu, "POST").map((r) => (r.body as { roles: string[] }).roles)).toEqual([
      roles(0, 50),
      roles(50, 60),
    ]);
    expect(emu.tenant.memberRoles(ORG, ALICE)).toEqual(roles(0, 50));
    expect(error).toMatchObject({ reason: "too_many_roles", status: 409, method: "POST" });
    expect(error.message).toMatch(/at most 50 roles/);
  });
});

describe("removeMemberRoles", () => {
  it("removes roles with a DELETE carrying a JSON body", async () => {
    await clientFor(emu).removeMemberRoles(ORG, ALICE, [ROLE_IDS[0] as string]);
    expect(emu.tenant.memberRoles(ORG, ALICE)).toEqual([ROLE_IDS[1]]);
    expect(apiRequests(emu, "DELETE").map((r) => r.body)).toEqual([{ roles: [ROLE_IDS[0]] }]);
  });

  it("splits 60 roles into calls of 50 and 10; roles not assigned are fine", async () => {
    await clientFor(emu).removeMemberRoles(ORG, ALICE, ROLE_IDS);
    expect(emu.tenant.memberRoles(ORG, ALICE)).toEqual([]);
    expect(apiRequests(emu, "DELETE").map((r) => (r.body as { roles: string[] }).roles)).toEqual([
      roles(0, 50),
      roles(50, 60),
    ]);
  });

  it("makes no call for an empty list", async () => {
    await clientFor(emu).removeMemberRoles(ORG, ALICE, []);
    expect(apiRequests(emu)).toHaveLength(0);
  });
});

describe("against a stub server", () => {
  it("accepts a bare array body and sends User-Agent and Content-Type: application/json", async () => {
    const stub = await startStub((req) =>
      req.url === "/oauth/token"
        ? { status: 200, body: { access_token: "stub-token-0123456789", expires_in: 86400 } }
        : req.method === "GET"
          ? { status: 200, body: [{ id: "rol_a", name: "a", description: "first" }, { id: "rol_b" }] }
          : { status: 204 },
    );
    try {
      const client = new ManagementClient({
        domain: stub.url,
        credentials: { kind: "client-credentials", clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
        retry: FAST_RETRY,
        userAgent: "member-roles-test/1.0",
      });
      expect(await client.listMemberRoles(ORG, ALICE)).toEqual([
        { id: "rol_a", name: "a", description: "first" },
        { id: "rol_b" },
      ]);
      await client.assignMemberRoles(ORG, ALICE, ["rol_c"]);
      const [token, get, post] = stub.requests;
      expect(JSON.parse(token?.body ?? "")).toEqual({
        grant_type: "client_credentials",
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        audience: `${stub.url}/api/v2/`,
      });
      expect(get?.headers.authorization).toBe("Bearer stub-token-0123456789");
      for (const req of [token, get, post]) {
        expect(req?.headers["user-agent"]).toBe("member-roles-test/1.0");
        expect(req?.headers["content-type"]).toMatch(/^application\/json/);
      }
      expect(JSON.parse(post?.body ?? "")).toEqual({ roles: ["rol_c"] });
    } finally {
      await stub.stop();
    }
  });

  it("sends a custom audience when one is configured", async () => {
    const stub = await startStub((req) =>
      req.url === "/oauth/token"
        ? { status: 200, body: { access_token: "stub-token-0123456789", expires_in: 86400 } }
        : { status: 200, body: { roles: [], total: 0 } },
    );
    try {
      const client = new ManagementClient({
        domain: stub.url,
        credentials: {
          kind: "client-credentials",
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          audience: "https://tenant.eu.auth0.com/api/v2/",
        },
      });
      expect(await client.listMemberRoles(ORG, ALICE)).toEqual([]);
      expect(JSON.parse(stub.requests[0]?.body ?? "").audience).toBe("https://tenant.eu.auth0.com/api/v2/");
    } finally {
      await stub.stop();
    }
  });
});

describe("listOrganizationMemberRoles", () => {
  const lister = () =>
    clientFor(emu, {
      pageSize: 1,
      credentials: {
        kind: "api-token",
        token: emu.issueToken({ scopes: ["read:organization_members", "read:organization_member_roles"] }),
      },
    });

  it("walks the checkpoint pages and returns each member's role ids", async () => {
    const roster = await lister().listOrganizationMemberRoles(ORG);
    expect([...roster]).toEqual([
      [ALICE, roles(0, 2)],
      [SLASHED_USER, roles(2, 3)],
    ]);
    // One member a page, then the empty page that ends the walk.
    expect(apiRequests(emu, "GET")).toHaveLength(3);
  });

  it("stops when a page hands back the cursor it was asked with (a repeated page)", async () => {
    emu.injectFault({ kind: "repeated-page", times: Number.POSITIVE_INFINITY });
    const error = await failure(lister().listOrganizationMemberRoles(ORG));
    expect(error.message).toMatch(/a cursor that did not advance/);
    expect(apiRequests(emu, "GET")).toHaveLength(2);
  });
});
