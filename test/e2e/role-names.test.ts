import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as cdktfApi from "auth0-org-member-roles-cdktf";
import * as cdktnApi from "auth0-org-member-roles-cdktn";
import * as cdktf from "cdktf";
import * as cdktn from "cdktn";
import { type Emulator, startEmulator } from "../../src/emulator";
import { TerraformWorkspace } from "../support/terraform";
import { MEMBER_ROLES_SCOPES } from "./fixtures";

// `roles.id("billing")` in a CDKTF (and a cdktn) app, synthesized and run by the real terraform
// against the emulator: names become the right ids, and a misspelt name stops the plan before any call.
jest.setTimeout(180_000);

// cdktn is cdktf's API under another name, so one kit type (cdktf's) describes both.
interface Kit {
  readonly App: typeof cdktf.App;
  readonly TerraformStack: typeof cdktf.TerraformStack;
  readonly LocalBackend: typeof cdktf.LocalBackend;
  readonly Auth0Roles: typeof cdktfApi.Auth0Roles;
  readonly Auth0RolesProvider: typeof cdktfApi.Auth0RolesProvider;
  readonly OrganizationMemberRoles: typeof cdktfApi.OrganizationMemberRoles;
}

// Each library manages its own two members, so the two runs do not see each other's grants.
const KITS: readonly [string, Kit, { alice: string; bob: string }][] = [
  ["cdktf", { ...cdktf, ...cdktfApi }, { alice: "auth0|alice", bob: "auth0|bob" }],
  ["cdktn", { ...cdktn, ...cdktnApi } as unknown as Kit, { alice: "auth0|carol", bob: "auth0|dave" }],
];
const USERS = KITS.flatMap(([, , users]) => [users.alice, users.bob]);

const ORG = "org_acme000000000001";
const GLOBEX = "org_globex0000000001";
const ERIN = "auth0|erin";
const ROLE_IDS = {
  admin: "rol_admin00000000001",
  billing: "rol_billing000000001",
  "billing-admin": "rol_billadm000000001",
  viewer: "rol_viewer0000000001",
} as const;
const CLIENT = { clientId: "pipeline", clientSecret: "pipeline-secret-for-the-emulator" };
const STACK = "access";

/** Synthesizes a one-stack app in which each member's roles are built from an Auth0Roles. */
function synthesize(
  kit: Kit,
  outRoot: string,
  members: (roles: cdktfApi.Auth0Roles) => Record<string, string[]>,
): string {
  const outdir = mkdtempSync(join(outRoot, "app-"));
  const app = new kit.App({ outdir });
  const stack = new kit.TerraformStack(app, STACK);
  // State beside the synthesized app, not in the working directory (cdktf's default).
  new kit.LocalBackend(stack, { path: join(outdir, "terraform.tfstate") });
  new kit.Auth0RolesProvider(stack, "auth0roles");
  const roles = new kit.Auth0Roles(stack, "roles");
  for (const [userId, memberRoles] of Object.entries(members(roles))) {
    new kit.OrganizationMemberRoles(stack, userId.replace("auth0|", ""), {
      organizationId: ORG,
      userId,
      roles: memberRoles,
    });
  }
  app.synth();
  return join(outdir, "stacks", STACK);
}

