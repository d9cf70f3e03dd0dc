import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Emulator, startEmulator } from "../../src/emulator";
import { engine } from "../support/engine";
import { PACKAGE_MANAGERS, type PackageManager } from "../support/package-managers";
import {
  PACKAGE_NAMES,
  packThisRepository,
  type Run,
  run,
  type Tarballs,
  userEnv,
} from "../support/packed-app";

// The install matrix: the packed packages installed with no flags by npm, pnpm 10, yarn 1 and
// yarn 4 into the projects teams have, each install followed by what proves it works (a synth that
// loads the constructs, or the CLI laying out the provider), and one terraform plan per flavour.
jest.setTimeout(1_800_000);

type Flavour = "cdktf" | "cdktn";

interface Project {
  readonly name: string;
  readonly flavour?: Flavour;
  readonly dependencies: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
}

const PROJECTS: readonly Project[] = [
  {
    name: "cdktf 0.21 with cdktf-cli",
    flavour: "cdktf",
    dependencies: { cdktf: "0.21.0", constructs: "10.4.2" },
    devDependencies: { "cdktf-cli": "0.21.0" },
  },
  { name: "cdktf 0.21", flavour: "cdktf", dependencies: { cdktf: "0.21.0", constructs: "10.4.2" } },
  { name: "cdktf 0.20", flavour: "cdktf", dependencies: { cdktf: "0.20.12", constructs: "10.3.0" } },
  { name: "cdktn 0.24", flavour: "cdktn", dependencies: { cdktn: "0.24.0", constructs: "10.7.2" } },
  { name: "an empty directory (HCL)", dependencies: {} },
];

const ORG = "org_acme000000000001";
const STACK_DIR = join("cdktf.out", "stacks", "access");

const mainJs = (flavour: Flavour) => `const { App, TerraformStack } = require("${flavour}");
const { Auth0RolesProvider, OrganizationMemberRoles } = require("${PACKAGE_NAMES[flavour]}");
const app = new App();
const stack = new TerraformStack(app, "access");
new Auth0RolesProvider(stack, "auth0roles");
new OrganizationMemberRoles(stack, "carol", { organizationId: "${ORG}", userId: "auth0|carol", roles: ["rol_admin00000000001"] });
app.synth();
`;

const MAIN_TF = (version: string) => `terraform {
  required_providers {
    auth0roles = {
      source  = "terraform.local/rolesascode/auth0roles"
      version = "${version}"
    }
  }
}

provider "auth0roles" {}

resource "auth0roles_organization_member_roles" "carol" {
  organization_id = "${ORG}"
  user_id         = "auth0|carol"
  roles           = ["rol_admin00000000001"]
}
`;

interface Outcome {
  readonly dir: string;
  readonly install: Run;
  readonly proof?: Run;
}

const key = (pm: PackageManager, project: Project) => `${pm.name} / ${project.name}`;

/** A fresh project as a team has it, with the package for its flavour, installed with no flags. */
async function installAndProve(
  pm: PackageManager,
  project: Project,
  tarballs: Tarballs,
  home: string,
): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), "auth0roles-pm-"));
  const core = `file:${tarballs.core}`;
  const flavour = project.flavour;
  const ours =
    flavour === undefined
      ? { [PACKAGE_NAMES.core]: core }
      : { [PACKAGE_NAMES[flavour]]: `file:${tarballs[flavour]}` };
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({
      name: "infrastructure",
      version: "1.0.0",
      private: true,
      scripts:
        flavour === undefined
          ? { provider: "auth0-member-roles --version && auth0-member-roles install" }
          : { synth: "node main.js" },
      dependencies: { ...project.dependencies, ...ours },
      ...(project.devDependencies ? { devDependencies: project.devDependencies } : {}),
      // The construct package depends on the core by version; it is not published here, so the
      // package manager takes it from its tarball.
      ...(flavour === undefined ? {} : pm.pin({ [PACKAGE_NAMES.core]: core })),
    }),
  );
  if (flavour !== undefined) writeFileSync(join(dir, "main.js"), mainJs(flavour));
  const env = userEnv(home, pm.env);
  const [command, ...prefix] = pm.command as [string, ...string[]];
  const install = await run(command, [...prefix, ...pm.install], { cwd: dir, env });
  if (install.code !== 0) return { dir, install };
  const proof = await run(command, [...prefix, "run", flavour === undefined ? "provider" : "synth"], {
    cwd: dir,
    env,
  });
  return { dir, install, proof };
}

