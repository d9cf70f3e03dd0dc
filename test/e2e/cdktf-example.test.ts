import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { App, LocalBackend } from "cdktf";
import { AccessStack } from "../../examples/access-stack";
import { ACME_MEMBERS, ACME_ORGANIZATION, type MemberAccess, ROLES } from "../../examples/tenant";
import { type Emulator, startEmulator } from "../../src/emulator";
import { TerraformWorkspace } from "../support/terraform";
import { MEMBER_ROLES_SCOPES } from "./fixtures";

// The example CDKTF app, synthesized and run by the real terraform against the emulator: the
// story of the demo, with the tenant and the API calls checked at every step.
jest.setTimeout(180_000);

const STACK = "acme-access";
const CLIENT = { clientId: "pipeline", clientSecret: "pipeline-secret-for-the-emulator" };

function synthesize(outdir: string, members: readonly MemberAccess[]): string {
  const app = new App({ outdir });
  const stack = new AccessStack(app, STACK, { organizationId: ACME_ORGANIZATION, members });
  // State beside the synthesized app, not in the working directory (cdktf's default).
  new LocalBackend(stack, { path: join(outdir, "terraform.tfstate") });
  app.synth();
  return join(outdir, "stacks", STACK);
}

function writes(emu: Emulator) {
  return emu.requests
    .filter((r) => r.path.startsWith("/api/") && r.method !== "GET")
    .map((r) => ({ method: r.method, path: r.path, body: r.body }));
}

const memberPath = (userId: string) =>
  `/api/v2/organizations/${ACME_ORGANIZATION}/members/${encodeURIComponent(userId)}/roles`;

describe("the example app under terraform", () => {
  let emu: Emulator;
  let outdir: string;
  let tf: TerraformWorkspace;

  beforeAll(async () => {
    emu = await startEmulator({
      rateLimits: false,
      seed: {
        clients: [
          {
            ...CLIENT,
            scopes: MEMBER_ROLES_SCOPES,
          },
        ],
        roles: Object.entries(ROLES).map(([name, id]) => ({ id, name })),
        users: ACME_MEMBERS.map((m) => ({ user_id: m.userId })),
        organizations: [
          { id: ACME_ORGANIZATION, name: "acme", members: ACME_MEMBERS.map((m) => ({ user_id: m.userId })) },
        ],
      },
    });
    outdir = mkdtempSync(join(tmpdir(), "auth0roles-example-"));
    const stackDir = synthesize(outdir, ACME_MEMBERS);
    tf = new TerraformWorkspace(
      { AUTH0_DOMAIN: emu.url, AUTH0_CLIENT_ID: CLIENT.clientId, AUTH0_CLIENT_SECRET: CLIENT.clientSecret },
      { stackDir },
    );
    // No CLI configuration: terraform finds the provider in the mirror synth laid beside the stack.
    await tf.init();
  });

  afterAll(async () => {
    tf?.dispose();
    rmSync(outdir, { recursive: true, force: true });
    await emu?.stop();
  });

  test("deploy grants every member's roles", async () => {
    await tf.apply();
    for (const member of ACME_MEMBERS) {
      expect(emu.tenant.memberRoles(ACME_ORGANIZATION, member.userId)).toEqual([...member.roles].sort());
    }
    expect((await tf.plan()).code).toBe(0);
  });

  test("removing a role from code revokes it with one DELETE and touches nothing else", async () => {
    const bob = ACME_MEMBERS.find((m) => m.name === "bob");
    if (!bob) throw new Error("the example has no bob");
    synthesize(
      outdir,
      ACME_MEMBERS.map((m) => (m === bob ? { ...m, roles: m.roles.filter((r) => r !== ROLES.billing) } : m)),
    );
    const plan = await tf.plan();
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain("Plan: 0 to add, 1 to change, 0 to destroy.");
    emu.clearRequests();
    await tf.apply();
    expect(writes(emu)).toEqual([
      { method: "DELETE", path: memberPath(bob.userId), body: { roles: [ROLES.billing] } },
    ]);
    expect(emu.tenant.memberRoles(ACME_ORGANIZATION, bob.userId)).toEqual([ROLES.viewer]);
    expect((await tf.plan()).code).toBe(0);
  });

  test("destroy revokes every managed role with the documented DELETE", async () => {
    emu.clearRequests();
    await tf.ok(["destroy", "-no-color", "-auto-approve"]);
    const calls = writes(emu);
    expect(calls.every((c) => c.method === "DELETE")).toBe(true);
    expect(calls.map((c) => c.path).sort()).toEqual(ACME_MEMBERS.map((m) => memberPath(m.userId)).sort());
    for (const member of ACME_MEMBERS) {
      expect(emu.tenant.memberRoles(ACME_ORGANIZATION, member.userId)).toEqual([]);
    }
  });
});

describe("the demo (README's first command)", () => {
  test("tells the whole story and exits 0", async () => {
    const demo = resolve(__dirname, "../../dist/examples/demo.js");
    const output = await new Promise<string>((done, fail) => {
      execFile(
        "node",
        [demo],
        { env: { ...process.env, CHECKPOINT_DISABLE: "1" } },
        (error, stdout, stderr) =>
          error ? fail(new Error(`demo failed: ${stderr}\n${stdout}`)) : done(stdout),
      );
    });
    expect(output).toContain("[7/7] terraform destroy revokes every managed role");
    // It says how its tenant differs from the emulator's default one.
    expect(output).toContain("This tenant is the demo's own seed (examples/tenant.ts)");
    expect(output).toMatch(
      /DELETE \/api\/v2\/organizations\/org_\w+\/members\/auth0%7Cbob\/roles \{"roles":\["rol_billing\w+"\]\} -> 204/,
    );
    // The review summary of the saved plan names the role, and that very plan is what is applied.
    expect(output).toContain("- revoke: **billing** (`rol_billing000000001`)");
    expect(output).toContain("[6/7] Merged: exactly the reviewed plan is applied.");
    expect(output).not.toContain("demo-pipeline-secret");
  });
});
