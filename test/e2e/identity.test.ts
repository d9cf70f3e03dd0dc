import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_SEED, type Emulator, startEmulator } from "../../src/emulator";
import { engine, requireEngine } from "../support/engine";
import { officialProvider } from "../support/official-provider";
import { TerraformWorkspace } from "../support/terraform";
import { officialState, PROVIDER_HCL } from "./fixtures";

// Resource identity (Terraform >= 1.12, OpenTofu >= 1.12): the identity Terraform stores with each
// object, from every answer that returns state, and `import` blocks by identity.
jest.setTimeout(240_000);

const ACME = "org_acme000000000001";
const GLOBEX = "org_globex0000000001";
const ALICE = `resource "auth0roles_organization_member_roles" "alice" {
  organization_id = "${ACME}"
  user_id         = "auth0|alice"
  roles           = ["rol_admin00000000001", "rol_billing000000001"]
}
`;
const GLOBEX_ROLES = `resource "auth0roles_organization_roles" "globex" {
  organization_id = "${GLOBEX}"
  members = {
    "auth0|alice"        = ["rol_viewer0000000001"]
    "google-oauth2|dave" = ["rol_billing000000001", "rol_viewer0000000001"]
  }
}
`;
/** An import block adopting ALICE's resource by the identity of `userId` in ACME. */
const importByIdentity = (userId: string) => `
import {
  to       = auth0roles_organization_member_roles.alice
  identity = {
    organization_id = "${ACME}"
    user_id         = "${userId}"
  }
}
`;
const ALICE_IDENTITY = { organization_id: ACME, user_id: "auth0|alice" };

interface StateFile {
  serial: number;
  resources: {
    type: string;
    name: string;
    instances: { identity?: unknown; identity_schema_version?: number }[];
  }[];
}

let emu: Emulator;
const workspaces: TerraformWorkspace[] = [];

beforeEach(async () => {
  emu = await startEmulator({ seed: DEFAULT_SEED, rateLimits: false });
});
afterEach(() => emu.stop());
afterAll(() => {
  for (const tf of workspaces) tf.dispose();
});

const writes = () => emu.requests.filter((r) => r.path.startsWith("/api/") && r.method !== "GET");

/** An initialized workspace holding `config`; given `state`, that state file and the official provider. */
async function workspace(config: string, state?: { file: object }): Promise<TerraformWorkspace> {
  const tf = new TerraformWorkspace({
    AUTH0_DOMAIN: emu.url,
    AUTH0_CLIENT_ID: "emulator-client",
    AUTH0_CLIENT_SECRET: "emulator-secret",
  });
  workspaces.push(tf);
  if (state) {
    writeFileSync(join(tf.dir, "terraform.tfstate"), JSON.stringify(state.file));
    // The official provider's real binary, where this engine installs the state's
    // registry.terraform.io/auth0/auth0 from (OpenTofu reads that host as its own registry's).
    const official = officialProvider();
    tf.mirrorExecutable(`${engine().registry}/auth0/auth0`, official.version, official.path);
  }
  tf.writeFile("providers.tf", PROVIDER_HCL);
  tf.writeConfig(config);
  await tf.init();
  return tf;
}

async function identities(tf: TerraformWorkspace): Promise<Record<string, unknown>> {
  const resources = (await tf.stateJson()).values?.root_module?.resources ?? [];
  return Object.fromEntries(resources.map((r) => [r.address, r.identity]));
}

describe("resource identity", () => {
  beforeAll(() => requireEngine("Resource identity", { terraform: [1, 12], opentofu: [1, 12] }));

  test("import block with identity: the plan only imports, apply writes nothing, state holds the identity", async () => {
    const tf = await workspace(ALICE + importByIdentity("auth0|alice"));
    const plan = await tf.ok(["plan", "-no-color", "-input=false", "-out=tfplan"]);
    expect(plan.stdout).toContain("Plan: 1 to import, 0 to add, 0 to change, 0 to destroy.");
    emu.clearRequests();
    await tf.ok(["apply", "-no-color", "-input=false", "tfplan"]);
    expect(writes()).toEqual([]);
    expect(await identities(tf)).toEqual({ "auth0roles_organization_member_roles.alice": ALICE_IDENTITY });
    expect((await tf.plan()).code).toBe(0);
  });

  test("an identity that is not a member's is refused by name before any call", async () => {
    const tf = await workspace(ALICE + importByIdentity(".."));
    emu.clearRequests();
    const plan = await tf.run(["plan", "-no-color", "-input=false"]);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain("Error: Invalid import identity");
    expect(plan.stderr).toContain('user_id ".." is not an id');
    expect(emu.requests.filter((r) => r.path.startsWith("/api/"))).toEqual([]);
  });
});

describe("resource identity through create, read, import by id and moves", () => {
  beforeAll(() => requireEngine("Resource identity", { terraform: [1, 12], opentofu: [1, 12] }));

  test("present after create, the same after a refresh, and back after a read of a state without it", async () => {
    const tf = await workspace(ALICE + GLOBEX_ROLES);
    await tf.apply();
    const created = {
      "auth0roles_organization_member_roles.alice": ALICE_IDENTITY,
      "auth0roles_organization_roles.globex": { organization_id: GLOBEX },
    };
    expect(await identities(tf)).toEqual(created);
    await tf.ok(["apply", "-refresh-only", "-auto-approve", "-no-color", "-input=false"]);
    expect(await identities(tf)).toEqual(created);

    // A state written before identities (an older engine or provider): the next read fills them in.
    const file = join(tf.dir, "terraform.tfstate");
    const stored = JSON.parse(readFileSync(file, "utf8")) as StateFile;
    for (const resource of stored.resources) {
      for (const instance of resource.instances) {
        delete instance.identity;
        delete instance.identity_schema_version;
      }
    }
    stored.serial += 1;
    writeFileSync(file, JSON.stringify(stored));
    expect(Object.values(await identities(tf))).toEqual([undefined, undefined]);
    await tf.ok(["apply", "-refresh-only", "-auto-approve", "-no-color", "-input=false"]);
    expect(await identities(tf)).toEqual(created);
  });

  test("present after an import by id, and kept by a moved block", async () => {
    const tf = await workspace(
      `${ALICE}
import {
  to = auth0roles_organization_member_roles.alice
  id = "${ACME}::auth0|alice"
}
`,
    );
    await tf.apply();
    expect(await identities(tf)).toEqual({ "auth0roles_organization_member_roles.alice": ALICE_IDENTITY });
    tf.writeConfig(
      `${ALICE.replace('"alice"', '"admin_alice"')}
moved {
  from = auth0roles_organization_member_roles.alice
  to   = auth0roles_organization_member_roles.admin_alice
}
`,
    );
    await tf.apply();
    expect(await identities(tf)).toEqual({
      "auth0roles_organization_member_roles.admin_alice": ALICE_IDENTITY,
    });
  });

  test("present after MoveResourceState takes over the official provider's entry", async () => {
    const official = officialState([
      {
        name: "alice",
        organizationId: ACME,
        userId: "auth0|alice",
        roles: ["rol_admin00000000001", "rol_billing000000001"],
      },
    ]);
    const tf = await workspace(
      `${ALICE}
moved {
  from = auth0_organization_member_roles.alice
  to   = auth0roles_organization_member_roles.alice
}
`,
      { file: official },
    );
    await tf.apply();
    expect(await identities(tf)).toEqual({ "auth0roles_organization_member_roles.alice": ALICE_IDENTITY });
  });
});
