import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ACME_MEMBERS, ACME_ORGANIZATION, ROLES } from "../../examples/tenant";
import { type Emulator, type SeedData, startEmulator } from "../../src/emulator";
import { engine } from "../support/engine";
import { officialProvider } from "../support/official-provider";
import { REPO, run, userEnv } from "../support/packed-app";
import { TerraformWorkspace } from "../support/terraform";
import { apiWrites, flat, MEMBER_ROLES_SCOPES, officialState } from "./fixtures";

// The core end-to-end set `npm test` runs on every engine (AUTH0ROLES_TERRAFORM): Terraform 1.5.7,
// the newest Terraform and OpenTofu. What an engine cannot do is asserted as that engine's refusal.
jest.setTimeout(240_000);

const ORG = ACME_ORGANIZATION;
const GLOBEX = "org_globex0000000001";
const { admin: ADMIN, billing: BILLING, viewer: VIEWER, support: SUPPORT } = ROLES;
const AUDITOR = "rol_auditor000000001";
const [ALICE, BOB] = ["auth0|alice", "auth0|bob"];
const CLIENT = { clientId: "engine-ci", clientSecret: "engine-ci-secret-0123456789" };

const seed: SeedData = {
  clients: [{ ...CLIENT, scopes: [...MEMBER_ROLES_SCOPES, "read:roles", "read:organization_members"] }],
  roles: [...Object.entries(ROLES).map(([name, id]) => ({ id, name })), { id: AUDITOR, name: "auditor" }],
  users: [...ACME_MEMBERS.map((m) => ({ user_id: m.userId }))],
  organizations: [
    { id: ORG, name: "acme", members: ACME_MEMBERS.map((m) => ({ user_id: m.userId })) },
    { id: GLOBEX, name: "globex", members: [{ user_id: ALICE }, { user_id: BOB, roles: [ADMIN] }] },
  ],
};

const PROVIDERS = `terraform {
  required_providers {
    auth0roles = { source = "terraform.local/rolesascode/auth0roles" }
  }
}
`;

const member = (name: string, userId: string, roles: readonly string[]) => `
resource "auth0roles_organization_member_roles" "${name}" {
  organization_id = "${ORG}"
  user_id         = "${userId}"
  roles           = ${JSON.stringify(roles)}
}
`;

/** The whole organization resource, one role of it by name through the data source. */
const ORGANIZATION = `
data "auth0roles_roles" "all" {}

resource "auth0roles_organization_roles" "globex" {
  organization_id = "${GLOBEX}"
  members = {
    "${ALICE}" = [data.auth0roles_roles.all.roles["viewer"]]
    "${BOB}"   = ["${BILLING}"]
  }
}
`;

const rolesPath = (org: string, userId: string) =>
  `/api/v2/organizations/${org}/members/${encodeURIComponent(userId)}/roles`;

