import { type Emulator, type SeedData, startEmulator } from "../../src/emulator";
import { TerraformWorkspace } from "../support/terraform";
import { MEMBER_ROLES_SCOPES, organizationRolesConfig } from "./fixtures";

// The real terraform binary drives the built provider (gRPC over mTLS) against the emulator over HTTP.
jest.setTimeout(240_000);

const ACME = "org_acme0000000000001";
const GLOBEX = "org_globex0000000001";
const ADMIN = "rol_admin00000000001";
const BILLING = "rol_billing000000001";
const VIEWER = "rol_viewer0000000001";
const MISSING = "rol_missing000000001";
const SECRET = "org-e2e-secret-7a6b5c";
const [ALICE, BOB, CAROL, MALLORY, TRENT] = [
  "auth0|alice",
  "auth0|bob",
  "samlp|corp|carol/x",
  "auth0|mallory",
  "auth0|trent",
];
const USERS = [ALICE, BOB, CAROL, MALLORY, TRENT];

const seed = (): SeedData => ({
  clients: [
    {
      clientId: "terraform-ci",
      clientSecret: SECRET,
      scopes: [...MEMBER_ROLES_SCOPES, "read:organization_members"],
    },
  ],
  roles: [ADMIN, BILLING, VIEWER].map((id) => ({ id, name: id })),
  users: USERS.map((user_id) => ({ user_id })),
  organizations: [
    {
      id: ACME,
      name: "acme",
      members: [
        { user_id: ALICE, roles: [VIEWER] },
        { user_id: BOB },
        { user_id: CAROL },
        { user_id: MALLORY },
      ],
    },
    { id: GLOBEX, name: "globex", members: USERS.map((user_id) => ({ user_id, roles: [VIEWER] })) },
  ],
});

type Members = Record<string, readonly string[]>;

const acme = (members: Members, extra: { exclusive?: boolean } = {}) =>
  organizationRolesConfig({ acme: { organization_id: ACME, members, ...extra } });

function writes(emu: Emulator) {
  return emu.requests.filter((r) => r.path.startsWith("/api/v2/") && r.method !== "GET");
}

async function stateOf(tf: TerraformWorkspace, address: string): Promise<Record<string, unknown>> {
  const state = await tf.stateJson();
  const resource = state.values?.root_module?.resources?.find((r) => r.address === address);
  if (!resource) throw new Error(`no ${address} in state`);
  return resource.values;
}

