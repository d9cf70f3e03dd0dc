import { type Emulator, type SeedData, startEmulator } from "../../src/emulator";
import { type CliResult, runCli } from "../support/cli";
import { TerraformWorkspace } from "../support/terraform";

// The review of real plans of the authoritative organization resource: who an exclusive create
// strips (which the plan cannot show), a member granted roles by hand, and a destroy.
jest.setTimeout(180_000);

const ORG = "org_acme000000000001";
const ADMIN = "rol_admin00000000001";
const BILLING = "rol_billing000000001";
const VIEWER = "rol_viewer0000000001";
const ADDRESS = "auth0roles_organization_roles.acme";
const CLIENT = { clientId: "ci", clientSecret: "ci-secret-0123456789" };

const seed: SeedData = {
  clients: [
    {
      ...CLIENT,
      scopes: [
        "read:organization_member_roles",
        "create:organization_member_roles",
        "delete:organization_member_roles",
        "read:organization_members",
        "read:roles",
      ],
    },
  ],
  roles: [
    { id: ADMIN, name: "admin" },
    { id: BILLING, name: "billing" },
    { id: VIEWER, name: "viewer" },
  ],
  users: ["alice", "bob", "carol", "mallory"].map((n) => ({ user_id: `auth0|${n}` })),
  organizations: [
    {
      id: ORG,
      name: "acme",
      members: [
        { user_id: "auth0|alice", roles: [VIEWER] },
        { user_id: "auth0|bob" },
        // carol holds billing, and the configuration does not name her.
        { user_id: "auth0|carol", roles: [BILLING] },
        { user_id: "auth0|mallory" },
      ],
    },
  ],
};

function hcl(members: Record<string, readonly string[]>): string {
  const entries = Object.entries(members)
    .map(([user, roles]) => `    "${user}" = [${roles.map((r) => `"${r}"`).join(", ")}]`)
    .join("\n");
  return `terraform {
  required_providers {
    auth0roles = { source = "terraform.local/rolesascode/auth0roles" }
  }
}

provider "auth0roles" {}

resource "auth0roles_organization_roles" "acme" {
  organization_id = "${ORG}"
  members = {
${entries}
  }
}
`;
}

describe("review of the organization resource", () => {
  let emu: Emulator;
  let tf: TerraformWorkspace;
  const env = () => ({
    AUTH0_DOMAIN: emu.url,
    AUTH0_CLIENT_ID: CLIENT.clientId,
    AUTH0_CLIENT_SECRET: CLIENT.clientSecret,
  });

  async function review(args: readonly string[] = []): Promise<CliResult> {
    await tf.ok(["plan", "-no-color", "-input=false", "-out=tfplan"]);
    return runCli(["review", ...args, "--chdir", tf.dir, "tfplan"], env());
  }

  beforeAll(async () => {
    emu = await startEmulator({ seed, rateLimits: false });
    tf = new TerraformWorkspace(env());
    tf.writeConfig(hcl({ "auth0|alice": [ADMIN, VIEWER], "auth0|bob": [VIEWER] }));
    await tf.init();
  });

  afterAll(async () => {
    tf?.dispose();
    await emu?.stop();
  });

  test("an exclusive create: the members it strips, found by listing the organization", async () => {
    const result = await review(["--sensitive", "admin"]);
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n")).toEqual([
      "## Auth0 member roles: review of the plan",
      "",
      "This plan grants 2 roles and revokes 1 across 3 members.",
      "",
      "### :warning: Privileged changes",
      "",
      `- grants **admin** (\`${ADMIN}\`) to \`auth0|alice\` in \`${ORG}\` (\`${ADDRESS}\`, matches \`admin\`)`,
      "",
      "### :warning: Creates that revoke roles held today",
      "",
      "Terraform's plan does not show these: the member holds the roles now, the configuration does not declare them, and apply revokes them.",
      "",
      `- \`${ADDRESS}\` revokes **billing** (\`${BILLING}\`) from \`auth0|carol\` in \`${ORG}\``,
      "",
      `### Organization \`${ORG}\``,
      "",
      `- \`auth0|alice\`: created (\`${ADDRESS}\`)`,
      `  - grant: **admin** (\`${ADMIN}\`)`,
      `- \`auth0|bob\`: created (\`${ADDRESS}\`)`,
      `  - grant: **viewer** (\`${VIEWER}\`)`,
      `- \`auth0|carol\`: not in members, so the exclusive resource revokes every role (\`${ADDRESS}\`)`,
      `  - revoke, held today and not declared: **billing** (\`${BILLING}\`)`,
      "",
      "**Totals:** members 3 created, 0 updated, 0 destroyed, 0 replaced; 2 roles granted, 0 revoked + 1 held today and not declared; 1 privileged change.",
      "",
    ]);
    await tf.ok(["apply", "-no-color", "-input=false", "tfplan"]);
    expect(emu.tenant.memberRoles(ORG, "auth0|carol")).toEqual([]);
  });

  test("a member granted a role by hand: drift, and the exclusive revocation undoing it", async () => {
    emu.tenant.assignRoles(ORG, "auth0|mallory", [ADMIN]);
    const result = await review(["--format", "json"]);
    const json = JSON.parse(result.stdout);
    expect(json.changes).toEqual([
      {
        address: ADDRESS,
        action: "update",
        organization_id: ORG,
        user_id: "auth0|mallory",
        grant: [],
        revoke: [{ id: ADMIN, name: "admin" }],
        revokes_unmanaged: [],
        roles_unknown: false,
        undeclared: true,
      },
    ]);
    expect(json.drift).toEqual([
      {
        address: ADDRESS,
        organization_id: ORG,
        user_id: "auth0|mallory",
        granted_outside: [{ id: ADMIN, name: "admin", undone: true }],
        revoked_outside: [],
        member_removed: false,
      },
    ]);
    await tf.ok(["apply", "-no-color", "-input=false", "tfplan"]);
  });

  test("destroy revokes the declared members' roles and leaves the others alone", async () => {
    emu.tenant.assignRoles(ORG, "auth0|mallory", [VIEWER]);
    await tf.ok(["plan", "-destroy", "-no-color", "-input=false", "-out=tfplan"]);
    const result = await runCli(["review", "--format", "json", "--chdir", tf.dir, "tfplan"], env());
    const json = JSON.parse(result.stdout);
    expect(
      json.changes.map((c: { user_id: string; action: string; revoke: { id: string }[] }) => [
        c.user_id,
        c.action,
        c.revoke.map((r) => r.id),
      ]),
    ).toEqual([
      ["auth0|alice", "delete", [ADMIN, VIEWER]],
      ["auth0|bob", "delete", [VIEWER]],
    ]);
  });
});
