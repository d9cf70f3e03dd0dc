import { type Emulator, type SeedData, startEmulator } from "../../src/emulator";
import { BULK_THRESHOLD } from "../../src/provider/resources/bulk-refresh";
import { TerraformWorkspace } from "../support/terraform";

// The real terraform binary refreshes 30 resources of one organization through the built provider.
jest.setTimeout(180_000);

const ORG = "org_bulke2e000000001";
const ROLES = ["rol_e2e0000000000001", "rol_e2e0000000000002", "rol_e2e0000000000003"];
const HAND_GRANTED = "rol_e2ehand000000001";
const SECRET = "bulk-e2e-secret-5c4b3a";
const MEMBERS = Array.from({ length: 30 }, (_, i) =>
  i % 2 === 0 ? `auth0|member-${String(i).padStart(2, "0")}` : `samlp|corp|team/member-${i}`,
);
const rolesOf = (i: number): string[] => ROLES.slice(0, i % 4);

const seed: SeedData = {
  clients: [
    {
      clientId: "terraform-ci",
      clientSecret: SECRET,
      scopes: [
        "read:organization_member_roles",
        "create:organization_member_roles",
        "delete:organization_member_roles",
        "read:organization_members",
      ],
    },
  ],
  roles: [...ROLES, HAND_GRANTED].map((id) => ({ id, name: id })),
  users: MEMBERS.map((user_id) => ({ user_id })),
  organizations: [{ id: ORG, name: "bulk", members: MEMBERS.map((user_id) => ({ user_id })) }],
};

const config = {
  terraform: { required_providers: { auth0roles: { source: "terraform.local/rolesascode/auth0roles" } } },
  provider: { auth0roles: {} },
  resource: {
    auth0roles_organization_member_roles: Object.fromEntries(
      MEMBERS.map((user_id, i) => [`member_${i}`, { organization_id: ORG, user_id, roles: rolesOf(i) }]),
    ),
  },
};

const gets = (emu: Emulator) =>
  emu.requests.filter((r) => r.method === "GET" && r.path.startsWith("/api/v2/"));

describe("bulk refresh with terraform", () => {
  let emu: Emulator;
  let tf: TerraformWorkspace;

  beforeAll(async () => {
    emu = await startEmulator({ seed, rateLimits: { timeScale: 10 } });
    tf = new TerraformWorkspace({
      AUTH0_DOMAIN: emu.url,
      AUTH0_CLIENT_ID: "terraform-ci",
      AUTH0_CLIENT_SECRET: SECRET,
    });
    tf.writeConfig(config);
    await tf.init();
    await tf.apply();
  });

  afterAll(async () => {
    tf?.dispose();
    await emu?.stop();
  });

  test("a plan of 30 members makes far fewer GETs than resources, and no 429", async () => {
    expect(MEMBERS.map((user) => emu.tenant.memberRoles(ORG, user).length)).toEqual(
      MEMBERS.map((_, i) => rolesOf(i).length),
    );
    emu.clearRequests();
    const plan = await tf.plan();
    expect(plan.stdout).toContain("No changes.");
    expect(plan.code).toBe(0);
    // The first BULK_THRESHOLD (4) reads go per member; the other 26 wait for one listing: 30 members
    // fit one page, and the walk ends on an empty one.
    const listing = gets(emu).filter((r) => r.path === `/api/v2/organizations/${ORG}/members`);
    expect(listing).toHaveLength(2);
    expect(gets(emu)).toHaveLength(BULK_THRESHOLD + 2);
    expect(emu.requests.filter((r) => r.status === 429)).toEqual([]);
  });

  test("a role granted by hand to one member still shows as drift", async () => {
    const member = MEMBERS[17] as string;
    emu.tenant.assignRoles(ORG, member, [HAND_GRANTED]);
    const plan = await tf.plan();
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain("Plan: 0 to add, 1 to change, 0 to destroy.");
    expect(plan.stdout).toMatch(/- +"rol_e2ehand000000001"/);
  });

  test("bulk_refresh = false reads every member separately", async () => {
    tf.writeConfig({ ...config, provider: { auth0roles: { bulk_refresh: false } } });
    emu.clearRequests();
    const plan = await tf.plan();
    expect(plan.code).toBe(2);
    const perMember = gets(emu).filter((r) => r.path.endsWith("/roles"));
    expect(perMember).toHaveLength(MEMBERS.length);
    expect(gets(emu)).toHaveLength(MEMBERS.length);
  });
});
