import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Emulator, type SeedData, startEmulator } from "../../src/emulator";
import { type CliResult, runCli } from "../support/cli";
import { TerraformWorkspace } from "../support/terraform";
import { MEMBER_ROLES_SCOPES } from "./fixtures";

// Real terraform plans against the emulator, summarized by the built CLI: every kind of change a
// reviewer meets, in one plan, plus the plans around it.
jest.setTimeout(180_000);

const ORG = "org_acme000000000001";
const ADMIN = "rol_admin00000000001";
const BILLING = "rol_billing000000001";
const VIEWER = "rol_viewer0000000001";
const AUDITOR = "rol_auditor000000001";
const READ_SCOPES = ["read:organization_member_roles", "read:roles"];

const seed: SeedData = {
  clients: [
    { clientId: "deployer", clientSecret: "deployer-secret-0123456789", scopes: MEMBER_ROLES_SCOPES },
    { clientId: "reviewer", clientSecret: "reviewer-secret-0123456789", scopes: READ_SCOPES },
    {
      clientId: "no-role-names",
      clientSecret: "no-role-names-secret-0123",
      scopes: ["read:organization_member_roles"],
    },
  ],
  roles: [
    { id: ADMIN, name: "admin" },
    { id: BILLING, name: "billing" },
    { id: VIEWER, name: "viewer" },
    { id: AUDITOR, name: "auditor" },
  ],
  users: ["alice", "bob", "carol", "dave", "erin", "frank"].map((n) => ({ user_id: `auth0|${n}` })),
  organizations: [
    {
      id: ORG,
      name: "acme",
      members: [
        { user_id: "auth0|alice" },
        { user_id: "auth0|bob" },
        { user_id: "auth0|carol" },
        // dave holds roles from before Terraform managed him.
        { user_id: "auth0|dave", roles: [BILLING, VIEWER] },
        { user_id: "auth0|erin" },
        { user_id: "auth0|frank" },
      ],
    },
  ],
};

/** Plain HCL, one resource per [name, user id, roles]. */
function hcl(resources: readonly [string, string, readonly string[]][]): string {
  const blocks = resources.map(
    ([name, user, roles]) => `resource "auth0roles_organization_member_roles" "${name}" {
  organization_id = "${ORG}"
  user_id         = "${user}"
  roles           = [${roles.map((r) => `"${r}"`).join(", ")}]
}`,
  );
  return `terraform {
  required_providers {
    auth0roles = { source = "terraform.local/rolesascode/auth0roles" }
  }
}

provider "auth0roles" {}

${blocks.join("\n\n")}
`;
}

const FIRST = hcl([
  ["alice", "auth0|alice", [VIEWER, BILLING]],
  ["bob", "auth0|bob", [VIEWER]],
  ["carol", "auth0|carol", [VIEWER]],
  ["erin", "auth0|erin", [VIEWER]],
]);

// The pull request: alice trades billing for admin (sensitive), bob leaves, carol's resource moves
// to frank (replace), dave is adopted with viewer only (he holds billing), erin is unchanged in code.
const SECOND = hcl([
  ["alice", "auth0|alice", [ADMIN, VIEWER]],
  ["carol", "auth0|frank", [VIEWER]],
  ["erin", "auth0|erin", [VIEWER]],
  ["dave", "auth0|dave", [VIEWER]],
]);

const A = "auth0roles_organization_member_roles";