describe("installing the packed packages with each package manager", () => {
  const outcomes = new Map<string, Outcome>();
  const tmp: string[] = [];
  let version: string;
  let emu: Emulator;

  beforeAll(async () => {
    emu = await startEmulator({ rateLimits: false });
    const tarballs = await packThisRepository();
    version = (JSON.parse(readFileSync(join(__dirname, "../../package.json"), "utf8")) as { version: string })
      .version;
    const home = mkdtempSync(join(tmpdir(), "auth0roles-home-"));
    tmp.push(home);
    // One lane per package manager, in parallel; within a lane the projects go one after the
    // other, so each manager's cache is written by one install at a time and warm for the next.
    const started = Date.now();
    await Promise.all(
      PACKAGE_MANAGERS.map(async (pm) => {
        for (const project of PROJECTS) {
          const outcome = await installAndProve(pm, project, tarballs, home);
          tmp.push(outcome.dir);
          outcomes.set(key(pm, project), outcome);
        }
      }),
    );
    process.stdout.write(
      `install matrix: ${outcomes.size} installs in ${Math.round((Date.now() - started) / 1000)} s\n`,
    );
  });

  afterAll(async () => {
    await emu?.stop();
    // Twenty installed projects take minutes to delete; that need not hold up the run.
    spawn("rm", ["-rf", ...tmp], { detached: true, stdio: "ignore" }).unref();
  });

  const cases = PACKAGE_MANAGERS.flatMap((pm) =>
    PROJECTS.map((project) => [key(pm, project), pm, project] as const),
  );

  test.each(cases)("%s: a plain install works", (name, _pm, project) => {
    const outcome = outcomes.get(name) as Outcome;
    const output = (run?: Run) => `${run?.stdout ?? ""}\n${run?.stderr ?? ""}`;
    if (outcome.install.code !== 0)
      throw new Error(`install exited ${outcome.install.code}:\n${output(outcome.install)}`);
    // Other packages' peer warnings (cdktf-cli's, under yarn 1) are theirs; none may be about ours.
    const peerWarnings = output(outcome.install)
      .split("\n")
      .filter((line) => /ERESOLVE|peer/i.test(line) && line.includes(PACKAGE_NAMES.core));
    expect(peerWarnings).toEqual([]);
    if (outcome.proof?.code !== 0)
      throw new Error(`the installed package did not run:\n${output(outcome.proof)}`);
    if (project.flavour === undefined) {
      expect(outcome.proof.stdout).toContain(version);
      expect(readFileSync(join(outcome.dir, ".terraform.lock.hcl"), "utf8")).toContain(
        'provider "terraform.local/rolesascode/auth0roles"',
      );
    } else {
      expect(existsSync(join(outcome.dir, STACK_DIR, "cdk.tf.json"))).toBe(true);
      expect(readFileSync(join(outcome.dir, STACK_DIR, ".terraform.lock.hcl"), "utf8")).toContain(
        'provider "terraform.local/rolesascode/auth0roles"',
      );
    }
  });

  // The strictest install (yarn 4's Plug'n'Play: no node_modules at all) per flavour, through
  // terraform: the provider synth or `install` laid out runs and plans against the emulator.
  const yarn4 = PACKAGE_MANAGERS.find((pm) => pm.name === "yarn 4") as PackageManager;
  test.each(PROJECTS.filter((p) => p.name !== "cdktf 0.21 with cdktf-cli" && p.name !== "cdktf 0.20"))(
    "yarn 4 / $name: terraform plans with the provider it installed",
    async (project) => {
      const outcome = outcomes.get(key(yarn4, project)) as Outcome;
      const cwd = project.flavour === undefined ? outcome.dir : join(outcome.dir, STACK_DIR);
      if (project.flavour === undefined) writeFileSync(join(cwd, "main.tf"), MAIN_TF(version));
      const home = mkdtempSync(join(tmpdir(), "auth0roles-home-"));
      tmp.push(home);
      const env = userEnv(home, {
        AUTH0_DOMAIN: emu.url,
        AUTH0_CLIENT_ID: "emulator-client",
        AUTH0_CLIENT_SECRET: "emulator-secret",
        TF_IN_AUTOMATION: "1",
      });
      const terraform = engine().command;
      const init = await run(terraform, ["init", "-lockfile=readonly", "-no-color"], { cwd, env });
      expect(init.stdout + init.stderr).toContain("Terraform has been successfully initialized");
      const plan = await run(terraform, ["plan", "-detailed-exitcode", "-no-color"], { cwd, env });
      expect(plan.stdout).toContain("Plan: 1 to add, 0 to change, 0 to destroy.");
      expect(plan.code).toBe(2);
    },
  );
});
