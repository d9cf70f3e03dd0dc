import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { type Emulator, startEmulator } from "../../src/emulator";
import { createApp, ok, packThisRepository, REPO, REPO_BIN, run, userEnv } from "../support/packed-app";

// The packed package in a fresh CDKTF app, driven by the real cdktf-cli as a user runs it: no flags,
// no Terraform CLI configuration, a HOME of its own, and the emulator as the tenant.
jest.setTimeout(300_000);

const ORG = "org_acme000000000001";
const ADMIN = "rol_admin00000000001";
const BILLING = "rol_billing000000001";
const VIEWER = "rol_viewer0000000001";
const STACK = "access";
const LOCK = join("cdktf.out", "stacks", STACK, ".terraform.lock.hcl");

// The cdktf TypeScript template's settings (CommonJS, the old module resolution).
const TSCONFIG = {
  compilerOptions: {
    target: "ES2018",
    module: "CommonJS",
    moduleResolution: "node",
    lib: ["es2018"],
    strict: true,
    skipLibCheck: true,
  },
  include: ["main.ts"],
};

const MAIN_TS = `import { App, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { Auth0RolesProvider, OrganizationMemberRoles } from "auth0-org-member-roles-cdktf";
import { readFileSync } from "fs";

interface Member { userId: string; roles: string[] }

class Access extends TerraformStack {
  constructor(scope: Construct, id: string, members: Member[]) {
    super(scope, id);
    new Auth0RolesProvider(this, "auth0roles");
    for (const member of members) {
      new OrganizationMemberRoles(this, member.userId.replace(/\\W/g, "-"), {
        organizationId: "${ORG}",
        userId: member.userId,
        roles: member.roles,
      });
    }
  }
}

const app = new App();
new Access(app, "${STACK}", JSON.parse(readFileSync("members.json", "utf8")));
app.synth();
`;

function writeMembers(app: string, members: readonly { userId: string; roles: readonly string[] }[]): void {
  writeFileSync(join(app, "members.json"), JSON.stringify(members));
}