const EXPECTED_MARKDOWN = [
  "## Auth0 member roles: review of the plan",
  "",
  "This plan grants 2 roles and revokes 5 across 6 members.",
  "",
  "### :warning: Privileged changes",
  "",
  `- grants **admin** (\`${ADMIN}\`) to \`auth0|alice\` in \`${ORG}\` (\`${A}.alice\`, matches \`admin|owner\`)`,
  "",
  "### :warning: Creates that revoke roles held today",
  "",
  "Terraform's plan does not show these: the member holds the roles now, the configuration does not declare them, and apply revokes them.",
  "",
  `- \`${A}.dave\` revokes **billing** (\`${BILLING}\`) from \`auth0|dave\` in \`${ORG}\``,
  "",
  `### Organization \`${ORG}\``,
  "",
  `- \`auth0|alice\`: updated (\`${A}.alice\`)`,
  `  - grant: **admin** (\`${ADMIN}\`)`,
  `  - revoke: **billing** (\`${BILLING}\`)`,
  `- \`auth0|bob\`: destroyed: every managed role revoked (\`${A}.bob\`)`,
  `  - revoke: **viewer** (\`${VIEWER}\`)`,
  `- \`auth0|carol\`: replaced: leaves the resource, every managed role revoked (\`${A}.carol\`)`,
  `  - revoke: **viewer** (\`${VIEWER}\`)`,
  `- \`auth0|frank\`: replaced: gains the resource (\`${A}.carol\`)`,
  `  - grant: **viewer** (\`${VIEWER}\`)`,
  `- \`auth0|dave\`: created (\`${A}.dave\`)`,
  `  - revoke, held today and not declared: **billing** (\`${BILLING}\`)`,
  `- \`auth0|erin\`: updated (\`${A}.erin\`)`,
  `  - revoke: **auditor** (\`${AUDITOR}\`)`,
  "",
  "### Drift: changed outside Terraform since the last apply",
  "",
  `- \`auth0|erin\` in \`${ORG}\` (\`${A}.erin\`)`,
  `  - granted outside Terraform: **auditor** (\`${AUDITOR}\`) (this plan revokes it again)`,
  "",
  "**Totals:** members 1 created, 2 updated, 1 destroyed, 1 replaced; 2 roles granted, 4 revoked + 1 held today and not declared; 1 privileged change.",
];

const ref = (id: string, name: string) => ({ id, name });

