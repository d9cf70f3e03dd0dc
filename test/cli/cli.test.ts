import { execFile } from "node:child_process";
import {
  accessSync,
  constants,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { terraformSchemaJson } from "../../src/provider/schema-json";

// The built CLI, as a user runs it (`npm test` builds before jest).
const CLI = resolve(__dirname, "../../bin/auth0-member-roles");

function cliIn(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(CLI, args, { cwd, env: { ...process.env, CHECKPOINT_DISABLE: "1" } }, (error, stdout, stderr) =>
      done({ code: typeof error?.code === "number" ? error.code : 0, stdout, stderr }),
    );
  });
}

const cli = (...args: string[]) => cliIn(process.cwd(), ...args);
const VERSION = (
  JSON.parse(readFileSync(resolve(__dirname, "../../package.json"), "utf8")) as { version: string }
).version;

describe("auth0-member-roles CLI", () => {
  test("schema prints the provider schema in the shape of `terraform providers schema -json`", async () => {
    const { code, stdout } = await cli("schema");
    expect(code).toBe(0);
    const printed = JSON.parse(stdout);
    expect(printed).toEqual(terraformSchemaJson());
    const resource =
      printed.provider_schemas["terraform.local/rolesascode/auth0roles"].resource_schemas
        .auth0roles_organization_member_roles;
    expect(resource.block.attributes.roles.type).toEqual(["set", "string"]);
    expect(
      printed.provider_schemas["terraform.local/rolesascode/auth0roles"].provider.block.attributes
        .client_secret.sensitive,
    ).toBe(true);
  });

  test("install lays out the provider for every platform and records it in the lock file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "auth0roles-cli-"));
    try {
      const { code, stdout } = await cliIn(dir, "install");
      expect(code).toBe(0);
      for (const platform of ["darwin_amd64", "darwin_arm64", "linux_amd64", "linux_arm64"]) {
        const packageDir = join(
          dir,
          "terraform.d/plugins/terraform.local/rolesascode/auth0roles",
          VERSION,
          platform,
        );
        expect(readdirSync(packageDir).sort()).toEqual([
          "axios-bundle.js",
          "provider-bundle.js",
          "provider.js",
          "terraform-provider-auth0roles",
        ]);
        accessSync(join(packageDir, "terraform-provider-auth0roles"), constants.X_OK);
      }
      const lock = readFileSync(join(dir, ".terraform.lock.hcl"), "utf8");
      expect(lock).toContain('provider "terraform.local/rolesascode/auth0roles" {');
      expect(lock).toContain(`  version     = "${VERSION}"`);
      expect(lock).toMatch(/"h1:[A-Za-z0-9+/]{43}=",\n {4}"zh:[0-9a-f]{64}",/);
      expect(stdout).toContain('source  = "terraform.local/rolesascode/auth0roles"');
      expect(stdout).toContain(`path    = "${join(dir, "terraform.d", "plugins")}"`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("--version prints the package.json version, from the CLI and the provider executable", async () => {
    expect(await cli("--version")).toEqual({
      code: 0,
      stdout: `auth0-member-roles ${VERSION}\n`,
      stderr: "",
    });
    const provider = await new Promise<string>((done, fail) =>
      execFile(
        resolve(__dirname, "../../bin/terraform-provider-auth0roles"),
        ["--version"],
        (error, stdout) => (error ? fail(error) : done(stdout)),
      ),
    );
    expect(provider).toBe(`terraform-provider-auth0roles ${VERSION}\n`);
  });

  test("install refuses a damaged lock file, naming the line and the fix, and leaves it as it was", async () => {
    const dir = mkdtempSync(join(tmpdir(), "auth0roles-cli-"));
    try {
      const damaged = 'provider "registry.terraform.io/hashicorp/random" {\n  version = "3.6.0"\n}\nstray\n';
      writeFileSync(join(dir, ".terraform.lock.hcl"), damaged);
      const { code, stderr } = await cliIn(dir, "install");
      expect(code).toBe(1);
      expect(stderr).toBe(
        'auth0-member-roles: .terraform.lock.hcl:4: expected a provider block, found "stray". Fix or delete the lock file and run this again.\n',
      );
      expect(readFileSync(join(dir, ".terraform.lock.hcl"), "utf8")).toBe(damaged);
      const missing = await cliIn(dir, "install", "--dir");
      expect(missing.code).toBe(2);
      expect(missing.stderr).toBe(
        "auth0-member-roles install: --dir needs a value. (--help lists the options)\n",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test.each([
    [["install", "--dri", "x"], "Unknown option --dri; the options are --dir, --lock-file."],
    [["install", "extra"], 'Unexpected argument "extra"; options start with --.'],
    [["lock", "--bogus"], "Unknown option --bogus; the options are --lock-file, --release."],
    [["release", "--out", "m", "--bogus"], "Unknown option --bogus; the options are --out."],
    [["migrate", "--bogus"], "Unknown option --bogus; the options are --state, --commands."],
    [["schema", "--bogus"], "Unknown option --bogus; this command takes no options."],
  ])("%j exits 2 naming the option, and writes nothing", async (args, message) => {
    const dir = mkdtempSync(join(tmpdir(), "auth0roles-cli-"));
    try {
      const { code, stdout, stderr } = await cliIn(dir, ...args);
      expect(code).toBe(2);
      expect(stdout).toBe("");
      expect(stderr).toBe(`auth0-member-roles ${args[0]}: ${message} (--help lists the options)\n`);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("install --help shows the usage and installs nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "auth0roles-cli-"));
    try {
      const { code, stdout } = await cliIn(dir, "install", "--help");
      expect(code).toBe(0);
      expect(stdout).toContain("Usage: auth0-member-roles install [--dir DIR] [--lock-file FILE]");
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test.each(["install", "lock", "release", "schema", "migrate"])(
    "%s --help prints that command's own usage, not the overview",
    async (command) => {
      const { code, stdout } = await cli(command, "--help");
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`^Usage: auth0-member-roles ${command}( |\n)`));
      expect(stdout).not.toContain("Commands:");
      expect(stdout.endsWith("\n")).toBe(true);
    },
  );

  test("bare auth0-member-roles prints the usage on stderr and exits non-zero", async () => {
    const { code, stdout, stderr } = await cli();
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("Usage: auth0-member-roles <command> [options]");
    expect(stderr).toContain("  schema                Print the provider schema");
    // Asked for, the overview is no failure.
    expect((await cli("--help")).code).toBe(0);
  });

  test.each(["-v", "version"])("%s prints the version like --version", async (flag) => {
    expect((await cli(flag)).stdout).toBe((await cli("--version")).stdout);
  });

  test("release without --out names the missing option", async () => {
    const { code, stderr } = await cli("release");
    expect(code).toBe(2);
    expect(stderr).toContain("release needs --out DIR");
  });

  test("an unknown command exits 2 with the usage", async () => {
    const { code, stderr } = await cli("deploy");
    expect(code).toBe(2);
    expect(stderr).toContain('Unknown command "deploy"');
    expect(stderr).toContain("Usage: auth0-member-roles");
  });

  test.each([
    [["--port", "abc"], '--port must be an integer from 0 to 65535 (got "abc").'],
    [["--verbose"], 'Unknown option "--verbose".'],
    [["--seed", "/nonexistent/seed.json"], "Cannot read seed file /nonexistent/seed.json"],
  ])("emulator %j exits 2 with a one-line error and no stack trace", async (args, message) => {
    const { code, stdout, stderr } = await cli("emulator", ...args);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(stderr).toContain(`auth0-member-roles emulator: ${message}`);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  test("emulator on a port in use exits 2 with one line naming the port", async () => {
    const taken = createServer();
    await new Promise<void>((listening) => taken.listen(0, "127.0.0.1", listening));
    const { port } = taken.address() as AddressInfo;
    try {
      const { code, stderr } = await cli("emulator", "--port", String(port));
      expect(code).toBe(2);
      expect(stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(stderr).toMatch(new RegExp(`^auth0-member-roles emulator: .*EADDRINUSE.*${port}`));
    } finally {
      await new Promise<void>((closed) => taken.close(() => closed()));
    }
  });
});
