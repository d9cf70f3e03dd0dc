import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Auth0RolesProvider } from "auth0-org-member-roles-cdktf";
import { App, LocalBackend, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { transformSync } from "esbuild";
import { DEFAULT_SEED, type Emulator, startEmulator } from "../../src/emulator";
import { runCli } from "../support/cli";
import { TerraformWorkspace } from "../support/terraform";

// Export an organization from a seeded emulator, then let the real terraform plan and apply the
// result: the plan only imports, and apply writes nothing.
jest.setTimeout(240_000);

const ORG = "org_acme000000000001";
const REPO = resolve(__dirname, "../..");
const PROVIDERS_TF = `terraform {
  required_providers {
    auth0roles = { source = "terraform.local/rolesascode/auth0roles" }
  }
}

provider "auth0roles" {}
`;

interface PlanJson {
  resource_changes?: { address: string; change: { actions: string[]; importing?: { id: string } } }[];
}

const api = (emu: Emulator) => emu.requests.filter((r) => r.path.startsWith("/api/"));
const writes = (emu: Emulator) => api(emu).filter((r) => r.method !== "GET");

/** Plans into `tfplan`, checks that every change is an import and nothing else, applies, and checks the tenant saw no write. */
async function planOnlyImportsThenApplyWritesNothing(
  tf: TerraformWorkspace,
  emu: Emulator,
  expected: { resources: number; members: number },
) {
  await tf.ok(["plan", "-no-color", "-input=false", "-out=tfplan"]);
  const plan = JSON.parse((await tf.ok(["show", "-json", "-no-color", "tfplan"])).stdout) as PlanJson;
  const changes = plan.resource_changes ?? [];
  expect(changes).toHaveLength(expected.resources);
  for (const change of changes) {
    expect({ address: change.address, actions: change.change.actions }).toEqual({
      address: change.address,
      actions: ["no-op"],
    });
    expect(change.change.importing?.id).toBeDefined();
  }
  const review = await runCli(["review", "--chdir", tf.dir, "tfplan"]);
  expect(review.stdout).toContain(
    `**No role changes.** This plan grants and revokes no roles. It imports ${expected.members} members as they are.`,
  );
  const before = JSON.stringify(emu.tenant.snapshot());
  emu.clearRequests();
  const applied = await tf.ok(["apply", "-no-color", "-input=false", "tfplan"]);
  expect(applied.stdout).toContain(
    `Apply complete! Resources: ${expected.resources} imported, 0 added, 0 changed, 0 destroyed.`,
  );
  expect(writes(emu)).toEqual([]);
  expect(JSON.stringify(emu.tenant.snapshot())).toBe(before);
  const again = await tf.plan();
  expect(again.stdout).toContain("No changes.");
  expect(again.code).toBe(0);
}

describe("auth0-member-roles export", () => {
  let emu: Emulator;
  let env: Record<string, string>;

  beforeAll(async () => {
    // The default tenant: acme has members with roles, one without (carol), one whose id holds "|" and "/".
    emu = await startEmulator({ seed: DEFAULT_SEED, rateLimits: false });
    env = {
      AUTH0_DOMAIN: emu.url,
      AUTH0_CLIENT_ID: "emulator-client",
      AUTH0_CLIENT_SECRET: "emulator-secret",
    };
  });
  afterAll(() => emu?.stop());

  test("HCL with import blocks: the next plan only imports, apply writes nothing", async () => {
    const tf = new TerraformWorkspace(env);
    try {
      const result = await runCli(["export", "--organization", ORG, "--out", "roles.tf"], env, {
        cwd: tf.dir,
      });
      expect(result.code).toBe(0);
      expect(result.stderr).toBe(`Wrote 3 member(s) of ${ORG} to roles.tf.\n`);
      const hcl = readFileSync(join(tf.dir, "roles.tf"), "utf8");
      // The listing is read with checkpoint pagination, and role names come once per role.
      const listing = api(emu).filter((r) => r.path === `/api/v2/organizations/${ORG}/members`);
      expect(listing[0]?.query).toMatchObject({ fields: "user_id,roles", take: "100" });
      expect(hcl).toContain(`import {
  to = auth0roles_organization_member_roles.auth0_alice
  id = "${ORG}::auth0|alice"
}

resource "auth0roles_organization_member_roles" "auth0_alice" {
  organization_id = "${ORG}"
  user_id         = "auth0|alice"
  roles = [
    "rol_admin00000000001", # admin
    "rol_billing000000001", # billing
  ]
}`);
      expect(hcl).toContain('  user_id         = "samlp|corp-sso|erin/ops"');
      expect(hcl).toContain("auth0roles_organization_member_roles.samlp_corp-sso_erin_ops");
      expect(hcl).not.toContain("auth0|carol");
      tf.writeFile("providers.tf", PROVIDERS_TF);
      await tf.init();
      expect((await tf.run(["fmt", "-check", "-no-color"])).code).toBe(0);
      await planOnlyImportsThenApplyWritesNothing(tf, emu, { resources: 3, members: 3 });
    } finally {
      tf.dispose();
    }
  });

  test("--resource organization: one exclusive resource with its import block; plan only imports", async () => {
    const tf = new TerraformWorkspace(env);
    try {
      const args = ["export", "--organization", ORG, "--resource", "organization", "--out", "roles.tf"];
      expect((await runCli(args, env, { cwd: tf.dir })).code).toBe(0);
      expect(readFileSync(join(tf.dir, "roles.tf"), "utf8")).toContain(`import {
  to = auth0roles_organization_roles.org_acme000000000001
  id = "${ORG}"
}

resource "auth0roles_organization_roles" "org_acme000000000001" {
  organization_id = "${ORG}"
  exclusive       = true
  members = {
    "auth0|alice" = [
      "rol_admin00000000001", # admin
      "rol_billing000000001", # billing
    ]
    "auth0|bob" = [
      "rol_viewer0000000001", # viewer
    ]
    "samlp|corp-sso|erin/ops" = [
      "rol_support000000001", # support
    ]
  }
}`);
      tf.writeFile("providers.tf", PROVIDERS_TF);
      await tf.init();
      expect((await tf.run(["fmt", "-check", "-no-color"])).code).toBe(0);
      await planOnlyImportsThenApplyWritesNothing(tf, emu, { resources: 1, members: 3 });
    } finally {
      tf.dispose();
    }
  });

  test("CDKTF TypeScript with importFrom type-checks, synthesizes, and its plan only imports", async () => {
    await typescriptExport(
      [],
      `  new OrganizationMemberRoles(scope, "auth0_alice", {
    organizationId: ORGANIZATION_ID,
    userId: "auth0|alice",
    roles: [
      "rol_admin00000000001", // admin
      "rol_billing000000001", // billing
    ],
  }).importFrom("${ORG}::auth0|alice");`,
      { resources: 3, members: 3 },
    );
  });

  test("CDKTF TypeScript for --resource organization: one OrganizationRoles, adopted by importFrom", async () => {
    await typescriptExport(
      ["--resource", "organization"],
      `  new OrganizationRoles(scope, "org_acme000000000001", {
    organizationId: ORGANIZATION_ID,
    exclusive: true,
    members: {
      "auth0|alice": [
        "rol_admin00000000001", // admin
        "rol_billing000000001", // billing
      ],`,
      { resources: 1, members: 3 },
    );
  });

  /** Exports TypeScript, type-checks it, synthesizes it in a stack, and plans and applies it. */
  async function typescriptExport(
    args: readonly string[],
    expectedCode: string,
    expected: { resources: number; members: number },
  ): Promise<void> {
    mkdirSync(join(REPO, "node_modules", ".cache"), { recursive: true });
    // Under the repository, so the generated code resolves cdktf and constructs as in a user's project.
    const dir = mkdtempSync(join(REPO, "node_modules", ".cache", "export-e2e-"));
    const outdir = mkdtempSync(join(tmpdir(), "auth0roles-export-"));
    let tf: TerraformWorkspace | undefined;
    try {
      const result = await runCli(["export", "--organization", ORG, "--format", "typescript", ...args], env);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(expectedCode);
      // Under the repository, "auth0-org-member-roles-cdktf" resolves to the workspace package.
      const source = result.stdout;
      writeFileSync(join(dir, "roles.ts"), source);
      await typeCheck(join(dir, "roles.ts"));
      writeFileSync(join(dir, "roles.js"), transformSync(source, { loader: "ts", format: "cjs" }).code);
      const { addExportedRoles } = require(join(dir, "roles.js")) as {
        addExportedRoles: (s: Construct) => void;
      };

      const app = new App({ outdir });
      const stack = new TerraformStack(app, "adopted");
      // State beside the synthesized stack, not in the directory jest runs in.
      new LocalBackend(stack, { path: join(outdir, "adopted.tfstate") });
      new Auth0RolesProvider(stack, "auth0roles");
      addExportedRoles(stack);
      app.synth();
      tf = new TerraformWorkspace(env, { stackDir: join(outdir, "stacks", "adopted") });
      await tf.init();
      await planOnlyImportsThenApplyWritesNothing(tf, emu, expected);
    } finally {
      tf?.dispose();
      rmSync(dir, { recursive: true, force: true });
      rmSync(outdir, { recursive: true, force: true });
    }
  }

  test("errors name what to fix", async () => {
    const missingOrg = await runCli(["export"], env);
    expect(missingOrg).toMatchObject({ code: 2, stdout: "" });
    expect(missingOrg.stderr).toBe(
      "auth0-member-roles export: --organization is missing: pass the organization id, e.g. --organization org_abc123.\n",
    );
    const noCredentials = await runCli(["export", "--organization", ORG], {});
    expect(noCredentials.code).toBe(2);
    expect(noCredentials.stderr).toBe(
      "auth0-member-roles export: No Auth0 credentials: AUTH0_DOMAIN is not set.\n",
    );
    const unknownOrg = await runCli(["export", "--organization", "org_nope00000000000001"], env);
    expect(unknownOrg.code).toBe(1);
    expect(unknownOrg.stderr).toContain(
      'The organization "org_nope00000000000001" does not exist in this tenant.',
    );
    const dir = mkdtempSync(join(tmpdir(), "auth0roles-export-"));
    try {
      writeFileSync(join(dir, "roles.tf"), "# mine\n");
      const exists = await runCli(["export", "--organization", ORG, "--out", "roles.tf"], env, { cwd: dir });
      expect(exists.code).toBe(2);
      expect(exists.stderr).toBe(
        "auth0-member-roles export: --out roles.tf exists; choose a new file, so nothing is overwritten.\n",
      );
      expect(readFileSync(join(dir, "roles.tf"), "utf8")).toBe("# mine\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const badFormat = await runCli(["export", "--organization", ORG, "--format", "yaml"], env);
    expect(badFormat.stderr).toBe(
      'auth0-member-roles export: --format "yaml" is not one of hcl, typescript.\n',
    );
  });
});

function typeCheck(file: string): Promise<void> {
  const tsc = join(REPO, "node_modules", ".bin", "tsc");
  const args = ["--noEmit", "--strict", "--skipLibCheck", "--target", "es2022", "--module", "commonjs"];
  return new Promise((done, fail) => {
    execFile(tsc, [...args, "--moduleResolution", "node", "--types", "node", file], (error, stdout) =>
      error ? fail(new Error(`generated TypeScript does not type-check:\n${stdout}`)) : done(),
    );
  });
}
