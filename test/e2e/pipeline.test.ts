import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ACME_ORGANIZATION, ROLES } from "../../examples/tenant";
import { type Emulator, startEmulator } from "../../src/emulator";
import { runCli } from "../support/cli";
import { engine } from "../support/engine";
import { MEMBER_ROLES_SCOPES } from "./fixtures";

// examples/pipeline/pipeline.sh, the script the GitHub workflow calls, run end to end against the
// emulator: plan with read-only credentials -> review -> apply the saved plan with write
// credentials -> plan again, empty.
jest.setTimeout(300_000);

// js-yaml ships no types; this is the one function used.
const { safeLoad } = require("js-yaml") as { safeLoad: (text: string) => unknown };
const REPO = resolve(__dirname, "../..");
const SCRIPT = join(REPO, "examples", "pipeline", "pipeline.sh");
const READER = { AUTH0_CLIENT_ID: "ci-read", AUTH0_CLIENT_SECRET: "ci-read-secret-0123456789" };
const WRITER = { AUTH0_CLIENT_ID: "ci-write", AUTH0_CLIENT_SECRET: "ci-write-secret-0123456789" };
const memberPath = (user: string) =>
  `/api/v2/organizations/${ACME_ORGANIZATION}/members/${encodeURIComponent(user)}/roles`;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe("the pipeline script", () => {
  let emu: Emulator;
  let work: string;

  function pipeline(step: string, credentials: Record<string, string>, extra: Record<string, string> = {}) {
    return new Promise<Run>((done) => {
      execFile(
        SCRIPT,
        [step],
        {
          cwd: work,
          // What a CI runner has: no CLI configuration, the example app built, the CLI of this package.
          env: {
            PATH: process.env.PATH ?? "/usr/bin:/bin",
            HOME: work,
            AUTH0_DOMAIN: emu.url,
            ...credentials,
            SYNTH: `node ${join(REPO, "dist", "examples", "main.js")}`,
            CLI: `node ${join(REPO, "bin", "auth0-member-roles")}`,
            ...extra,
          },
          maxBuffer: 64 * 1024 * 1024,
        },
        (error, stdout, stderr) =>
          done({ code: typeof error?.code === "number" ? error.code : error ? -1 : 0, stdout, stderr }),
      );
    });
  }

  const writes = () =>
    emu.requests
      .filter((r) => r.path.startsWith("/api/") && r.method !== "GET")
      .map((r) => ({ method: r.method, path: r.path, body: r.body }));
  const artifact = (name: string) => readFileSync(join(work, "pipeline-artifacts", name), "utf8");

  beforeAll(async () => {
    emu = await startEmulator({
      rateLimits: false,
      seed: {
        clients: [
          {
            clientId: READER.AUTH0_CLIENT_ID,
            clientSecret: READER.AUTH0_CLIENT_SECRET,
            scopes: ["read:organization_member_roles", "read:roles"],
          },
          {
            clientId: WRITER.AUTH0_CLIENT_ID,
            clientSecret: WRITER.AUTH0_CLIENT_SECRET,
            scopes: MEMBER_ROLES_SCOPES,
          },
        ],
        roles: Object.entries(ROLES).map(([name, id]) => ({ id, name })),
        users: [{ user_id: "auth0|alice" }, { user_id: "auth0|bob" }, { user_id: "auth0|carol" }],
        organizations: [
          {
            id: ACME_ORGANIZATION,
            name: "acme",
            // The code (examples/tenant.ts) wants alice admin+billing, bob billing+viewer, carol support.
            members: [
              { user_id: "auth0|alice", roles: [ROLES.billing] },
              { user_id: "auth0|bob", roles: [ROLES.billing, ROLES.viewer, ROLES.support] },
              { user_id: "auth0|carol" },
            ],
          },
        ],
      },
    });
    work = mkdtempSync(join(tmpdir(), "auth0roles-pipeline-"));
  });

  afterAll(async () => {
    rmSync(work, { recursive: true, force: true });
    await emu?.stop();
  });

  test("plan, review, apply exactly the reviewed plan, and the next plan is empty", async () => {
    emu.clearRequests();
    const plan = await pipeline("plan", READER);
    expect(plan.stderr).toContain("Plan: 3 to add, 0 to change, 0 to destroy.");
    expect(plan.code).toBe(0);
    const sha = artifact("tfplan.sha256").trim();
    expect(sha).toMatch(/^[0-9a-f]{64}$/);

    const review = await pipeline("review", READER, { REVIEW_ARGS: "--sensitive admin" });
    expect(review.code).toBe(0);
    // The CDKTF stack's plan file, read by review itself, gives the same summary as the JSON.
    const direct = await runCli(
      [
        "review",
        "--sensitive",
        "admin",
        "--chdir",
        join(work, "cdktf.out", "stacks", "acme-access"),
        "tfplan",
      ],
      { AUTH0_DOMAIN: emu.url, ...READER },
    );
    expect(direct.code).toBe(0);
    expect(direct.stdout).toBe(artifact("review.md"));
    expect(writes()).toEqual([]);
    const comment = artifact("comment.md").split("\n");
    expect(comment[0]).toBe("<!-- auth0-member-roles:review -->");
    expect(comment).toEqual(
      expect.arrayContaining([
        "This plan grants 2 roles and revokes 1 across 3 members.",
        "- grants **admin** (`rol_admin00000000001`) to `auth0|alice` in `org_acme000000000001` (`auth0roles_organization_member_roles.alice`, matches `admin`)",
        "- `auth0roles_organization_member_roles.bob` revokes **support** (`rol_support000000001`) from `auth0|bob` in `org_acme000000000001`",
        "- `auth0|carol`: created (`auth0roles_organization_member_roles.carol`)",
        "  - grant: **support** (`rol_support000000001`)",
        `<sub>Plan file sha256 \`${sha}\`. Merging applies exactly this plan.</sub>`,
      ]),
    );

    emu.clearRequests();
    const apply = await pipeline("apply", WRITER, { EXPECTED_PLAN_SHA256: sha });
    expect(apply.stdout).toContain("Apply complete! Resources: 3 added, 0 changed, 0 destroyed.");
    expect(apply.code).toBe(0);
    expect(writes().sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method))).toEqual(
      [
        { method: "POST", path: memberPath("auth0|alice"), body: { roles: [ROLES.admin] } },
        { method: "DELETE", path: memberPath("auth0|bob"), body: { roles: [ROLES.support] } },
        { method: "POST", path: memberPath("auth0|carol"), body: { roles: [ROLES.support] } },
      ],
    );

    emu.clearRequests();
    const check = await pipeline("check", READER);
    expect(check.stderr).toContain("No changes.");
    expect(check.code).toBe(0);
    await pipeline("plan", READER);
    expect((await pipeline("review", READER)).code).toBe(0);
    expect(artifact("comment.md")).toContain("**No role changes.** This plan grants and revokes no roles.");
    expect(writes()).toEqual([]);
  });

  test("a --fail-on hit still writes the comment, with the policy line, and exits 3", async () => {
    emu.tenant.assignRoles(ACME_ORGANIZATION, "auth0|carol", [ROLES.admin]);
    // The nightly drift check tells the tenant no longer matches the code by its exit status.
    expect((await pipeline("check", READER)).code).toBe(2);
    expect((await pipeline("plan", READER)).code).toBe(0);
    const review = await pipeline("review", READER, { REVIEW_ARGS: "--fail-on revoke" });
    expect(review.code).toBe(3);
    expect(artifact("comment.md")).toContain(
      "**Policy:** --fail-on revoke: the plan revokes 1 role assignment(s).",
    );
    expect(artifact("comment.md")).toContain(
      "- `auth0|carol`: updated (`auth0roles_organization_member_roles.carol`)",
    );
    // A review longer than a comment may be is cut at a line, saying how much and where the rest is.
    await pipeline("review", READER, { REVIEW_ARGS: "--fail-on revoke", COMMENT_LIMIT: "60" });
    const cut = artifact("comment.md").split("\n");
    const reviewLines = artifact("review.md").split("\n").length - 1;
    expect(cut.slice(0, 5)).toEqual([
      "<!-- auth0-member-roles:review -->",
      "## Auth0 member roles: review of the plan",
      "",
      "",
      `_(${reviewLines - 2} more lines cut to fit a comment: the whole review is review.md in the plan artifact.)_`,
    ]);
    expect(cut).toContain("**Policy:** --fail-on revoke: the plan revokes 1 role assignment(s).");
  });

  test("apply refuses a plan file other than the reviewed one, before any call", async () => {
    emu.clearRequests();
    const apply = await pipeline("apply", WRITER, { EXPECTED_PLAN_SHA256: "0".repeat(64) });
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain(`but the reviewed plan had ${"0".repeat(64)}.`);
    expect(emu.requests).toEqual([]);
    expect(emu.tenant.memberRoles(ACME_ORGANIZATION, "auth0|carol")).toEqual(
      [ROLES.admin, ROLES.support].sort(),
    );
  });

  test("apply refuses a stale plan: the state changed after the plan was made", async () => {
    // Another operation (here: someone's `terraform state rm`) changes the state the plan was made from.
    const stack = join(work, "cdktf.out", "stacks", "acme-access");
    await new Promise<void>((done, fail) =>
      execFile(
        engine().command,
        ["state", "rm", "-no-color", "auth0roles_organization_member_roles.bob"],
        {
          cwd: stack,
          env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: work, CHECKPOINT_DISABLE: "1" },
        },
        (error) => (error ? fail(error) : done()),
      ),
    );
    emu.clearRequests();
    const apply = await pipeline("apply", WRITER, { EXPECTED_PLAN_SHA256: artifact("tfplan.sha256").trim() });
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain("Saved plan is stale");
    expect(writes()).toEqual([]);
  });

  test("the workflow calls only the script for its logic", () => {
    const workflow = safeLoad(readFileSync(join(REPO, "examples", "pipeline", "workflow.yml"), "utf8")) as {
      on: { pull_request: { types: string[] } };
      jobs: Record<string, { steps: { run?: string; uses?: string }[] }>;
    };
    expect(workflow.on.pull_request.types).toEqual(["opened", "synchronize", "reopened", "closed"]);
    const runs = (job: string) =>
      (workflow.jobs[job]?.steps ?? []).map((s) => s.run?.trim()).filter((r) => r?.startsWith("$PIPELINE"));
    expect(runs("plan")).toEqual(["$PIPELINE plan", "$PIPELINE review"]);
    expect(runs("apply")).toEqual(["$PIPELINE apply"]);
    expect(existsSync(SCRIPT)).toBe(true);
  });
});
