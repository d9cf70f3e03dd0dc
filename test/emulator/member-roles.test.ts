import { type Emulator, startEmulator } from "../../src/emulator";
import {
  ACME,
  ADMIN,
  ALICE,
  AUDITOR,
  BILLING,
  call,
  GLOBEX,
  memberRolesPath,
  SUPPORT,
  VIEWER,
} from "./helpers";

describe("/api/v2/organizations/{id}/members/{user_id}/roles", () => {
  let emu: Emulator;
  beforeEach(async () => {
    emu = await startEmulator({ rateLimits: false });
  });
  afterEach(() => emu.stop());

  const path = (query = "") => memberRolesPath(ACME, ALICE, query);

  describe("GET", () => {
    it("answers a bare array of the member's roles", async () => {
      const reply = await call(emu, "GET", path());
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual([
        { id: ADMIN, name: "admin", description: "Full access to the organization" },
        { id: BILLING, name: "billing", description: "Manage invoices and payment methods" },
      ]);
    });

    it("pages with page/per_page and wraps with include_totals", async () => {
      emu.tenant.assignRoles(ACME, ALICE, [VIEWER, SUPPORT, AUDITOR]);
      const first = await call(emu, "GET", path("?per_page=2&page=0&include_totals=true"));
      expect(first.body).toMatchObject({ start: 0, limit: 2, total: 5 });
      expect(first.body.roles.map((r: { id: string }) => r.id)).toEqual([ADMIN, AUDITOR]);
      const last = await call(emu, "GET", path("?per_page=2&page=2&include_totals=true"));
      expect(last.body).toMatchObject({ start: 4, limit: 2, total: 5, roles: [{ id: VIEWER }] });
      expect((await call(emu, "GET", path("?per_page=2&page=3"))).body).toEqual([]);
    });

    it.each([
      ["?per_page=0", "per_page"],
      ["?per_page=101", "per_page"],
      ["?per_page=abc", "per_page"],
      ["?page=-1", "page"],
      ["?page=1001", "page"],
      ["?include_totals=yes", "include_totals"],
      ["?from=abc", "Additional properties not allowed: from"],
    ])("rejects %s with 400 invalid_query_string naming %s", async (query, named) => {
      const reply = await call(emu, "GET", path(query));
      expect(reply.status).toBe(400);
      expect(reply.body.errorCode).toBe("invalid_query_string");
      expect(reply.body.message).toMatch(/^Query validation error: /);
      expect(reply.body.message).toContain(named);
    });

    it("decodes percent-encoded user ids, '/' included, splitting the raw path first", async () => {
      const reply = await call(
        emu,
        "GET",
        "/api/v2/organizations/org_acme000000000001/members/samlp%7Ccorp-sso%7Cerin%2Fops/roles",
      );
      expect(reply.status).toBe(200);
      expect(reply.body.map((r: { id: string }) => r.id)).toEqual([SUPPORT]);
      // A literal "/" splits the path into more segments: no such route.
      expect(
        (
          await call(
            emu,
            "GET",
            "/api/v2/organizations/org_acme000000000001/members/samlp%7Ccorp-sso%7Cerin/ops/roles",
          )
        ).status,
      ).toBe(404);
    });

    it('lists roles in role-name order, each with a description ("" when it has none), as recorded', async () => {
      emu.tenant.seed({
        roles: [
          { id: "rol_aaaa000000000001", name: "zeta" },
          { id: "rol_zzzz000000000001", name: "alpha", description: "first by name" },
        ],
        organizations: [
          {
            id: ACME,
            name: "acme",
            members: [{ user_id: ALICE, roles: ["rol_aaaa000000000001", "rol_zzzz000000000001"] }],
          },
        ],
      });
      const reply = await call(emu, "GET", memberRolesPath(ACME, ALICE));
      expect(reply.body).toEqual([
        { id: ADMIN, name: "admin", description: "Full access to the organization" },
        { id: "rol_zzzz000000000001", name: "alpha", description: "first by name" },
        { id: BILLING, name: "billing", description: "Manage invoices and payment methods" },
        { id: "rol_aaaa000000000001", name: "zeta", description: "" },
      ]);
      const role = await call(emu, "GET", "/api/v2/roles/rol_aaaa000000000001");
      expect(role.body).toEqual({ id: "rol_aaaa000000000001", name: "zeta", description: "" });
    });

    it("answers the documented 404s", async () => {
      expect((await call(emu, "GET", memberRolesPath("org_nope000000000000", ALICE))).body).toEqual({
        statusCode: 404,
        error: "Not Found",
        message: "The organization does not exist.",
        errorCode: "inexistent_organization",
      });
      expect((await call(emu, "GET", memberRolesPath(ACME, "auth0|ghost"))).body).toMatchObject({
        statusCode: 404,
        message: "The user does not exist.",
        errorCode: "inexistent_user",
      });
      expect((await call(emu, "GET", memberRolesPath(GLOBEX, "auth0|bob"))).body).toMatchObject({
        statusCode: 404,
        message: "User is not a member of this organization",
        errorCode: "inexistent_member",
      });
    });

    it("rejects organization ids longer than 50 characters", async () => {
      const reply = await call(emu, "GET", memberRolesPath(`org_${"a".repeat(47)}`, ALICE));
      expect(reply.status).toBe(400);
      expect(reply.body.message).toContain("maximum 50");
    });
  });

  describe("POST", () => {
    it("assigns roles with 204 and no body; re-assigning a held role is a no-op", async () => {
      const reply = await call(emu, "POST", path(), { body: { roles: [VIEWER, ADMIN] } });
      expect(reply.status).toBe(204);
      expect(reply.body).toBeUndefined();
      expect(emu.tenant.memberRoles(ACME, ALICE)).toEqual([ADMIN, BILLING, VIEWER]);
    });

    it.each([
      ["no body", undefined, "Payload validation error: 'Expected type object but found type null'."],
      ["bad JSON", "{roles:", "Invalid request payload JSON format"],
      ["an array", "[]", "Payload validation error: 'Expected type object but found type array'."],
      ["no roles", "{}", "Payload validation error: 'Missing required property: roles'."],
      [
        "roles not an array",
        '{"roles":"rol_x"}',
        "Payload validation error: 'Expected type array but found type string' on property roles.",
      ],
      [
        "empty roles",
        '{"roles":[]}',
        "Payload validation error: 'Array is too short (0), minimum 1' on property roles.",
      ],
      [
        "a number in roles",
        '{"roles":["rol_a",7]}',
        "Payload validation error: 'Expected type string but found type integer' on property roles[1].",
      ],
      [
        "an empty role id",
        '{"roles":[""]}',
        "Payload validation error: 'String is too short (0 chars), minimum 1' on property roles[0].",
      ],
      [
        "extra properties",
        '{"roles":["rol_a"],"members":[]}',
        "Payload validation error: 'Additional properties not allowed: members'.",
      ],
    ])("rejects %s with 400 invalid_body", async (_what, rawBody, message) => {
      for (const method of ["POST", "DELETE"]) {
        const opts = rawBody === undefined ? {} : { rawBody };
        const reply = await call(emu, method, path(), opts);
        expect(reply.status).toBe(400);
        expect(reply.body).toEqual({
          statusCode: 400,
          error: "Bad Request",
          message,
          errorCode: "invalid_body",
        });
      }
      expect(emu.tenant.memberRoles(ACME, ALICE)).toEqual([ADMIN, BILLING]);
    });

    it("answers 404 (without errorCode, as recorded) for an unknown role and assigns nothing", async () => {
      const reply = await call(emu, "POST", path(), { body: { roles: [VIEWER, "rol_missing000000001"] } });
      expect(reply.status).toBe(404);
      expect(reply.body.errorCode).toBeUndefined();
      expect(reply.body.message).toContain("rol_missing000000001");
      expect(emu.tenant.memberRoles(ACME, ALICE)).toEqual([ADMIN, BILLING]);
    });

    it("answers 409 past 50 roles and assigns nothing", async () => {
      const roles = Array.from({ length: 49 }, (_, i) => ({
        id: `rol_extra${String(i).padStart(11, "0")}`,
        name: `extra${i}`,
      }));
      emu.tenant.seed({ roles });
      const reply = await call(emu, "POST", path(), { body: { roles: roles.map((r) => r.id) } });
      expect(reply.status).toBe(409);
      expect(reply.body).toEqual({
        statusCode: 409,
        error: "Conflict",
        message: "No more roles can be assigned to this organization member.",
        errorCode: "too_many_roles",
      });
      expect(emu.tenant.memberRoles(ACME, ALICE)).toHaveLength(2);
      const ok = await call(emu, "POST", path(), { body: { roles: roles.slice(0, 48).map((r) => r.id) } });
      expect(ok.status).toBe(204);
      expect(emu.tenant.memberRoles(ACME, ALICE)).toHaveLength(50);
    });

    it("answers 404 for a user who is not a member", async () => {
      const reply = await call(emu, "POST", memberRolesPath(GLOBEX, "auth0|bob"), {
        body: { roles: [VIEWER] },
      });
      expect(reply.status).toBe(404);
      expect(reply.body.message).toBe("User is not a member of this organization");
    });
  });

  describe("DELETE", () => {
    it("removes roles from a JSON body on DELETE; roles not assigned are fine (204)", async () => {
      const reply = await call(emu, "DELETE", path(), { body: { roles: [BILLING, VIEWER] } });
      expect(reply.status).toBe(204);
      expect(emu.tenant.memberRoles(ACME, ALICE)).toEqual([ADMIN]);
      expect(emu.requests.at(-1)).toMatchObject({
        method: "DELETE",
        path: "/api/v2/organizations/org_acme000000000001/members/auth0%7Calice/roles",
        status: 204,
        body: { roles: [BILLING, VIEWER] },
      });
    });

    it("answers 404 for unknown roles (the safe reading: the docs do not settle it)", async () => {
      const reply = await call(emu, "DELETE", path(), { body: { roles: ["rol_missing000000001"] } });
      expect([reply.status, reply.body.errorCode]).toEqual([404, undefined]);
    });
  });

  it("answers 405 for other methods, naming the allowed ones", async () => {
    const reply = await call(emu, "PUT", path(), { body: { roles: [VIEWER] } });
    expect(reply.status).toBe(405);
    expect(reply.headers.get("allow")).toBe("GET, POST, DELETE");
    expect(reply.body.message).toContain("GET, POST, DELETE");
  });
});
