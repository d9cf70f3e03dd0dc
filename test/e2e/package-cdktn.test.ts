import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { type Emulator, startEmulator } from "../../src/emulator";
import { engine } from "../support/engine";
import { createApp, ok, packThisRepository, REPO_BIN, type Run, run, userEnv } from "../support/packed-app";

// The packed package in a fresh cdktn (CDK Terrain) app, synthesized by cdktn's App as `cdktn synth`
// runs it, then the real terraform in the stack directory as `cdktn deploy` runs it: no flags, no
// CLI configuration, a HOME of its own. (cdktn-cli itself needs Node.js >= 22.19.)
jest.setTimeout(300_000);

const ORG = "org_acme000000000001";
const ADMIN = "rol_admin00000000001";
const BILLING = "rol_billing000000001";
const STACK = "access";

// cdktn's TypeScript template compiles with CommonJS and the old module resolution, which ignores
// package.json "exports": the package must resolve without it.
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

const MAIN_TS = `import { App, TerraformStack } from "cdktn";
import type { Construct } from "constructs";
import { Auth0RolesProvider, OrganizationMemberRoles } from "auth0-org-member-roles-cdktn";
import { readFileSync } from "fs";

class Access extends TerraformStack {
  constructor(scope: Construct, id: string, roles: string[]) {
    super(scope, id);
    new Auth0RolesProvider(this, "auth0roles");
    new OrganizationMemberRoles(this, "carol", { organizationId: "${ORG}", userId: "auth0|carol", roles });
  }
}

const app = new App();
new Access(app, "${STACK}", JSON.parse(readFileSync("roles.json", "utf8")));
app.synth();
`;

describe("a cdktn app that installs the packed package", () => {
  let emu: Emulator;
  let app: string;
  let home: string;
  const tmp: string[] = [];
  const stackDir = (root: string) => join(root, "cdktf.out", "stacks", STACK);

  const synth = async (root: string, roles: readonly string[]) => {
    writeFileSync(join(root, "roles.json"), JSON.stringify(roles));
    await ok("node", ["main.js"], { cwd: root, env: userEnv(home) });
  };
  const terraform = async (root: string, args: string[], homeDir = home): Promise<Run> => {
    const result = await run(engine().command, [...args, "-no-color"], {
      cwd: stackDir(root),
      env: userEnv(homeDir, {
        AUTH0_DOMAIN: emu.url,
        AUTH0_CLIENT_ID: "emulator-client",
        AUTH0_CLIENT_SECRET: "emulator-secret",
        TF_IN_AUTOMATION: "1",
      }),
    });
    expect(result.stdout + result.stderr).not.toContain("Incomplete lock file information");
    return result;
  };
  const terraformOk = async (root: string, args: string[], homeDir = home) => {
    const result = await terraform(root, args, homeDir);
    if (result.code !== 0)
      throw new Error(
        `terraform ${args.join(" ")} exited ${result.code}\n${result.stdout}\n${result.stderr}`,
      );
    return result;
  };
  const writes = () =>
    emu.requests
      .filter((r) => r.path.startsWith("/api/") && r.method !== "GET")
      .map((r) => ({ method: r.method, path: r.path, body: r.body }));
  const carolRoles = `/api/v2/organizations/${ORG}/members/${encodeURIComponent("auth0|carol")}/roles`;

  beforeAll(async () => {
    emu = await startEmulator({ rateLimits: false });
    app = await createApp(await packThisRepository(), "cdktn", { cdktn: "0.24.0", constructs: "10.7.2" });
    tmp.push(app);
    home = mkdtempSync(join(tmpdir(), "auth0roles-home-"));
    tmp.push(home);
    writeFileSync(join(app, "tsconfig.json"), JSON.stringify(TSCONFIG));
    writeFileSync(join(app, "main.ts"), MAIN_TS);
    await ok(REPO_BIN("tsc"), ["-p", "."], { cwd: app, env: process.env });
  });

  afterAll(async () => {
    for (const dir of tmp) rmSync(dir, { recursive: true, force: true });
    await emu?.stop();
  });

  test("installs neither cdktf nor a second cdktn or constructs", () => {
    expect(readdirSync(join(app, "node_modules"))).not.toContain("cdktf");
    for (const name of ["auth0-org-member-roles", "auth0-org-member-roles-cdktn"]) {
      const nested = join(app, "node_modules", name, "node_modules");
      const nestedPackages = (() => {
        try {
          return readdirSync(nested);
        } catch {
          return [];
        }
      })();
      expect(nestedPackages.filter((n) => ["cdktf", "cdktn", "constructs"].includes(n))).toEqual([]);
    }
  });

  test("synth, init with the lock file as written, deploy, revoke, and destroy", async () => {
    await synth(app, [ADMIN, BILLING]);
    expect(readFileSync(join(stackDir(app), ".terraform.lock.hcl"), "utf8")).toContain(
      'provider "terraform.local/rolesascode/auth0roles"',
    );
    await terraformOk(app, ["init", "-lockfile=readonly"]);
    emu.clearRequests();
    await terraformOk(app, ["apply", "-auto-approve"]);
    expect(writes()).toEqual([{ method: "POST", path: carolRoles, body: { roles: [ADMIN, BILLING] } }]);

    await synth(app, [ADMIN]);
    emu.clearRequests();
    await terraformOk(app, ["apply", "-auto-approve"]);
    expect(writes()).toEqual([{ method: "DELETE", path: carolRoles, body: { roles: [BILLING] } }]);
    expect(emu.tenant.memberRoles(ORG, "auth0|carol")).toEqual([ADMIN]);

    // Another checkout at another path with a HOME of its own: the app and its state (cdktn's local
    // backend keeps it at the app's root), synthesized
    // again there; the lock file comes out the same and Terraform sees nothing to do.
    const other = join(mkdtempSync(join(tmpdir(), "auth0roles-checkout-")), basename(app));
    tmp.push(join(other, ".."));
    cpSync(app, other, { recursive: true, filter: (src) => !src.endsWith("/.terraform") });
    const lock = readFileSync(join(stackDir(app), ".terraform.lock.hcl"), "utf8");
    rmSync(join(other, "cdktf.out"), { recursive: true, force: true });
    await synth(other, [ADMIN]);
    expect(readFileSync(join(stackDir(other), ".terraform.lock.hcl"), "utf8")).toBe(lock);
    const otherHome = mkdtempSync(join(tmpdir(), "auth0roles-home-"));
    tmp.push(otherHome);
    await terraformOk(other, ["init", "-lockfile=readonly"], otherHome);
    expect((await terraform(other, ["plan", "-detailed-exitcode"], otherHome)).code).toBe(0);

    emu.clearRequests();
    await terraformOk(app, ["destroy", "-auto-approve"]);
    expect(writes()).toEqual([{ method: "DELETE", path: carolRoles, body: { roles: [ADMIN] } }]);
  });
});