describe(`the core end-to-end set on ${engine().displayName} ${engine().version}`, () => {
  let emu: Emulator;
  let tf: TerraformWorkspace;
  const writes = () =>
    emu.requests
      .filter((r) => r.path.startsWith("/api/") && r.method !== "GET")
      .map((r) => ({ method: r.method, path: r.path, body: r.body }));

  beforeAll(async () => {
    emu = await startEmulator({ seed, rateLimits: false });
    tf = new TerraformWorkspace({
      AUTH0_DOMAIN: emu.url,
      AUTH0_CLIENT_ID: CLIENT.clientId,
      AUTH0_CLIENT_SECRET: CLIENT.clientSecret,
    });
  });
  afterAll(async () => {
    tf?.dispose();
    await emu?.stop();
  });

  test("create grants the roles with one POST, and the next plan is empty", async () => {
    tf.writeConfig(PROVIDERS + member("alice", ALICE, [ADMIN, BILLING]));
    expect((await tf.init()).stdout).toContain(engine().initialized);
    emu.clearRequests();
    await tf.apply();
    expect(writes()).toEqual([
      { method: "POST", path: rolesPath(ORG, ALICE), body: { roles: [ADMIN, BILLING] } },
    ]);
    expect((await tf.plan()).code).toBe(0);
  });

  test("an update revokes the removed role with the documented DELETE and its body", async () => {
    tf.writeConfig(PROVIDERS + member("alice", ALICE, [ADMIN, VIEWER]));
    emu.clearRequests();
    await tf.apply();
    expect(writes()).toEqual([
      { method: "POST", path: rolesPath(ORG, ALICE), body: { roles: [VIEWER] } },
      { method: "DELETE", path: rolesPath(ORG, ALICE), body: { roles: [BILLING] } },
    ]);
    expect(emu.tenant.memberRoles(ORG, ALICE)).toEqual([ADMIN, VIEWER]);
  });

  test("a role granted by hand shows in the plan and is revoked on apply", async () => {
    emu.tenant.assignRoles(ORG, ALICE, [AUDITOR]);
    const plan = await tf.plan();
    expect(plan.code).toBe(2);
    expect(plan.stdout).toMatch(/- +"rol_auditor000000001"/);
    emu.clearRequests();
    await tf.apply();
    expect(writes()).toEqual([{ method: "DELETE", path: rolesPath(ORG, ALICE), body: { roles: [AUDITOR] } }]);
    expect((await tf.plan()).code).toBe(0);
  });

  test("the import command adopts a member's roles", async () => {
    await tf.ok(["state", "rm", "auth0roles_organization_member_roles.alice"]);
    const imported = await tf.ok([
      "import",
      "-no-color",
      "auth0roles_organization_member_roles.alice",
      `${ORG}::${ALICE}`,
    ]);
    expect(imported.stdout).toContain("Import successful!");
    expect((await tf.plan()).code).toBe(0);
  });

  test("an import block adopts a member's roles with no write", async () => {
    tf.writeConfig(
      `${PROVIDERS + member("alice", ALICE, [ADMIN, VIEWER]) + member("carol", "auth0|carol", [SUPPORT])}
import {
  to = auth0roles_organization_member_roles.carol
  id = "${ORG}::auth0|carol"
}
`,
    );
    emu.tenant.assignRoles(ORG, "auth0|carol", [SUPPORT]);
    const plan = await tf.plan();
    expect(plan.stdout).toContain("Plan: 1 to import, 0 to add, 0 to change, 0 to destroy.");
    emu.clearRequests();
    await tf.apply();
    expect(writes()).toEqual([]);
    const carol = (await tf.stateJson()).values?.root_module?.resources?.find((r) =>
      r.address.endsWith(".carol"),
    );
    expect(carol?.values.roles).toEqual([SUPPORT]);
  });

  test("auth0roles_organization_roles, with a role id from the auth0roles_roles data source", async () => {
    tf.writeConfig(PROVIDERS + member("alice", ALICE, [ADMIN, VIEWER]) + ORGANIZATION);
    emu.clearRequests();
    await tf.apply();
    expect(emu.tenant.memberRoles(GLOBEX, ALICE)).toEqual([VIEWER]);
    expect(emu.tenant.memberRoles(GLOBEX, BOB)).toEqual([BILLING]);
    expect(writes()).toEqual(
      expect.arrayContaining([{ method: "DELETE", path: rolesPath(GLOBEX, BOB), body: { roles: [ADMIN] } }]),
    );
    expect((await tf.plan()).code).toBe(0);
  });

  test("destroy revokes every managed role with the documented DELETE", async () => {
    emu.clearRequests();
    await tf.ok(["destroy", "-no-color", "-auto-approve"]);
    expect(writes().sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { method: "DELETE", path: rolesPath(ORG, ALICE), body: { roles: [ADMIN, VIEWER] } },
      { method: "DELETE", path: rolesPath(GLOBEX, ALICE), body: { roles: [VIEWER] } },
      { method: "DELETE", path: rolesPath(GLOBEX, BOB), body: { roles: [BILLING] } },
    ]);
    expect(emu.tenant.memberRoles(ORG, ALICE)).toEqual([]);
  });
});

