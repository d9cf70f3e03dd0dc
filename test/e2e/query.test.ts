import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ALL_SCOPES, DEFAULT_SEED, type Emulator, type SeedData, startEmulator } from "../../src/emulator";
import { requireEngine } from "../support/engine";
import { TerraformWorkspace } from "../support/terraform";

// `terraform query` (Terraform >= 1.14) of list blocks served by the provider's ListResource, and
// `-generate-config-out`, whose import blocks (by identity) and resources the next plan only imports.
jest.setTimeout(240_000);

const ACME = "org_acme000000000001";
const BIG = "org_big0000000000001";
const GLOBEX = "org_globex0000000001";
const BIG_MEMBERS = 250;
const PROVIDERS_TF = `terraform {
  required_providers {
    auth0roles = { source = "terraform.local/rolesascode/auth0roles" }
  }
}

provider "auth0roles" {}
`;

/** The default tenant plus an organization of 250 members, every other one holding a role. */
function seed(): SeedData {
  const users = Array.from({ length: BIG_MEMBERS }, (_, i) => `auth0|big-${String(i).padStart(3, "0")}`);
  return {
    ...DEFAULT_SEED,
    clients: [{ clientId: "query-client", clientSecret: "query-secret", scopes: [...ALL_SCOPES] }],
    users: [...(DEFAULT_SEED.users ?? []), ...users.map((user_id) => ({ user_id }))],
    organizations: [
      ...(DEFAULT_SEED.organizations ?? []),
      {
        id: BIG,
        name: "big",
        members: users.map((user_id, i) =>
          i % 2 === 0 ? { user_id, roles: ["rol_viewer0000000001"] } : { user_id },
        ),
      },
    ],
  };
}

interface QueryResult {
  address: string;
  display_name: string;
  identity: Record<string, unknown>;
  identity_version: number;
  resource_type: string;
  resource_object?: Record<string, unknown>;
}

/** The `list_resource_found` results of `terraform query -json`. */
function found(stdout: string): QueryResult[] {
  return stdout
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as { type: string; list_resource_found?: QueryResult })
    .flatMap((message) =>
      message.type === "list_resource_found" && message.list_resource_found
        ? [message.list_resource_found]
        : [],
    );
}

function listBlock(name: string, org: string, extra = ""): string {
  return `list "auth0roles_organization_member_roles" "${name}" {
  provider = auth0roles
  config {
    organization_id = "${org}"
  }
${extra}}
`;
}

let emu: Emulator;

beforeAll(async () => {
  requireEngine("terraform query", { terraform: [1, 14] });
  emu = await startEmulator({ seed: seed(), rateLimits: false });
});
afterAll(() => emu?.stop());

const listing = (org: string) =>
  emu.requests.filter((r) => r.path === `/api/v2/organizations/${org}/members`);
const writes = () => emu.requests.filter((r) => r.path.startsWith("/api/") && r.method !== "GET");

/** An initialized workspace with the provider and `query` as its only .tfquery.hcl file. */
async function workspace(query: string): Promise<TerraformWorkspace> {
  const tf = new TerraformWorkspace({
    AUTH0_DOMAIN: emu.url,
    AUTH0_CLIENT_ID: "query-client",
    AUTH0_CLIENT_SECRET: "query-secret",
  });
  tf.writeFile("providers.tf", PROVIDERS_TF);
  tf.writeFile("list.tfquery.hcl", query);
  await tf.init();
  return tf;
}

