import { type Emulator, type SeedData, startEmulator } from "../../src/emulator";
import { TerraformWorkspace } from "../support/terraform";
import { MEMBER_ROLES_SCOPES, memberRolesConfig } from "./fixtures";

// The real terraform binary drives the built provider (gRPC over mTLS) against the emulator over HTTP.
jest.setTimeout(180_000);

const ORG = "org_acme0000000000001";
const ALICE = "auth0|alice";
const ADMIN = "rol_admin00000000001";
const BILLING = "rol_billing000000001";
const VIEWER = "rol_viewer0000000001";
const AUDITOR = "rol_auditor000000001";
const SECRET = "s3cr3t-client-value-9f8e7d";

const seed: SeedData = {
  clients: [
    {
      clientId: "terraform-ci",
      clientSecret: SECRET,
      scopes: MEMBER_ROLES_SCOPES,
    },
    {
      clientId: "read-only",
      clientSecret: "read-only-secret-1234",
      scopes: ["read:organization_member_roles"],
    },
  ],
  roles: [
    { id: ADMIN, name: "admin" },
    { id: BILLING, name: "billing" },
    { id: VIEWER, name: "viewer" },
    { id: AUDITOR, name: "auditor" },
  ],
  users: [{ user_id: ALICE }, { user_id: "auth0|bob" }],
  organizations: [
    { id: ORG, name: "acme", members: [{ user_id: ALICE, roles: [] }, { user_id: "auth0|bob" }] },
  ],
};

function config(roles: readonly string[]) {
  return memberRolesConfig({ alice: { organization_id: ORG, user_id: ALICE, roles } });
}

function roleCalls(emu: Emulator) {
  return emu.requests
    .filter((r) => r.path.includes("/roles") && r.method !== "GET")
    .map((r) => ({ method: r.method, path: r.path, body: r.body }));
}

describe("terraform drives organization_member_roles end to end", () => {
  let emu: Emulator;
  let tf: TerraformWorkspace;

  beforeAll(async () => {
    emu = await startEmulator({ seed, rateLimits: false });
    tf = new TerraformWorkspace({
      AUTH0_DOMAIN: emu.url,
      AUTH0_CLIENT_ID: "terraform-ci",
      AUTH0_CLIENT_SECRET: SECRET,
    });
    tf.writeConfig(config([ADMIN, BILLING]));
    await tf.init();
  });

  afterAll(async () => {
    tf?.dispose();
    await emu?.stop();
  });

  test("create grants the roles, and a second plan is empty", async () => {
    emu.clearRequests();
    await tf.apply();
    expect(emu.tenant.memberRoles(ORG, ALICE)).toEqual([ADMIN, BILLING]);
    expect(roleCalls(emu)).toEqual([
      {
        method: "POST",
        path: `/api/v2/organizations/${ORG}/members/auth0%7Calice/roles`,
        body: { roles: [ADMIN, BILLING] },
      },
    ]);
    const plan = await tf.plan();
    expect(plan.stdout).toContain("No changes.");
    expect(plan.code).toBe(0);
    const state = await tf.stateJson();
    expect(state.values?.root_module?.resources?.[0]?.values).toMatchObject({
      id: `${ORG}::${ALICE}`,
      organization_id: ORG,
      user_id: ALICE,
    });
  });

  test("changing the set grants the new role by POST, then revokes the removed one by DELETE, nothing else", async () => {
    tf.writeConfig(config([ADMIN, VIEWER]));
    const plan = await tf.plan();
    expect(plan.code).toBe(2);
    expect(plan.stdout).toMatch(/- +"rol_billing000000001"/);
    expect(plan.stdout).toMatch(/\+ +"rol_viewer0000000001"/);
    emu.clearRequests();
    await tf.apply();
    expect(roleCalls(emu)).toEqual([
      {
        method: "POST",
        path: `/api/v2/organizations/${ORG}/members/auth0%7Calice/roles`,
        body: { roles: [VIEWER] },
      },
      {
        method: "DELETE",
        path: `/api/v2/organizations/${ORG}/members/auth0%7Calice/roles`,
        body: { roles: [BILLING] },
      },
    ]);
    expect(emu.tenant.memberRoles(ORG, ALICE)).toEqual([ADMIN, VIEWER]);
  });

  test("a role granted by hand shows as drift and is revoked on apply", async () => {
    emu.tenant.assignRoles(ORG, ALICE, [AUDITOR]);
    const plan = await tf.plan();
    expect(plan.code).toBe(2);
    expect(plan.stdout).toMatch(/- +"rol_auditor000000001"/);
    emu.clearRequests();
    await tf.apply();
    expect(roleCalls(emu)).toEqual([
      {
        method: "DELETE",
        path: `/api/v2/organizations/${ORG}/members/auth0%7Calice/roles`,
        body: { roles: [AUDITOR] },
      },
    ]);
    expect(emu.tenant.memberRoles(ORG, ALICE)).toEqual([ADMIN, VIEWER]);
    expect((await tf.plan()).code).toBe(0);
  });

  test("a member removed outside Terraform is planned as a clean create", async () => {
    emu.tenant.removeMember(ORG, ALICE);
    const plan = await tf.plan();
    expect(plan.stderr).not.toContain("Error");
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain("Plan: 1 to add, 0 to change, 0 to destroy.");
    emu.tenant.addMember(ORG, ALICE);
    await tf.apply();
    expect(emu.tenant.memberRoles(ORG, ALICE)).toEqual([ADMIN, VIEWER]);
    expect((await tf.plan()).code).toBe(0);
  });

  test("import adopts an existing member's roles", async () => {
    await tf.ok(["state", "rm", "auth0roles_organization_member_roles.alice"]);
    const imported = await tf.ok([
      "import",
      "-no-color",
      "auth0roles_organization_member_roles.alice",
      `${ORG}::${ALICE}`,
    ]);
    expect(imported.stdout).toContain("Import successful!");
    const state = await tf.stateJson();
    const values = state.values?.root_module?.resources?.[0]?.values;
    expect(values?.roles).toEqual([ADMIN, VIEWER]);
    expect((await tf.plan()).code).toBe(0);
  });

  test("destroy sends the documented DELETE with every managed role", async () => {
    emu.clearRequests();
    await tf.ok(["destroy", "-no-color", "-auto-approve"]);
    expect(roleCalls(emu)).toEqual([
      {
        method: "DELETE",
        path: `/api/v2/organizations/${ORG}/members/auth0%7Calice/roles`,
        body: { roles: [ADMIN, VIEWER] },
      },
    ]);
    expect(emu.tenant.memberRoles(ORG, ALICE)).toEqual([]);
  });
});