describe("a CDKTF app that installs the packed package", () => {
  let emu: Emulator;
  let app: string;
  let home: string;
  const tmp: string[] = [];

  const cdktf = (cwd: string, args: string[], homeDir = home) =>
    run("node", [join(REPO, "node_modules", "cdktf-cli", "bundle", "bin", "cdktf"), ...args], {
      cwd,
      env: userEnv(homeDir, {
        AUTH0_DOMAIN: emu.url,
        AUTH0_CLIENT_ID: "emulator-client",
        AUTH0_CLIENT_SECRET: "emulator-secret",
        // cdktf-cli's own output, without colour codes in what the test reads.
        FORCE_COLOR: "0",
        CI: "1",
      }),
    });
  const cdktfOk = async (cwd: string, args: string[], homeDir = home) => {
    const result = await cdktf(cwd, args, homeDir);
    if (result.code !== 0)
      throw new Error(`cdktf ${args.join(" ")} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
    expect(`${result.stdout}${result.stderr}`).not.toMatch(
      /Incomplete lock file|providers lock|Could not retrieve/,
    );
    return result;
  };
  const writes = () =>
    emu.requests
      .filter((r) => r.path.startsWith("/api/") && r.method !== "GET")
      .map((r) => ({ method: r.method, path: r.path, body: r.body }));
  const rolesPath = (userId: string) =>
    `/api/v2/organizations/${ORG}/members/${encodeURIComponent(userId)}/roles`;

  beforeAll(async () => {
    emu = await startEmulator({ rateLimits: false });
    app = await createApp(await packThisRepository(), "cdktf", { cdktf: "0.21.0", constructs: "10.7.2" });
    tmp.push(app);
    home = mkdtempSync(join(tmpdir(), "auth0roles-home-"));
    tmp.push(home);
    writeFileSync(join(app, "tsconfig.json"), JSON.stringify(TSCONFIG));
    writeFileSync(join(app, "main.ts"), MAIN_TS);
    writeFileSync(
      join(app, "cdktf.json"),
      JSON.stringify({
        language: "typescript",
        app: "node main.js",
        projectId: "e2e",
        sendCrashReports: "false",
      }),
    );
    writeMembers(app, [
      { userId: "auth0|carol", roles: [ADMIN, BILLING] },
      { userId: "auth0|bob", roles: [VIEWER] },
    ]);
    // The app type-checks against the package's declarations under the template's module settings.
    await ok(REPO_BIN("tsc"), ["-p", "."], { cwd: app, env: process.env });
  });

  afterAll(async () => {
    for (const dir of tmp) rmSync(dir, { recursive: true, force: true });
    await emu?.stop();
  });

  test("installs only what runs, and not cdktf or constructs a second time", () => {
    const installed = join(app, "node_modules", "auth0-org-member-roles");
    for (const name of ["auth0-org-member-roles", "auth0-org-member-roles-cdktf"]) {
      expect(() =>
        readFileSync(join(app, "node_modules", name, "node_modules", "cdktf", "package.json")),
      ).toThrow();
    }
    expect(() => readFileSync(join(installed, "src", "index.ts"))).toThrow();
    expect(() => readFileSync(join(installed, "dist", "provider-bundle.js.map"))).toThrow();
  });

  test("cdktf synth writes the stack, its provider mirror and a lock file, calling nobody", async () => {
    emu.clearRequests();
    await cdktfOk(app, ["synth"]);
    const lock = readFileSync(join(app, LOCK), "utf8");
    expect(lock).toContain('provider "terraform.local/rolesascode/auth0roles"');
    expect(lock).toMatch(/constraints = "\d+\.\d+\.\d+"/);
    expect(emu.requests).toEqual([]);
  });

  test("cdktf diff plans the grants and only reads", async () => {
    emu.clearRequests();
    const { stdout } = await cdktfOk(app, ["diff"]);
    expect(stdout).toContain("Plan: 2 to add, 0 to change, 0 to destroy.");
    expect(writes()).toEqual([]);
  });

  test("cdktf deploy grants the roles", async () => {
    emu.clearRequests();
    await cdktfOk(app, ["deploy", "--auto-approve"]);
    expect(emu.tenant.memberRoles(ORG, "auth0|carol")).toEqual([ADMIN, BILLING]);
    expect(emu.tenant.memberRoles(ORG, "auth0|bob")).toEqual([VIEWER]);
    expect(writes()).toEqual([
      { method: "POST", path: rolesPath("auth0|carol"), body: { roles: [ADMIN, BILLING] } },
    ]);
  });

  test("a role removed from code is revoked by the next deploy with exactly one DELETE", async () => {
    writeMembers(app, [
      { userId: "auth0|carol", roles: [ADMIN] },
      { userId: "auth0|bob", roles: [VIEWER] },
    ]);
    emu.clearRequests();
    await cdktfOk(app, ["deploy", "--auto-approve"]);
    expect(writes()).toEqual([
      { method: "DELETE", path: rolesPath("auth0|carol"), body: { roles: [BILLING] } },
    ]);
    expect(emu.tenant.memberRoles(ORG, "auth0|carol")).toEqual([ADMIN]);
  });

  test("a copy at another path, with a HOME of its own, uses the same lock file and sees no changes", async () => {
    const other = join(mkdtempSync(join(tmpdir(), "auth0roles-checkout-")), basename(app));
    tmp.push(join(other, ".."));
    // What a second checkout has: the app and its lock file, no .terraform and no plugin cache.
    cpSync(app, other, {
      recursive: true,
      filter: (src) =>
        !src.includes(`${join("cdktf.out", "stacks", STACK)}/.terraform/`) && !src.endsWith("/.terraform"),
    });
    const lockBefore = readFileSync(join(other, LOCK), "utf8");
    const freshHome = mkdtempSync(join(tmpdir(), "auth0roles-home-"));
    tmp.push(freshHome);
    emu.clearRequests();
    const { stdout } = await cdktfOk(other, ["diff"], freshHome);
    expect(stdout).toMatch(/No changes/);
    expect(readFileSync(join(other, LOCK), "utf8")).toBe(lockBefore);
    expect(writes()).toEqual([]);
  });

  test("cdktf destroy revokes the managed roles", async () => {
    emu.clearRequests();
    await cdktfOk(app, ["destroy", "--auto-approve"]);
    expect(writes().sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { method: "DELETE", path: rolesPath("auth0|bob"), body: { roles: [VIEWER] } },
      { method: "DELETE", path: rolesPath("auth0|carol"), body: { roles: [ADMIN] } },
    ]);
    expect(emu.tenant.memberRoles(ORG, "auth0|carol")).toEqual([]);
  });
});