describe("terraform query of auth0roles_organization_member_roles", () => {
  test("lists every member holding roles, with identity and display name, objects only when asked", async () => {
    const tf = await workspace(
      listBlock("plain", ACME) + listBlock("full", ACME, "  include_resource = true\n"),
    );
    try {
      emu.clearRequests();
      const { stdout } = await tf.ok(["query", "-json", "-no-color"]);
      const results = found(stdout);
      const plain = results.filter((r) => r.address === "list.auth0roles_organization_member_roles.plain");
      // carol is a member without roles: nothing to adopt.
      expect(plain.map((r) => r.identity)).toEqual([
        { organization_id: ACME, user_id: "auth0|alice" },
        { organization_id: ACME, user_id: "auth0|bob" },
        { organization_id: ACME, user_id: "samlp|corp-sso|erin/ops" },
      ]);
      expect(plain.map((r) => r.display_name)).toEqual([
        "auth0|alice (2 roles)",
        "auth0|bob (1 role)",
        "samlp|corp-sso|erin/ops (1 role)",
      ]);
      expect(plain.every((r) => r.resource_object === undefined && r.identity_version === 0)).toBe(true);
      const full = results.filter((r) => r.address === "list.auth0roles_organization_member_roles.full");
      expect(full[0]?.resource_object).toEqual({
        id: `${ACME}::auth0|alice`,
        organization_id: ACME,
        user_id: "auth0|alice",
        roles: ["rol_admin00000000001", "rol_billing000000001"],
      });
      // One walk of the member list per block: two pages (the second, empty, ends the walk).
      expect(listing(ACME)).toHaveLength(4);
      expect(emu.requests.some((r) => r.path.includes("/members/"))).toBe(false);
    } finally {
      tf.dispose();
    }
  });

  test("limit stops the member list after the pages it needs", async () => {
    const tf = await workspace(listBlock("some", BIG, "  limit = 60\n"));
    try {
      emu.clearRequests();
      const { stdout } = await tf.ok(["query", "-json", "-no-color"]);
      const results = found(stdout);
      expect(results).toHaveLength(60);
      expect(results[59]?.identity).toEqual({ organization_id: BIG, user_id: "auth0|big-118" });
      // 60 members holding roles are among the first 120 members: two pages of 100, not all three.
      expect(listing(BIG)).toHaveLength(2);
    } finally {
      tf.dispose();
    }
  });

  test("-generate-config-out: the next plan only imports, by identity, and apply writes nothing", async () => {
    const tf = await workspace(listBlock("big", BIG, "  limit = 1000\n"));
    try {
      await tf.ok(["query", "-no-color", "-generate-config-out=generated.tf"]);
      const generated = readFileSync(join(tf.dir, "generated.tf"), "utf8");
      expect(generated).toContain(`import {
  to       = auth0roles_organization_member_roles.big_0
  provider = auth0roles
  identity = {
    organization_id = "${BIG}"
    user_id         = "auth0|big-000"
  }
}`);
      expect(generated).toContain('roles           = ["rol_viewer0000000001"]');
      const plan = await tf.ok(["plan", "-no-color", "-input=false", "-out=tfplan"]);
      expect(plan.stdout).toContain(
        `Plan: ${BIG_MEMBERS / 2} to import, 0 to add, 0 to change, 0 to destroy.`,
      );
      emu.clearRequests();
      const applied = await tf.ok(["apply", "-no-color", "-input=false", "tfplan"]);
      expect(applied.stdout).toContain(
        `Resources: ${BIG_MEMBERS / 2} imported, 0 added, 0 changed, 0 destroyed.`,
      );
      expect(writes()).toEqual([]);
      const state = await tf.stateJson();
      const first = state.values?.root_module?.resources?.find(
        (r) => r.address === "auth0roles_organization_member_roles.big_0",
      );
      expect(first?.identity).toEqual({ organization_id: BIG, user_id: "auth0|big-000" });
      const again = await tf.plan();
      expect(again.stdout).toContain("No changes.");
    } finally {
      tf.dispose();
    }
  });

  test("a list block's config is checked like the resource's, naming the field", async () => {
    const tf = await workspace(listBlock("bad", ".."));
    try {
      emu.clearRequests();
      const result = await tf.run(["query", "-no-color"]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("Error: Invalid organization_id");
      expect(result.stderr).toContain('organization_id ".." is not an id');
      // At the attribute's own line of the list block's config.
      expect(result.stderr).toContain('4:     organization_id = ".."');
      const validate = await tf.run(["validate", "-query", "-no-color"]);
      expect(validate.code).toBe(1);
      expect(validate.stderr).toContain("Error: Invalid organization_id");
      expect(validate.stderr).toContain('4:     organization_id = ".."');
      expect(emu.requests.filter((r) => r.path.startsWith("/api/"))).toEqual([]);
    } finally {
      tf.dispose();
    }
  });
});

describe("terraform query of auth0roles_organization_roles", () => {
  const ORGANIZATIONS = `list "auth0roles_organization_roles" "all" {
  provider         = auth0roles
  include_resource = true
}
`;

  test("lists the tenant's organizations, each with its members holding roles; the generated config only imports", async () => {
    const tf = await workspace(ORGANIZATIONS);
    try {
      emu.clearRequests();
      const results = found((await tf.ok(["query", "-json", "-no-color"])).stdout);
      expect(results.map((r) => [r.identity, r.display_name])).toEqual([
        [{ organization_id: ACME }, `acme (${ACME})`],
        [{ organization_id: BIG }, `big (${BIG})`],
        [{ organization_id: GLOBEX }, `globex (${GLOBEX})`],
      ]);
      expect(results[2]?.resource_object).toEqual({
        id: GLOBEX,
        organization_id: GLOBEX,
        members: {
          "auth0|alice": ["rol_viewer0000000001"],
          "google-oauth2|dave": ["rol_billing000000001", "rol_viewer0000000001"],
        },
        exclusive: true,
        undeclared_members: {},
      });
      // One page of organizations (and the empty one after it).
      expect(emu.requests.filter((r) => r.path === "/api/v2/organizations")).toHaveLength(2);

      await tf.ok(["query", "-no-color", "-generate-config-out=generated.tf"]);
      const plan = await tf.ok(["plan", "-no-color", "-input=false", "-out=tfplan"]);
      expect(plan.stdout).toContain("Plan: 3 to import, 0 to add, 0 to change, 0 to destroy.");
      emu.clearRequests();
      await tf.ok(["apply", "-no-color", "-input=false", "tfplan"]);
      expect(writes()).toEqual([]);
      expect((await tf.plan()).code).toBe(0);
    } finally {
      tf.dispose();
    }
  });
});
