import { execFile, execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Emulator, type SeedData, startEmulator } from "../../src/emulator";
import { type BundledProvider, bundleProvider } from "../support/provider-fixture";
import { TerraformWorkspace } from "../support/terraform";
import { MEMBER_ROLES_SCOPES } from "./fixtures";

// Migrating state entries of the official provider's auth0_organization_member_roles to this
// provider, with the real terraform binary against the emulator: with `moved` blocks (which need the
// old provider installed) and with `auth0-member-roles migrate` (which does not). Neither writes.
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
      members: Object.entries(MEMBERS).map(([user_id, roles]) => ({ user_id, roles })),
    },
  ],
};

const OFFICIAL = 'provider["registry.terraform.io/auth0/auth0"]';
const officialAttributes = (user: keyof typeof MEMBERS) => ({
  id: `${ORG}::${user}`,
  organization_id: ORG,
  user_id: user,
  roles: MEMBERS[user],
});

/** What the official provider leaves in state: `alice` and `bob` on their own, `team["carol"]` from for_each. */
const officialState = {
  version: 4,
  terraform_version: "1.11.4",
  serial: 3,
  lineage: "0f8c5c2e-2a34-4c6b-9d1e-5b7f0c3a9e11",
  outputs: {},
  resources: [
    ...(["alice", "bob"] as const).map((name) => ({
      mode: "managed",
      type: "auth0_organization_member_roles",
      name,
      provider: OFFICIAL,
      instances: [
        { schema_version: 0, attributes: officialAttributes(`auth0|${name}`), sensitive_attributes: [] },
      ],
    })),
    {
      mode: "managed",
      type: "auth0_organization_member_roles",
      name: "team",
      provider: OFFICIAL,
      instances: [
        {
          index_key: "carol",
          schema_version: 0,
          attributes: officialAttributes("samlp|corp|carol/ops"),
          sensitive_attributes: [],
        },
      ],
    },
  ],
  check_results: null,
};

/** The configuration after the switch: the same members, as this provider's resources. */
function newConfig(extra = ""): string {
  return `
terraform {
  required_providers {
    auth0roles = { source = "terraform.local/rolesascode/auth0roles" }
  }
}

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
  let standIn: BundledProvider;
  const workspaces: TerraformWorkspace[] = [];

  beforeAll(async () => {
    standIn = await bundleProvider(
      join(__dirname, "..", "support", "fixtures", "official-auth0-stand-in.ts"),
    );
  });
  beforeEach(async () => {
    emu = await startEmulator({ seed, rateLimits: false });
  });
  afterEach(() => emu.stop());
  afterAll(() => {
    for (const tf of workspaces) tf.dispose();
    standIn.remove();
  });

  function workspace(): TerraformWorkspace {
    const tf = new TerraformWorkspace({
      AUTH0_DOMAIN: emu.url,
      AUTH0_CLIENT_ID: "ci",
      AUTH0_CLIENT_SECRET: "ci-secret-0123456789",
    });
    workspaces.push(tf);
    writeFileSync(join(tf.dir, "terraform.tfstate"), JSON.stringify(officialState));
    return tf;
  }

  const tenantWrites = () => emu.requests.filter((r) => r.method !== "GET" && r.path.startsWith("/api/"));
  const tenantRoles = () =>
    Object.fromEntries(Object.keys(MEMBERS).map((u) => [u, emu.tenant.memberRoles(ORG, u)]));

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

  test("moved blocks take the entries over with no API write when the old provider is installed", async () => {
    const tf = workspace();
    // The official provider, as far as Terraform asks it anything here: its resource schema. The
    // stand-in fails every other call, so this passes only because Terraform needs nothing else.
    tf.mirrorProvider("registry.terraform.io/auth0/auth0", "1.0.0", standIn.file);
    tf.writeConfig(newConfig(MOVED));
    await tf.init();
    const plan = await tf.run(["plan", "-no-color", "-input=false", "-detailed-exitcode"], {
      TF_LOG: "debug",
    });
    expect(plan.code).toBe(2);
    // What Terraform asked the old provider during the plan: its schema, nothing else.
    const asked = plan.stderr
      .split("\n")
      .filter((line) => line.includes("terraform-provider-auth0_v1.0.0") && line.includes("Received RPC"))
      .map((line) => /tf_rpc=(\w+)/.exec(line)?.[1]);
    expect([...new Set(asked)]).toEqual(["GetProviderSchema"]);
    for (const n of ["alice", "bob", 'team["carol"]']) {
      expect(plan.stdout).toContain(
        `auth0_organization_member_roles.${n} has moved to auth0roles_organization_member_roles.${n}`,
      );
    }
    expect(plan.stdout).toContain("Plan: 0 to add, 0 to change, 0 to destroy.");
    await tf.apply();
    await expectAdopted(tf);
    expect(tenantWrites()).toEqual([]);
    expect(tenantRoles()).toEqual(MEMBERS);
  });

  test("without the old provider installed, Terraform cannot even init a state that names it", async () => {
    const tf = workspace();
    tf.mirrorOnly();
    tf.writeConfig(newConfig(MOVED));
    const init = await tf.run(["init", "-no-color", "-input=false"]);
    expect(init.code).toBe(1);
    expect(init.stderr.replace(/\s+/g, " ")).toContain(
      "provider registry.terraform.io/auth0/auth0 was not found in any of the search locations",
    );
  });

  test("auth0-member-roles migrate: state rm plus generated import blocks, no old provider, no API write", async () => {
    const tf = workspace();
    tf.mirrorOnly();
    const stateFile = join(tf.dir, "terraform.tfstate");

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
    const tf = workspace();
    const notState = join(tf.dir, "main.tf");
    writeFileSync(notState, "resource {}");
    const result = await cli("migrate", "--state", notState);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("is not JSON. Pass a state file: terraform state pull > state.json");
    expect((await cli("migrate")).stderr).toContain("migrate needs --state FILE");
  });
});