describe(`moved from the official auth0_organization_member_roles on ${engine().displayName} ${engine().version}`, () => {
  let emu: Emulator;
  let tf: TerraformWorkspace;

  beforeAll(async () => {
    emu = await startEmulator({ seed, rateLimits: false });
    emu.tenant.assignRoles(ORG, BOB, [VIEWER]);
    const official = officialProvider();
    tf = new TerraformWorkspace({
      AUTH0_DOMAIN: emu.url,
      AUTH0_CLIENT_ID: CLIENT.clientId,
      AUTH0_CLIENT_SECRET: CLIENT.clientSecret,
    });
    // The official provider's real binary, as this engine installs it for the state's
    // `registry.terraform.io/auth0/auth0` (OpenTofu reads that host as its own registry's).
    tf.mirrorExecutable(`${engine().registry}/auth0/auth0`, official.version, official.path);
    writeFileSync(
      join(tf.dir, "terraform.tfstate"),
      JSON.stringify(officialState([{ name: "bob", organizationId: ORG, userId: BOB, roles: [VIEWER] }])),
    );
    tf.writeConfig(
      `${PROVIDERS + member("bob", BOB, [VIEWER])}
moved {
  from = auth0_organization_member_roles.bob
  to   = auth0roles_organization_member_roles.bob
}
`,
    );
    await tf.init();
  });
  afterAll(async () => {
    tf?.dispose();
    await emu?.stop();
  });

  // Moves across resource types (MoveResourceState) came with Terraform 1.8; OpenTofu 1.12 has them.
  const movesAcrossTypes = engine().kind === "opentofu" || engine().atLeast(1, 8);

  test(
    movesAcrossTypes
      ? "the entry is taken over as it is, with no API write"
      : "the engine refuses the move across resource types, before any API write",
    async () => {
      emu.clearRequests();
      const plan = await tf.plan();
      if (movesAcrossTypes) {
        expect(plan.stdout).toContain(
          "auth0_organization_member_roles.bob has moved to auth0roles_organization_member_roles.bob",
        );
        expect(plan.stdout).toContain("Plan: 0 to add, 0 to change, 0 to destroy.");
        await tf.apply();
        const bob = (await tf.stateJson()).values?.root_module?.resources?.[0];
        expect([bob?.address, bob?.values.roles]).toEqual([
          "auth0roles_organization_member_roles.bob",
          [VIEWER],
        ]);
      } else {
        expect(plan.code).toBe(1);
        expect(flat(plan.stderr)).toContain("Resource type mismatch");
      }
      expect(apiWrites(emu)).toEqual([]);
    },
  );
});

describe(`cdktf deploy on ${engine().displayName} ${engine().version}`, () => {
  let emu: Emulator;
  let project: string;

  beforeAll(async () => {
    emu = await startEmulator({ seed, rateLimits: false });
    project = mkdtempSync(join(tmpdir(), "auth0roles-cdktf-"));
    // The example app (examples/main.ts), as cdktf-cli runs it.
    writeFileSync(
      join(project, "cdktf.json"),
      JSON.stringify({
        language: "typescript",
        app: `node ${JSON.stringify(join(REPO, "dist", "examples", "main.js"))}`,
        projectId: "engine-core",
        sendCrashReports: "false",
      }),
    );
  });
  afterAll(async () => {
    rmSync(project, { recursive: true, force: true });
    await emu?.stop();
  });

  test("grants every member's roles through the engine cdktf-cli is given", async () => {
    const cdktf = join(REPO, "node_modules", "cdktf-cli", "bundle", "bin", "cdktf");
    const result = await run("node", [cdktf, "deploy", "--auto-approve"], {
      cwd: project,
      env: userEnv(project, {
        AUTH0_DOMAIN: emu.url,
        AUTH0_CLIENT_ID: CLIENT.clientId,
        AUTH0_CLIENT_SECRET: CLIENT.clientSecret,
        TERRAFORM_BINARY_NAME: engine().command,
        FORCE_COLOR: "0",
        CI: "1",
      }),
    });
    if (result.code !== 0)
      throw new Error(`cdktf deploy exited ${result.code}\n${result.stdout}\n${result.stderr}`);
    for (const m of ACME_MEMBERS) {
      expect(emu.tenant.memberRoles(ORG, m.userId)).toEqual([...m.roles].sort());
    }
    // The state cdktf's local backend keeps names the engine that wrote it.
    const state = JSON.parse(readFileSync(join(project, "terraform.acme-access.tfstate"), "utf8"));
    expect(state.terraform_version).toBe(engine().version);
  });
});
