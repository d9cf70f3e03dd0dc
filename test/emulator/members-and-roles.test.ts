import { type Emulator, startEmulator } from "../../src/emulator";
import { ACME, ADMIN, ALICE, BILLING, call, GLOBEX, VIEWER } from "./helpers";

const membersPath = (org: string, query = "") => `/api/v2/organizations/${org}/members${query}`;

describe("/api/v2/organizations/{id}/members", () => {
  let emu: Emulator;
  beforeEach(async () => {
    emu = await startEmulator({ rateLimits: false });
  });
  afterEach(() => emu.stop());

  function seedMembers(count: number): string[] {
    const users = Array.from({ length: count }, (_, i) => ({
      user_id: `auth0|user${String(i).padStart(5, "0")}`,
    }));
    emu.tenant.seed({
      users,
      organizations: [
        { id: "org_big0000000000001", name: "big", members: users.map((u) => ({ user_id: u.user_id })) },
      ],
    });
    return users.map((u) => u.user_id);
  }

  it("lists members as a bare array, or with totals", async () => {
    const bare = await call(emu, "GET", membersPath(GLOBEX));
    expect(bare.body).toEqual([
      {
        user_id: ALICE,
        email: "alice@example.com",
        picture: "https://cdn.auth0.com/avatars/ae.png",
        name: "Alice Example",
      },
      {
        user_id: "google-oauth2|dave",
        email: "dave@example.com",
        picture: "https://cdn.auth0.com/avatars/de.png",
        name: "Dave Example",
      },
    ]);
    const totals = await call(emu, "GET", membersPath(ACME, "?per_page=3&page=1&include_totals=true"));
    expect(totals.body).toMatchObject({
      start: 3,
      limit: 3,
      total: 4,
      members: [{ user_id: "samlp|corp-sso|erin/ops" }],
    });
  });

  it("returns each member's roles with fields=user_id,roles&include_fields=true", async () => {
    const reply = await call(emu, "GET", membersPath(GLOBEX, "?fields=user_id,roles&include_fields=true"));
    expect(reply.body).toEqual([
      { user_id: ALICE, roles: [{ id: VIEWER, name: "viewer" }] },
      {
        user_id: "google-oauth2|dave",
        roles: [
          { id: BILLING, name: "billing" },
          { id: VIEWER, name: "viewer" },
        ],
      },
    ]);
    const excluded = await call(emu, "GET", membersPath(GLOBEX, "?fields=email,name&include_fields=false"));
    expect(excluded.body).toEqual([
      { user_id: ALICE, picture: "https://cdn.auth0.com/avatars/ae.png" },
      { user_id: "google-oauth2|dave", picture: "https://cdn.auth0.com/avatars/de.png" },
    ]);
    const unknown = await call(emu, "GET", membersPath(GLOBEX, "?fields=user_id,phone"));
    expect([unknown.status, unknown.body.errorCode]).toEqual([400, "invalid_query_string"]);
  });

  it("walks checkpoint pagination: next even on the last short page, then an empty page without next", async () => {
    const ids = seedMembers(250);
    const seen: string[] = [];
    const pages: number[] = [];
    let from: string | undefined;
    for (let guard = 0; guard < 10; guard++) {
      const query = `?take=100${from ? `&from=${encodeURIComponent(from)}` : ""}`;
      const reply = await call(emu, "GET", membersPath("org_big0000000000001", query));
      expect(reply.status).toBe(200);
      pages.push(reply.body.members.length);
      seen.push(...reply.body.members.map((m: { user_id: string }) => m.user_id));
      if (reply.body.members.length === 0) {
        expect(reply.body).toEqual({ members: [] });
        break;
      }
      expect(typeof reply.body.next).toBe("string");
      from = reply.body.next;
    }
    expect(pages).toEqual([100, 100, 50, 0]);
    expect(seen).toEqual(ids);
  });

  it("keeps a checkpoint cursor valid when members come and go between pages", async () => {
    const ids = seedMembers(5);
    const first = await call(emu, "GET", membersPath("org_big0000000000001", "?take=2"));
    emu.tenant.removeMember("org_big0000000000001", ids[0] as string);
    emu.tenant.removeMember("org_big0000000000001", ids[2] as string);
    const second = await call(
      emu,
      "GET",
      membersPath("org_big0000000000001", `?take=2&from=${first.body.next}`),
    );
    expect(second.body.members.map((m: { user_id: string }) => m.user_id)).toEqual([ids[3], ids[4]]);
    const bad = await call(emu, "GET", membersPath("org_big0000000000001", "?take=2&from=garbage"));
    expect([bad.status, bad.body.errorCode]).toEqual([400, "invalid_query_string"]);
    const tooMany = await call(emu, "GET", membersPath("org_big0000000000001", "?take=101"));
    expect(tooMany.status).toBe(400);
  });

  it("offset pagination reaches only the first 1000 members", async () => {
    seedMembers(1001);
    const last = await call(
      emu,
      "GET",
      membersPath("org_big0000000000001", "?per_page=100&page=9&include_totals=true"),
    );
    expect(last.body).toMatchObject({ start: 900, total: 1001 });
    expect(last.body.members).toHaveLength(100);
    const past = await call(emu, "GET", membersPath("org_big0000000000001", "?per_page=100&page=10"));
    expect(past.status).toBe(400);
    expect(past.body.message).toContain("checkpoint pagination");
  });

  it("adds and removes members; removing drops their roles", async () => {
    const add = await call(emu, "POST", membersPath(GLOBEX), { body: { members: ["auth0|bob", ALICE] } });
    expect(add.status).toBe(204);
    expect(emu.tenant.isMember(GLOBEX, "auth0|bob")).toBe(true);
    const unknown = await call(emu, "POST", membersPath(GLOBEX), {
      body: { members: ["auth0|carol", "auth0|ghost"] },
    });
    expect([unknown.status, unknown.body.message]).toEqual([404, "The user does not exist."]);
    expect(emu.tenant.isMember(GLOBEX, "auth0|carol")).toBe(false);
    const remove = await call(emu, "DELETE", membersPath(GLOBEX), {
      body: { members: [ALICE, "auth0|carol"] },
    });
    expect(remove.status).toBe(204);
    expect(emu.tenant.isMember(GLOBEX, ALICE)).toBe(false);
    emu.tenant.addMember(GLOBEX, ALICE);
    expect(emu.tenant.memberRoles(GLOBEX, ALICE)).toEqual([]);
    const bad = await call(emu, "POST", membersPath(GLOBEX), { body: { members: [] } });
    expect(bad.body.message).toBe(
      "Payload validation error: 'Array is too short (0), minimum 1' on property members.",
    );
    expect((await call(emu, "GET", membersPath("org_nope000000000000"))).body.message).toBe(
      "The organization does not exist.",
    );
  });
});