describe("roles by name under terraform", () => {
  let emu: Emulator;
  let outRoot: string;
  const workspaces: TerraformWorkspace[] = [];

  beforeAll(async () => {
    emu = await startEmulator({
      rateLimits: false,
      seed: {
        clients: [{ ...CLIENT, scopes: [...MEMBER_ROLES_SCOPES, "read:roles", "read:organization_members"] }],
        roles: Object.entries(ROLE_IDS).map(([name, id]) => ({ id, name })),
        users: [...USERS, ERIN].map((user_id) => ({ user_id })),
        organizations: [
          { id: ORG, name: "acme", members: USERS.map((user_id) => ({ user_id })) },
          { id: GLOBEX, name: "globex", members: [{ user_id: ERIN }] },
        ],
      },
    });
    outRoot = mkdtempSync(join(tmpdir(), "auth0roles-role-names-"));
  });

  afterAll(async () => {
    for (const tf of workspaces) tf.dispose();
    rmSync(outRoot, { recursive: true, force: true });
    await emu?.stop();
  });

  async function initialized(stackDir: string): Promise<TerraformWorkspace> {
    const tf = new TerraformWorkspace(
      { AUTH0_DOMAIN: emu.url, AUTH0_CLIENT_ID: CLIENT.clientId, AUTH0_CLIENT_SECRET: CLIENT.clientSecret },
      { stackDir },
    );
    workspaces.push(tf);
    await tf.init();
    return tf;
  }

  describe.each(KITS)("under %s", (_name, kit, { alice: ALICE, bob: BOB }) => {
    test("apply grants the roles the names stand for, next to literal ids, and the next plan is empty", async () => {
      const tf = await initialized(
        synthesize(kit, outRoot, (roles) => ({
          [ALICE]: [roles.id("billing"), ROLE_IDS.admin],
          [BOB]: [roles.id("viewer"), roles.id("billing-admin")],
        })),
      );
      emu.clearRequests();
      await tf.apply();
      expect(emu.tenant.memberRoles(ORG, ALICE)).toEqual([ROLE_IDS.admin, ROLE_IDS.billing]);
      expect(emu.tenant.memberRoles(ORG, BOB)).toEqual([ROLE_IDS["billing-admin"], ROLE_IDS.viewer].sort());
      // The tenant's roles are listed once per provider process, one page each: by the plan's (the data
      // source and the check of the role ids granted share it) and by the one that applies, which
      // plans each resource again and checks the ids it grants.
      expect(emu.requests.filter((r) => r.method === "GET" && r.path === "/api/v2/roles")).toHaveLength(2);

      const plan = await tf.plan();
      expect(plan.stderr).toBe("");
      expect(plan.code).toBe(0);
    });

    test("an unknown name fails the plan naming it and the closest names, and nothing is written", async () => {
      const before = {
        alice: emu.tenant.memberRoles(ORG, ALICE),
        bob: emu.tenant.memberRoles(ORG, BOB),
      };
      const tf = await initialized(
        synthesize(kit, outRoot, (roles) => ({
          [ALICE]: [roles.id("billng"), ROLE_IDS.admin],
          [BOB]: [roles.id("viewer")],
        })),
      );
      emu.clearRequests();
      const plan = await tf.plan();
      expect(plan.code).toBe(1);
      const output = plan.stderr.replace(/\s+/g, " ");
      expect(output).toContain('Error: Unknown role name "billng"');
      expect(output).toContain('The tenant has no role called "billng". The closest role names: "billing".');
      // Terraform's own "Invalid index" never comes: the data source fails first.
      expect(output).not.toContain("Invalid index");

      const apply = await tf.run(["apply", "-no-color", "-auto-approve", "-input=false"]);
      expect(apply.code).toBe(1);
      expect(apply.stderr).toContain('Unknown role name "billng"');
      expect(emu.requests.filter((r) => r.path.startsWith("/api/") && r.method !== "GET")).toEqual([]);
      expect(emu.tenant.memberRoles(ORG, ALICE)).toEqual(before.alice);
      expect(emu.tenant.memberRoles(ORG, BOB)).toEqual(before.bob);
    });
  });

  test("OrganizationRoles takes names in its members too", async () => {
    const outdir = mkdtempSync(join(outRoot, "app-"));
    const app = new cdktf.App({ outdir });
    const stack = new cdktf.TerraformStack(app, STACK);
    new cdktf.LocalBackend(stack, { path: join(outdir, "terraform.tfstate") });
    new cdktfApi.Auth0RolesProvider(stack, "auth0roles");
    const roles = new cdktfApi.Auth0Roles(stack, "roles");
    new cdktfApi.OrganizationRoles(stack, "globex", {
      organizationId: GLOBEX,
      members: { [ERIN]: [roles.id("viewer"), ROLE_IDS.admin] },
    });
    app.synth();
    const tf = await initialized(join(outdir, "stacks", STACK));
    await tf.apply();
    expect(emu.tenant.memberRoles(GLOBEX, ERIN)).toEqual([ROLE_IDS.admin, ROLE_IDS.viewer]);
    const plan = await tf.plan();
    expect(plan.stderr).toBe("");
    expect(plan.code).toBe(0);
  });
});