describe("auth0roles_organization_roles with terraform", () => {
  let emu: Emulator;
  let tf: TerraformWorkspace;

  beforeEach(async () => {
    emu = await startEmulator({ seed: seed(), rateLimits: false });
    tf = new TerraformWorkspace({
      AUTH0_DOMAIN: emu.url,
      AUTH0_CLIENT_ID: "terraform-ci",
      AUTH0_CLIENT_SECRET: SECRET,
    });
  });

  afterEach(async () => {
    tf?.dispose();
    await emu?.stop();
  });

  test("create, update, exclusive revocation of a hand-added member with a warning, destroy", async () => {
    tf.writeConfig(acme({ [ALICE]: [ADMIN, BILLING], [BOB]: [VIEWER] }));
    await tf.init();
    await tf.apply();
    expect(emu.tenant.memberRoles(ACME, ALICE)).toEqual([ADMIN, BILLING]);
    expect(emu.tenant.memberRoles(ACME, BOB)).toEqual([VIEWER]);
    expect(await stateOf(tf, "auth0roles_organization_roles.acme")).toMatchObject({
      id: ACME,
      exclusive: true,
      members: { [ALICE]: [ADMIN, BILLING], [BOB]: [VIEWER] },
      undeclared_members: {},
    });
    // Grant before revoke for alice: her new role was posted before the old one was deleted.
    const aliceWrites = writes(emu).filter((r) => r.path.includes(encodeURIComponent(ALICE)));
    expect(aliceWrites.map((r) => [r.method, r.body])).toEqual([
      ["POST", { roles: [ADMIN, BILLING] }],
      ["DELETE", { roles: [VIEWER] }],
    ]);
    expect((await tf.plan()).code).toBe(0);

    // Update: alice loses billing, bob gains admin, carol is declared with no roles.
    tf.writeConfig(acme({ [ALICE]: [ADMIN], [BOB]: [ADMIN, VIEWER], [CAROL]: [] }));
    emu.clearRequests();
    await tf.apply();
    expect(emu.tenant.memberRoles(ACME, ALICE)).toEqual([ADMIN]);
    expect(emu.tenant.memberRoles(ACME, BOB)).toEqual([ADMIN, VIEWER]);
    expect(writes(emu)).toHaveLength(2);
    expect((await tf.plan()).code).toBe(0);

    // Someone grants mallory admin by hand: exclusive shows her revocation and warns with the count.
    emu.tenant.assignRoles(ACME, MALLORY, [ADMIN]);
    const plan = await tf.plan();
    expect(plan.code).toBe(2);
    expect(plan.stdout).toMatch(
      /undeclared_members = \{\s*- "auth0\|mallory" = \[\s*- "rol_admin00000000001",/,
    );
    expect(plan.stdout).toContain("Exclusive: 1 member not in members will lose all their roles");
    expect(plan.stdout).toContain('"auth0|mallory"');
    emu.clearRequests();
    await tf.apply();
    expect(emu.tenant.memberRoles(ACME, MALLORY)).toEqual([]);
    expect(writes(emu).map((r) => [r.method, r.path, r.body])).toEqual([
      [
        "DELETE",
        `/api/v2/organizations/${ACME}/members/${encodeURIComponent(MALLORY)}/roles`,
        { roles: [ADMIN] },
      ],
    ]);
    expect((await tf.plan()).code).toBe(0);

    // Destroy revokes the declared members' roles only; a member granted by hand since is left alone.
    emu.tenant.assignRoles(ACME, MALLORY, [VIEWER]);
    await tf.ok(["destroy", "-no-color", "-auto-approve", "-input=false"]);
    expect(emu.tenant.memberRoles(ACME, ALICE)).toEqual([]);
    expect(emu.tenant.memberRoles(ACME, BOB)).toEqual([]);
    expect(emu.tenant.memberRoles(ACME, MALLORY)).toEqual([VIEWER]);
  });

  test("a create warns in the plan about the members exclusive would strip", async () => {
    emu.tenant.assignRoles(ACME, MALLORY, [ADMIN]);
    tf.writeConfig(acme({ [ALICE]: [VIEWER] }));
    await tf.init();
    const plan = await tf.plan();
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain("Exclusive: 1 member not in members will lose all their roles");
    await tf.apply();
    expect(emu.tenant.memberRoles(ACME, MALLORY)).toEqual([]);
    expect(emu.tenant.memberRoles(ACME, ALICE)).toEqual([VIEWER]);
  });

  test("exclusive = false manages only the listed members", async () => {
    tf.writeConfig(
      organizationRolesConfig({
        globex: { organization_id: GLOBEX, members: { [ALICE]: [ADMIN] }, exclusive: false },
      }),
    );
    await tf.init();
    const created = await tf.plan();
    expect(created.stdout).not.toContain("Exclusive");
    await tf.apply();
    expect(emu.tenant.memberRoles(GLOBEX, ALICE)).toEqual([ADMIN]);
    for (const user of [BOB, CAROL, MALLORY, TRENT])
      expect(emu.tenant.memberRoles(GLOBEX, user)).toEqual([VIEWER]);
    emu.tenant.assignRoles(GLOBEX, MALLORY, [ADMIN]);
    expect((await tf.plan()).code).toBe(0);
    expect(await stateOf(tf, "auth0roles_organization_roles.globex")).toMatchObject({
      exclusive: false,
      members: { [ALICE]: [ADMIN] },
      undeclared_members: null,
    });
    // Drift of a listed member is still seen and reverted.
    emu.tenant.assignRoles(GLOBEX, ALICE, [BILLING]);
    expect((await tf.plan()).code).toBe(2);
    await tf.apply();
    expect(emu.tenant.memberRoles(GLOBEX, ALICE)).toEqual([ADMIN]);
    expect(emu.tenant.memberRoles(GLOBEX, MALLORY)).toEqual([ADMIN, VIEWER]);
  });

  test("import by organization id adopts the organization; the plan is empty and apply writes nothing", async () => {
    emu.tenant.assignRoles(ACME, BOB, [ADMIN, BILLING]);
    tf.writeConfig(acme({ [ALICE]: [VIEWER], [BOB]: [ADMIN, BILLING] }));
    await tf.init();
    await tf.ok(["import", "-no-color", "-input=false", "auth0roles_organization_roles.acme", ACME]);
    expect(await stateOf(tf, "auth0roles_organization_roles.acme")).toMatchObject({
      id: ACME,
      members: { [ALICE]: [VIEWER], [BOB]: [ADMIN, BILLING] },
    });
    const plan = await tf.plan();
    expect(plan.stdout).toContain("No changes.");
    emu.clearRequests();
    await tf.apply();
    expect(writes(emu)).toEqual([]);

    const bad = await tf.run([
      "import",
      "-no-color",
      "-input=false",
      "auth0roles_organization_roles.other",
      `${ACME}::${ALICE}`,
    ]);
    expect(bad.code).not.toBe(0);
  });

  test("a partial failure records what the tenant holds, and the next apply converges", async () => {
    tf.writeConfig(acme({ [ALICE]: [VIEWER], [BOB]: [VIEWER], [CAROL]: [] }));
    await tf.init();
    await tf.apply();
    // A role id that does not exist fails bob's grant; alice and carol are applied all the same.
    tf.writeConfig(acme({ [ALICE]: [ADMIN], [BOB]: [ADMIN, MISSING], [CAROL]: [BILLING] }));
    const failed = await tf.run(["apply", "-no-color", "-auto-approve", "-input=false"]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('Could not update the roles of "auth0|bob"');
    // Terraform points at the member's entry in the configuration (the diagnostic's attribute path):
    // Terraform 1.11 at the member's key, 1.16 at the member by name (`members.auth0|bob`).
    expect(failed.stderr).toMatch(
      /in resource\.auth0roles_organization_roles\.acme\.members(:\n\s*\d+:\s*"auth0\|bob": \[|\.auth0\|bob:)/,
    );
    expect(emu.tenant.memberRoles(ACME, ALICE)).toEqual([ADMIN]);
    expect(emu.tenant.memberRoles(ACME, CAROL)).toEqual([BILLING]);
    expect(emu.tenant.memberRoles(ACME, BOB)).toEqual([VIEWER]);
    expect(await stateOf(tf, "auth0roles_organization_roles.acme")).toMatchObject({
      members: { [ALICE]: [ADMIN], [BOB]: [VIEWER], [CAROL]: [BILLING] },
    });
    tf.writeConfig(acme({ [ALICE]: [ADMIN], [BOB]: [ADMIN], [CAROL]: [BILLING] }));
    emu.clearRequests();
    await tf.apply();
    expect(emu.tenant.memberRoles(ACME, BOB)).toEqual([ADMIN]);
    // Only bob was still to change.
    expect(writes(emu).every((r) => r.path.includes(encodeURIComponent(BOB)))).toBe(true);
    expect((await tf.plan()).code).toBe(0);
  });

  test("invalid members are refused at plan with the member's path, before any call", async () => {
    const tooMany = Array.from({ length: 51 }, (_, i) => `rol_many${String(i).padStart(12, "0")}`);
    tf.writeConfig(acme({ [ALICE]: tooMany, [BOB]: [""] }));
    await tf.init();
    emu.clearRequests();
    const plan = await tf.plan();
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('members["auth0|alice"]: roles lists 51 roles');
    expect(plan.stderr).toContain('members["auth0|bob"]: roles contains an empty role id');
    expect(emu.requests.filter((r) => r.path.startsWith("/api/v2/"))).toEqual([]);
  });
});
