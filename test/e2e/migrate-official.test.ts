import { execFile, execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Emulator, type SeedData, startEmulator } from "../../src/emulator";
import { OFFICIAL_SOURCE } from "../support/official-provider";
import { officialEnv, officialWorkspace, requiredProviders } from "../support/official-workspace";
import { TerraformWorkspace } from "../support/terraform";
import { MEMBER_ROLES_SCOPES } from "./fixtures";

// Migrating state entries of the official provider's auth0_organization_member_roles to this
// provider, with the real terraform binary and the real official provider (AUTH0ROLES_OFFICIAL_PROVIDER)
// against the HTTPS emulator: the official provider applies first and writes the state; then
// `moved` blocks (which need it installed) or `auth0-member-roles migrate` (which does not) take it
// over. Neither writes to the tenant.
jest.setTimeout(180_000);

const CLI = resolve(__dirname, "../../bin/auth0-member-roles");
const ORG = "org_acme000000000001";
const [ADMIN, BILLING, VIEWER, SUPPORT] = [
  "rol_admin00000000001",
  "rol_billing000000001",
  "rol_viewer0000000001",
  "rol_support000000001",
];
const MEMBERS = { "auth0|alice": [ADMIN, BILLING], "auth0|bob": [VIEWER], "samlp|corp|carol/ops": [SUPPORT] };

const seed: SeedData = {
  clients: [
    { clientId: "ci", clientSecret: "ci-secret-0123456789", scopes: [...MEMBER_ROLES_SCOPES, "read:roles"] },
  ],
  roles: [ADMIN, BILLING, VIEWER, SUPPORT].map((id) => ({ id, name: id.slice(4, -11) })),
  users: Object.keys(MEMBERS).map((user_id) => ({ user_id })),
  organizations: [
    {
      id: ORG,
      name: "acme",
      // Members holding no roles yet: the official provider's apply grants them.
      members: Object.keys(MEMBERS).map((user_id) => ({ user_id })),
    },
  ],
};

const CLIENT = { id: "ci", secret: "ci-secret-0123456789" };

/** The official provider's configuration: `alice` and `bob` on their own, `team["carol"]` from for_each. */
function officialConfig(version: string, audience: string): string {
  const block = (name: string, user: keyof typeof MEMBERS) => `
resource "auth0_organization_member_roles" "${name}" {
  organization_id = "${ORG}"
  user_id         = "${user}"
  roles           = ${JSON.stringify(MEMBERS[user])}
}
`;
  return `${requiredProviders(version, false)}
provider "auth0" {
  audience = "${audience}"
}
${block("alice", "auth0|alice")}${block("bob", "auth0|bob")}
resource "auth0_organization_member_roles" "team" {
  for_each        = { carol = "samlp|corp|carol/ops" }
  organization_id = "${ORG}"
  user_id         = each.value
  roles           = ["${SUPPORT}"]
}
`;
}

/** The configuration after the switch: the same members, as this provider's resources. */
function newConfig(extra = "", official?: string): string {
  return `
${official ? requiredProviders(official) : 'terraform {\n  required_providers {\n    auth0roles = { source = "terraform.local/rolesascode/auth0roles" }\n  }\n}'}

resource "auth0roles_organization_member_roles" "alice" {
  organization_id = "${ORG}"
  user_id         = "auth0|alice"
  roles           = ["${ADMIN}", "${BILLING}"]
}

resource "auth0roles_organization_member_roles" "bob" {
  organization_id = "${ORG}"
  user_id         = "auth0|bob"
  roles           = ["${VIEWER}"]
}

resource "auth0roles_organization_member_roles" "team" {
  for_each        = { carol = "samlp|corp|carol/ops" }
  organization_id = "${ORG}"
  user_id         = each.value
  roles           = ["${SUPPORT}"]
}
${extra}`;
}

const MOVED = ["alice", "bob", "team"]
  .map(
    (n) =>
      `moved {\n  from = auth0_organization_member_roles.${n}\n  to   = auth0roles_organization_member_roles.${n}\n}\n`,
  )
  .join("\n");

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(CLI, args, (error, stdout, stderr) =>
      done({ code: typeof error?.code === "number" ? error.code : 0, stdout, stderr }),
    );
  });
}