describe("auth0-member-roles review of real plans", () => {
  let emu: Emulator;
  let tf: TerraformWorkspace;
  let planJson: string;
  const reviewerEnv = () => ({
    AUTH0_DOMAIN: emu.url,
    AUTH0_CLIENT_ID: "reviewer",
    AUTH0_CLIENT_SECRET: "reviewer-secret-0123456789",
  });
  const deployerEnv = () => ({
    AUTH0_DOMAIN: emu.url,
    AUTH0_CLIENT_ID: "deployer",
    AUTH0_CLIENT_SECRET: "deployer-secret-0123456789",
  });

  /** Plans with the read-only client into `tfplan` and returns `terraform show -json tfplan`. */
  async function plan(): Promise<string> {
    await tf.ok(["plan", "-no-color", "-input=false", "-out=tfplan"], reviewerEnv());
    return (await tf.ok(["show", "-json", "-no-color", "tfplan"])).stdout;
  }

  function review(args: readonly string[], env: Record<string, string> = reviewerEnv()): Promise<CliResult> {
    return runCli(["review", ...args], env, { cwd: tf.dir });
  }

  const writes = () => emu.requests.filter((r) => r.path.startsWith("/api/") && r.method !== "GET");

  beforeAll(async () => {
    emu = await startEmulator({ seed, rateLimits: false });
    tf = new TerraformWorkspace(deployerEnv());
    tf.writeConfig(FIRST);
    await tf.init();
    await tf.apply();
    // An operator grants erin auditor in the dashboard.
    emu.tenant.assignRoles(ORG, "auth0|erin", [AUDITOR]);
    tf.writeConfig(SECOND);
    planJson = await plan();
    tf.writeFile("plan.json", planJson);
  });

  afterAll(async () => {
    tf?.dispose();
    await emu?.stop();
  });

  test("markdown for the pull request, line by line, and no write to the tenant", async () => {
    emu.clearRequests();
    const result = await review(["--sensitive", "admin|owner", "plan.json"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n")).toEqual([...EXPECTED_MARKDOWN, ""]);
    expect(writes()).toEqual([]);
    // Names are read once per role, never per mention.
    const roleReads = emu.requests.filter((r) => r.path.startsWith("/api/v2/roles/")).map((r) => r.path);
    expect(roleReads.sort()).toEqual(
      [ADMIN, AUDITOR, BILLING, VIEWER].map((id) => `/api/v2/roles/${id}`).sort(),
    );
    // Only the members a create (or the create half of a replacement) takes over are read.
    const memberReads = emu.requests.filter((r) => r.path.includes("/members/")).map((r) => r.path);
    expect(memberReads.sort()).toEqual([
      `/api/v2/organizations/${ORG}/members/auth0%7Cdave/roles`,
      `/api/v2/organizations/${ORG}/members/auth0%7Cfrank/roles`,
    ]);
  });

  test("JSON has the documented shape", async () => {
    const result = await runCli(["review", "--format", "json", "--sensitive", "admin", "-"], reviewerEnv(), {
      input: planJson,
    });
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(Object.keys(json).sort()).toEqual([
      "changes",
      "drift",
      "format_version",
      "notes",
      "privileged",
      "totals",
    ]);
    expect(json.format_version).toBe(1);
    const base = { organization_id: ORG, roles_unknown: false };
    expect(json.changes).toEqual([
      {
        ...base,
        address: `${A}.alice`,
        action: "update",
        user_id: "auth0|alice",
        grant: [ref(ADMIN, "admin")],
        revoke: [ref(BILLING, "billing")],
        revokes_unmanaged: [],
      },
      {
        ...base,
        address: `${A}.bob`,
        action: "delete",
        user_id: "auth0|bob",
        grant: [],
        revoke: [ref(VIEWER, "viewer")],
        revokes_unmanaged: [],
      },
      {
        ...base,
        address: `${A}.carol`,
        action: "replace",
        phase: "destroy",
        user_id: "auth0|carol",
        grant: [],
        revoke: [ref(VIEWER, "viewer")],
        revokes_unmanaged: [],
      },
      {
        ...base,
        address: `${A}.carol`,
        action: "replace",
        phase: "create",
        user_id: "auth0|frank",
        grant: [ref(VIEWER, "viewer")],
        revoke: [],
        revokes_unmanaged: [],
      },
      {
        ...base,
        address: `${A}.dave`,
        action: "create",
        user_id: "auth0|dave",
        grant: [],
        revoke: [],
        revokes_unmanaged: [ref(BILLING, "billing")],
      },
      {
        ...base,
        address: `${A}.erin`,
        action: "update",
        user_id: "auth0|erin",
        grant: [],
        revoke: [ref(AUDITOR, "auditor")],
        revokes_unmanaged: [],
      },
    ]);
    expect(json.drift).toEqual([
      {
        address: `${A}.erin`,
        organization_id: ORG,
        user_id: "auth0|erin",
        granted_outside: [{ ...ref(AUDITOR, "auditor"), undone: true }],
        revoked_outside: [],
        member_removed: false,
      },
    ]);
    expect(json.privileged).toEqual([
      {
        address: `${A}.alice`,
        organization_id: ORG,
        user_id: "auth0|alice",
        change: "grant",
        role: ref(ADMIN, "admin"),
        pattern: "admin",
      },
    ]);
    expect(json.totals).toEqual({
      members_created: 1,
      members_updated: 2,
      members_destroyed: 1,
      members_replaced: 1,
      members_imported: 0,
      members_forgotten: 0,
      roles_granted: 2,
      roles_revoked: 4,
      roles_revoked_unmanaged: 1,
      privileged_changes: 1,
      members_drifted: 1,
    });
    expect(json.notes).toEqual([]);
  });

  test("--chdir reads the saved plan file itself, with the same result", async () => {
    const fromFile = await review(["--format", "json", "plan.json"]);
    const fromPlanFile = await review(["--format", "json", "--chdir", tf.dir, "tfplan"]);
    expect(fromPlanFile.code).toBe(0);
    expect(JSON.parse(fromPlanFile.stdout)).toEqual(JSON.parse(fromFile.stdout));
  });

  test("a saved plan file in the directory it was planned in needs no --chdir", async () => {
    const fromFile = await review(["--format", "json", "plan.json"]);
    const here = await review(["--format", "json", "tfplan"]);
    expect(here.stderr).toBe("");
    expect(here.code).toBe(0);
    expect(JSON.parse(here.stdout)).toEqual(JSON.parse(fromFile.stdout));
  });

  test("--fail-on gates exit 3 after printing the summary; a plan that passes exits 0", async () => {
    const privileged = await review(["--sensitive", "admin", "--fail-on", "privileged", "plan.json"]);
    expect(privileged.code).toBe(3);
    expect(privileged.stdout).toContain("### :warning: Privileged changes");
    expect(privileged.stderr).toBe("--fail-on privileged: the plan makes 1 privileged role change(s).\n");
    const revoke = await review(["--fail-on", "revoke", "plan.json"]);
    expect(revoke.code).toBe(3);
    expect(revoke.stderr).toBe("--fail-on revoke: the plan revokes 5 role assignment(s).\n");
    const noMatch = await review(["--sensitive", "^owner$", "--fail-on", "privileged", "plan.json"]);
    expect(noMatch.code).toBe(0);
    expect(noMatch.stdout).not.toContain("Privileged changes");
  });

  test("without read:roles the review shows ids and says why", async () => {
    const result = await review(["plan.json"], {
      AUTH0_DOMAIN: emu.url,
      AUTH0_CLIENT_ID: "no-role-names",
      AUTH0_CLIENT_SECRET: "no-role-names-secret-0123",
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`  - grant: \`${ADMIN}\`\n  - revoke: \`${BILLING}\``);
    expect(result.stdout).toContain(
      "> Note: Role names need the read:roles scope, which these credentials lack; roles are shown by id.",
    );
    // Held roles are still read with read:organization_member_roles.
    expect(result.stdout).toContain(`revokes \`${BILLING}\` from \`auth0|dave\``);
    expect(result.stdout).not.toContain("no-role-names-secret");
  });

  test("without credentials the review still summarizes, and says what it could not check", async () => {
    const result = await review(["plan.json"], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `- \`auth0|dave\`: created (\`${A}.dave\`)\n  - grant: \`${VIEWER}\`\n  - roles held today: not checked`,
    );
    expect(result.stdout).toContain(
      "> Note: Roles held today by the 2 members this plan creates were not read (no Auth0 credentials: AUTH0_DOMAIN is not set), so roles apply revokes from them are not shown.",
    );
    expect(result.stdout).toContain(
      "> Note: Role names were not read (no Auth0 credentials: AUTH0_DOMAIN is not set), so roles show as ids.",
    );
    expect(result.stdout).not.toContain("Creates that revoke roles held today");
  });

  test("unusable input exits 2 with one line naming what is wrong", async () => {
    tf.writeFile("state.json", (await tf.ok(["show", "-json", "-no-color"])).stdout);
    tf.writeFile("broken.json", "{ not json");
    const cases: [string[], RegExp][] = [
      [["missing.json"], /^auth0-member-roles review: Cannot read PLAN missing\.json: ENOENT\.\n$/],
      [
        ["broken.json"],
        /^auth0-member-roles review: broken\.json is not JSON \(.*\); expected the output of terraform show -json PLANFILE\.\n$/,
      ],
      [["state.json"], /^auth0-member-roles review: state\.json is a state, not a plan .*\n$/],
      [
        ["--fail-on", "revoke", "--fail-on", "privileged", "plan.json"],
        /^auth0-member-roles review: --fail-on privileged needs at least one --sensitive PATTERN: .*could never fire\.\n$/,
      ],
      [
        ["--chdir", join(tf.dir, "nowhere"), "tfplan"],
        /^auth0-member-roles review: --chdir .*nowhere is not a directory\.\n$/,
      ],
      [
        ["--format", "yaml", "plan.json"],
        /^auth0-member-roles review: --format "yaml" is not one of markdown, json\.\n$/,
      ],
      [
        ["--fail-on", "grant", "plan.json"],
        /^auth0-member-roles review: --fail-on "grant" is not one of privileged, revoke\.\n$/,
      ],
      [
        ["--sensitive", "(", "plan.json"],
        /^auth0-member-roles review: --sensitive "\(" is not a valid regular expression: .*\n$/,
      ],
      [[], /^auth0-member-roles review: PLAN is missing: .*\n$/],
    ];
    for (const [args, message] of cases) {
      const result = await review(args, {});
      expect({ args, code: result.code, stdout: result.stdout }).toEqual({ args, code: 2, stdout: "" });
      expect(result.stderr).toMatch(message);
    }
  });

  test("after apply, the next plan changes no roles, and the review says so in one line", async () => {
    await tf.ok(["apply", "-no-color", "-input=false", "tfplan"]);
    expect(emu.tenant.memberRoles(ORG, "auth0|dave")).toEqual([VIEWER]);
    expect(emu.tenant.memberRoles(ORG, "auth0|carol")).toEqual([]);
    tf.writeFile("noop.json", await plan());
    const result = await review(["noop.json"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      "## Auth0 member roles: review of the plan\n\n**No role changes.** This plan grants and revokes no roles.\n",
    );
    const json = JSON.parse((await review(["--format", "json", "--fail-on", "revoke", "noop.json"])).stdout);
    expect(json.changes).toEqual([]);
    expect(json.drift).toEqual([]);
    expect(Object.values(json.totals).every((n) => n === 0)).toBe(true);
    expect(readFileSync(join(tf.dir, "noop.json"), "utf8")).toContain('"resource_changes"');
  });
});