describe("/api/v2/roles", () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ rateLimits: false });
  });
  afterAll(() => emu.stop());

  it("lists roles by name, paged, with totals and a name filter", async () => {
    const all = await call(emu, "GET", "/api/v2/roles");
    expect(all.body.map((r: { name: string }) => r.name)).toEqual([
      "admin",
      "auditor",
      "billing",
      "support",
      "viewer",
    ]);
    const page = await call(emu, "GET", "/api/v2/roles?per_page=2&page=1&include_totals=true");
    expect(page.body).toMatchObject({
      start: 2,
      limit: 2,
      total: 5,
      roles: [{ name: "billing" }, { name: "support" }],
    });
    const filtered = await call(emu, "GET", "/api/v2/roles?name_filter=VIEW");
    expect(filtered.body).toEqual([{ id: VIEWER, name: "viewer", description: "Read-only access" }]);
  });

  it("gets one role, or 404 without errorCode (as recorded)", async () => {
    expect((await call(emu, "GET", `/api/v2/roles/${ADMIN}`)).body).toMatchObject({
      id: ADMIN,
      name: "admin",
    });
    const missing = await call(emu, "GET", "/api/v2/roles/rol_missing000000001");
    expect(missing.body).toEqual({
      statusCode: 404,
      error: "Not Found",
      message: "The role does not exist.",
    });
  });

  it("answers 404 JSON for unknown routes and 405 for wrong methods", async () => {
    const unknown = await call(emu, "GET", "/api/v2/clients");
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ statusCode: 404, error: "Not Found", message: "Not Found" });
    expect((await call(emu, "GET", "/nowhere", { token: null })).status).toBe(404);
    const wrong = await call(emu, "DELETE", "/api/v2/roles");
    expect([wrong.status, wrong.headers.get("allow")]).toEqual([405, "GET"]);
  });
});