describe("migrating from the official provider's auth0_organization_member_roles", () => {
  let emu: Emulator;
  const workspaces: TerraformWorkspace[] = [];

  beforeEach(async () => {
    emu = await startEmulator({ seed, rateLimits: false, https: true });
  });
  afterEach(() => emu.stop());
  afterAll(() => {
    for (const tf of workspaces) tf.dispose();
  });

  const tenantWrites = () => emu.requests.filter((r) => r.method !== "GET" && r.path.startsWith("/api/"));
  const tenantRoles = () =>
    Object.fromEntries(Object.keys(MEMBERS).map((u) => [u, emu.tenant.memberRoles(ORG, u)]));

  /** The official provider itself grants the roles: its apply writes the state that is migrated. */
  async function officialApplied(): Promise<{ tf: TerraformWorkspace; version: string }> {
    const official = officialWorkspace(emu, CLIENT);
    workspaces.push(official.tf);
    official.tf.writeConfig(officialConfig(official.version, emu.audience));
    await official.tf.init();
    await official.tf.apply();
    expect(tenantRoles()).toEqual(MEMBERS);
    const written = JSON.parse((await official.tf.ok(["state", "pull"])).stdout) as {
      resources: { type: string; provider: string }[];
    };
    expect(written.resources.map((r) => [r.type, r.provider])).toEqual(
      Array(3).fill(["auth0_organization_member_roles", `provider["${OFFICIAL_SOURCE}"]`]),
    );
    emu.clearRequests();
    return official;
  }

  async function expectAdopted(tf: TerraformWorkspace): Promise<void> {
    const state = await tf.stateJson();
    const resources = state.values?.root_module?.resources ?? [];
    expect(resources.map((r) => r.address).sort()).toEqual([
      "auth0roles_organization_member_roles.alice",
      "auth0roles_organization_member_roles.bob",
      'auth0roles_organization_member_roles.team["carol"]',
    ]);
    expect(resources.find((r) => r.address.endsWith(".bob"))?.values).toEqual({
      id: `${ORG}::auth0|bob`,
      organization_id: ORG,
      user_id: "auth0|bob",
      roles: [VIEWER],
    });
    const after = await tf.plan();
    expect([after.code, after.stdout]).toEqual([0, expect.stringContaining("No changes.")]);
  }

  test("moved blocks take over the state the official provider wrote: moves only, no API write", async () => {
    const { tf, version } = await officialApplied();
    tf.writeConfig(newConfig(MOVED, version));
    await tf.init();
    const plan = await tf.plan();
    expect(plan.code).toBe(2);
    for (const n of ["alice", "bob", 'team["carol"]']) {
      expect(plan.stdout).toContain(
        `auth0_organization_member_roles.${n} has moved to auth0roles_organization_member_roles.${n}`,
      );
    }
    expect(plan.stdout).toContain("Plan: 0 to add, 0 to change, 0 to destroy.");
    expect(plan.stdout).not.toMatch(/will be (created|updated|destroyed)|must be replaced/);
    await tf.apply();
    await expectAdopted(tf);
    expect(tenantWrites()).toEqual([]);
    expect(tenantRoles()).toEqual(MEMBERS);
  });

  test("without the official provider installed, Terraform cannot even init the state it wrote", async () => {
    const { tf: official } = await officialApplied();
    const tf = new TerraformWorkspace(officialEnv(emu, CLIENT));
    workspaces.push(tf);
    tf.mirrorOnly();
    tf.writeFile("terraform.tfstate", (await official.ok(["state", "pull"])).stdout);
    tf.writeConfig(newConfig(MOVED));
    const init = await tf.run(["init", "-no-color", "-input=false"]);
    expect(init.code).toBe(1);
    expect(init.stderr.replace(/\s+/g, " ")).toContain(
      "provider registry.terraform.io/auth0/auth0 was not found in any of the search locations",
    );
  });

  test("auth0-member-roles migrate on the official provider's own state: state rm plus import blocks, no API write", async () => {
    const { tf } = await officialApplied();
    const stateFile = join(tf.dir, "old.tfstate");
    writeFileSync(stateFile, (await tf.ok(["state", "pull"])).stdout);

    const commands = await cli("migrate", "--state", stateFile, "--commands");
    expect(commands).toMatchObject({ code: 0, stderr: "" });
    expect(commands.stdout).toBe(
      "terraform state rm 'auth0_organization_member_roles.alice'\n" +
        "terraform state rm 'auth0_organization_member_roles.bob'\n" +
        `terraform state rm 'auth0_organization_member_roles.team["carol"]'\n`,
    );
    const imports = await cli("migrate", "--state", stateFile);
    expect(imports.code).toBe(0);
    expect(imports.stdout).toContain(
      `import {\n  to = auth0roles_organization_member_roles.team["carol"]\n  id = "${ORG}::samlp|corp|carol/ops"\n}\n`,
    );

    // The printed commands, run as a user would: they need no provider and no init.
    execFileSync("sh", ["-c", commands.stdout], {
      cwd: tf.dir,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", CHECKPOINT_DISABLE: "1", HOME: tf.dir },
    });
    writeFileSync(join(tf.dir, "imports.tf"), imports.stdout);
    tf.writeConfig(newConfig());
    await tf.init();
    const plan = await tf.plan();
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain("Plan: 3 to import, 0 to add, 0 to change, 0 to destroy.");
    expect(plan.stdout + plan.stderr).not.toContain("Warning");
    await tf.apply();
    await expectAdopted(tf);
    expect(tenantWrites()).toEqual([]);
    expect(tenantRoles()).toEqual(MEMBERS);
  });

  test("migrate refuses what is not a state file, and says what to pass", async () => {
    const tf = new TerraformWorkspace();
    workspaces.push(tf);
    const notState = join(tf.dir, "main.tf");
    writeFileSync(notState, "resource {}");
    const result = await cli("migrate", "--state", notState);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("is not JSON. Pass a state file: terraform state pull > state.json");
    expect((await cli("migrate")).stderr).toContain("migrate needs --state FILE");
  });
});
