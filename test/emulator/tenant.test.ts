import { ApiError, DEFAULT_SEED, MAX_ROLES_PER_MEMBER, Tenant } from "../../src/emulator";
import { ACME, ADMIN, ALICE, BILLING, GLOBEX, SUPPORT, VIEWER } from "./helpers";

function seeded(): Tenant {
  const tenant = new Tenant();
  tenant.seed(DEFAULT_SEED);
  return tenant;
}

function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error("expected an ApiError");
}

describe("Tenant", () => {
  it("holds the default seed", () => {
    const tenant = seeded();
    expect(tenant.memberRoles(ACME, ALICE)).toEqual([ADMIN, BILLING]);
    expect(tenant.memberRoles(GLOBEX, ALICE)).toEqual([VIEWER]);
    expect(tenant.memberRoles(ACME, "samlp|corp-sso|erin/ops")).toEqual([SUPPORT]);
    expect(tenant.members(ACME)).toEqual([
      "auth0|alice",
      "auth0|bob",
      "auth0|carol",
      "samlp|corp-sso|erin/ops",
    ]);
  });

  it("assigns and removes roles by hand; both are idempotent and memberRoles stays sorted", () => {
    const tenant = seeded();
    tenant.assignRoles(ACME, "auth0|carol", [VIEWER, ADMIN, VIEWER]);
    tenant.assignRoles(ACME, "auth0|carol", [ADMIN]);
    expect(tenant.memberRoles(ACME, "auth0|carol")).toEqual([ADMIN, VIEWER]);
    tenant.removeRoles(ACME, "auth0|carol", [ADMIN, BILLING]);
    expect(tenant.memberRoles(ACME, "auth0|carol")).toEqual([VIEWER]);
  });

  it("throws the API's 404s for unknown org, unknown user, non-member and unknown role", () => {
    const tenant = seeded();
    expect(apiError(() => tenant.memberRoles("org_nope000000000000", ALICE)).toBody()).toEqual({
      statusCode: 404,
      error: "Not Found",
      message: "The organization does not exist.",
      errorCode: "inexistent_organization",
    });
    expect(apiError(() => tenant.memberRoles(ACME, "auth0|nobody")).message).toBe("The user does not exist.");
    const notMember = apiError(() => tenant.memberRoles(GLOBEX, "auth0|bob"));
    expect([notMember.statusCode, notMember.message]).toEqual([
      404,
      "User is not a member of this organization",
    ]);
    const unknownRole = apiError(() => tenant.assignRoles(ACME, ALICE, ["rol_missing000000001"]));
    expect([unknownRole.statusCode, unknownRole.errorCode]).toEqual([404, undefined]);
    expect(unknownRole.message).toContain("rol_missing000000001");
  });

  it("caps a member at 50 roles with the API's 409, counting only roles not already held", () => {
    const tenant = new Tenant();
    const roles = Array.from({ length: MAX_ROLES_PER_MEMBER + 1 }, (_, i) => ({
      id: `rol_${String(i).padStart(16, "0")}`,
      name: `r${i}`,
    }));
    tenant.seed({
      roles,
      users: [{ user_id: "auth0|x" }],
      organizations: [{ id: "org_x", name: "x", members: [{ user_id: "auth0|x" }] }],
    });
    const ids = roles.map((r) => r.id);
    tenant.assignRoles("org_x", "auth0|x", ids.slice(0, 50));
    tenant.assignRoles("org_x", "auth0|x", ids.slice(0, 10)); // already held: no-op, no 409
    const err = apiError(() => tenant.assignRoles("org_x", "auth0|x", [ids[50] as string]));
    expect([err.statusCode, err.message]).toEqual([
      409,
      "No more roles can be assigned to this organization member.",
    ]);
    expect(tenant.memberRoles("org_x", "auth0|x")).toHaveLength(50);
  });

  it("drops roles with the membership, and a deleted role from every member", () => {
    const tenant = seeded();
    tenant.removeMember(ACME, ALICE);
    expect(tenant.isMember(ACME, ALICE)).toBe(false);
    tenant.addMember(ACME, ALICE);
    expect(tenant.memberRoles(ACME, ALICE)).toEqual([]);
    tenant.deleteRole(VIEWER);
    expect(tenant.memberRoles(GLOBEX, ALICE)).toEqual([]);
    expect(tenant.memberRoles(GLOBEX, "google-oauth2|dave")).toEqual([BILLING]);
  });

  it("seed adds to existing state and refuses dangling references naming the field, changing nothing", () => {
    const tenant = seeded();
    tenant.seed({
      organizations: [{ id: ACME, name: "acme", members: [{ user_id: "auth0|carol", roles: [BILLING] }] }],
    });
    expect(tenant.memberRoles(ACME, "auth0|carol")).toEqual([BILLING]);
    expect(tenant.memberRoles(ACME, ALICE)).toEqual([ADMIN, BILLING]);
    expect(() =>
      tenant.seed({ organizations: [{ id: "org_new", name: "new", members: [{ user_id: "auth0|ghost" }] }] }),
    ).toThrow('seed: organizations[0].members[0].user_id: user "auth0|ghost" is not in users');
    expect(() =>
      tenant.seed({
        organizations: [{ id: ACME, name: "acme", members: [{ user_id: ALICE, roles: ["rol_x"] }] }],
      }),
    ).toThrow('organizations[0].members[0].roles[0]: role "rol_x" is not in roles');
    expect(tenant.hasOrganization("org_new")).toBe(false);
  });

  it("snapshot leaves client secrets out", () => {
    const snapshot = seeded().snapshot();
    expect(JSON.stringify(snapshot)).not.toContain("emulator-secret");
    expect(snapshot.clients[0]?.clientId).toBe("emulator-client");
    expect(snapshot.organizations.find((o) => o.id === ACME)?.members[0]).toEqual({
      user_id: ALICE,
      roles: [ADMIN, BILLING],
    });
  });
});
