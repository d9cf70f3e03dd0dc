import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Emulator, startEmulator } from "../../src/emulator";
import { engine } from "../support/engine";
import { createApp, ok, packThisRepository, run, userEnv } from "../support/packed-app";

// A project still on cdktf 0.20 (and constructs 10.3) installs the packed package without peer
// conflicts or a second cdktf, synthesizes with its checks, and Terraform plans from the result.
// (cdktf 0.20 and constructs 10.3 are devDependencies under aliases so npm's cache has them.)
jest.setTimeout(300_000);

const MAIN_JS = `const { App, TerraformStack } = require("cdktf");
const { Auth0RolesProvider, OrganizationMemberRoles } = require("auth0-org-member-roles-cdktf");
const roles = JSON.parse(require("fs").readFileSync("roles.json", "utf8"));
const app = new App();
const stack = new TerraformStack(app, "access");
new Auth0RolesProvider(stack, "auth0roles");
new OrganizationMemberRoles(stack, "carol", { organizationId: "org_acme000000000001", userId: "auth0|carol", roles });
app.synth();
`;

describe("a cdktf 0.20 app that installs the packed package", () => {
  let emu: Emulator;
  let app: string;
  const tmp: string[] = [];

  beforeAll(async () => {
    emu = await startEmulator({ rateLimits: false });
    app = await createApp(await packThisRepository(), "cdktf", { cdktf: "0.20.12", constructs: "10.3.0" });
    tmp.push(app);
    writeFileSync(join(app, "main.js"), MAIN_JS);
  });

  afterAll(async () => {
    for (const dir of tmp) rmSync(dir, { recursive: true, force: true });
    await emu?.stop();
  });

  test("keeps the app's cdktf and constructs", () => {
    const version = (name: string) =>
      (
        JSON.parse(readFileSync(join(app, "node_modules", name, "package.json"), "utf8")) as {
          version: string;
        }
      ).version;
    expect([version("cdktf"), version("constructs")]).toEqual(["0.20.12", "10.3.0"]);
    expect(() =>
      readFileSync(
        join(app, "node_modules", "auth0-org-member-roles-cdktf", "node_modules", "cdktf", "package.json"),
      ),
    ).toThrow();
  });

  test("synth checks the constructs, and terraform plans from the lock file synth wrote", async () => {
    const home = mkdtempSync(join(tmpdir(), "auth0roles-home-"));
    tmp.push(home);
    writeFileSync(join(app, "roles.json"), JSON.stringify(["rol_admin00000000001", "rol_admin00000000001"]));
    const refused = await run("node", ["main.js"], { cwd: app, env: userEnv(home) });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(
      'roles of OrganizationMemberRoles access/carol: role "rol_admin00000000001" is listed 2 times',
    );

    writeFileSync(join(app, "roles.json"), JSON.stringify(["rol_admin00000000001"]));
    await ok("node", ["main.js"], { cwd: app, env: userEnv(home) });
    const stack = join(app, "cdktf.out", "stacks", "access");
    const env = userEnv(home, {
      AUTH0_DOMAIN: emu.url,
      AUTH0_CLIENT_ID: "emulator-client",
      AUTH0_CLIENT_SECRET: "emulator-secret",
    });
    const init = await ok(engine().command, ["init", "-lockfile=readonly", "-no-color"], { cwd: stack, env });
    expect(init.stdout).not.toContain("Incomplete lock file information");
    const plan = await run(engine().command, ["plan", "-detailed-exitcode", "-no-color"], {
      cwd: stack,
      env,
    });
    expect(plan.stdout).toContain("Plan: 1 to add, 0 to change, 0 to destroy.");
    expect(plan.code).toBe(2);
  });
});
