import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, normalize } from "node:path";
import { releaseCacheDir } from "../../src/distribution/npm-download";
import { type Emulator, startEmulator } from "../../src/emulator";
import { generateSelfSignedCertificate } from "../../src/tls/self-signed-cert";
import { engine } from "../support/engine";
import { createApp, ok, packThisRepository, type Run, run, userEnv } from "../support/packed-app";

// The packed package used from plain HCL, as a user without cdktf does: `install` into the implied
// mirror with a lock file, the lock file carried to another checkout, an upgrade refused until
// re-locked, and `release` served as a network mirror over HTTPS.
jest.setTimeout(300_000);

const SOURCE = "terraform.local/rolesascode/auth0roles";
const ORG = "org_acme000000000001";
const ADMIN = "rol_admin00000000001";
const PLATFORMS = ["darwin_amd64", "darwin_arm64", "linux_amd64", "linux_arm64"];
/** The release archives' platforms: each zip holds an executable with Node inside. */
const RELEASE_PLATFORMS = [...PLATFORMS, "windows_amd64"];

const hashesIn = (lock: string) => lock.match(/"(h1|zh):[^"]+"/g)?.sort();

function mainTf(version: string): string {
  return `terraform {
  required_providers {
    auth0roles = {
      source  = "${SOURCE}"
      version = "${version}"
    }
  }
}

provider "auth0roles" {}

resource "auth0roles_organization_member_roles" "carol" {
  organization_id = "${ORG}"
  user_id         = "auth0|carol"
  roles           = ["${ADMIN}"]
}
`;
}

describe("plain HCL with the packed package", () => {
  let emu: Emulator;
  let app: string;
  let version: string;
  const tmp: string[] = [];

  const tempDir = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    tmp.push(dir);
    return dir;
  };
  /** terraform with a user's environment: no CLI configuration unless `cliConfig` names one. */
  const terraform = (
    cwd: string,
    args: string[],
    home: string,
    extra: Record<string, string> = {},
  ): Promise<Run> =>
    run(engine().command, [...args, "-no-color"], {
      cwd,
      env: userEnv(home, {
        AUTH0_DOMAIN: emu.url,
        AUTH0_CLIENT_ID: "emulator-client",
        AUTH0_CLIENT_SECRET: "emulator-secret",
        TF_IN_AUTOMATION: "1",
        ...extra,
      }),
    });
  const terraformOk = async (
    cwd: string,
    args: string[],
    home: string,
    extra: Record<string, string> = {},
  ) => {
    const result = await terraform(cwd, args, home, extra);
    if (result.code !== 0)
      throw new Error(
        `terraform ${args.join(" ")} exited ${result.code}\n${result.stdout}\n${result.stderr}`,
      );
    expect(result.stdout + result.stderr).not.toContain("Incomplete lock file information");
    return result;
  };
  const cli = (cwd: string, args: string[]) =>
    ok(join(app, "node_modules", ".bin", "auth0-member-roles"), args, {
      cwd,
      // The release cache of this machine's user (Node binaries, postject, built archives: the
      // archives test/distribution/single-executable.test.ts builds), and its quill.
      env: userEnv(tempDir("auth0roles-home-"), {
        XDG_CACHE_HOME: join(releaseCacheDir(), ".."),
        ...(process.env.AUTH0ROLES_QUILL ? { AUTH0ROLES_QUILL: process.env.AUTH0ROLES_QUILL } : {}),
      }),
    });
  const configDir = () => {
    const dir = tempDir("auth0roles-hcl-");
    writeFileSync(join(dir, "main.tf"), mainTf(version));
    return dir;
  };
  /** A PATH holding terraform and nothing else: no node, as on a runner without Node.js. */
  const terraformOnlyPath = () => {
    const dir = tempDir("auth0roles-path-");
    symlinkSync(
      execFileSync("sh", ["-c", 'command -v "$0"', engine().command], { encoding: "utf8" }).trim(),
      join(dir, "terraform"),
    );
    return dir;
  };

  beforeAll(async () => {
    emu = await startEmulator({ rateLimits: false });
    app = await createApp(await packThisRepository(), undefined);
    tmp.push(app);
    version = (
      JSON.parse(
        readFileSync(join(app, "node_modules", "auth0-org-member-roles", "package.json"), "utf8"),
      ) as { version: string }
    ).version;
  });

  afterAll(async () => {
    for (const dir of tmp) rmSync(dir, { recursive: true, force: true });
    await emu?.stop();
  });

  test("installs without cdktf or constructs", () => {
    const installed = readdirSync(join(app, "node_modules"));
    expect(installed).toContain("auth0-org-member-roles");
    expect(installed.filter((name) => ["cdktf", "cdktn", "constructs"].includes(name))).toEqual([]);
  });

  test("its root and its /emulator and /constructs entry points load with no CDK library installed", async () => {
    const script =
      'const { startEmulator } = require("auth0-org-member-roles"); require("auth0-org-member-roles/emulator"); ' +
      'const shared = require("auth0-org-member-roles/constructs"); ' +
      "console.log(typeof startEmulator, typeof shared.addMemberRolesChecks)";
    const { stdout } = await ok("node", ["-e", script], {
      cwd: app,
      env: userEnv(tempDir("auth0roles-home-")),
    });
    expect(stdout.trim()).toBe("function function");
  });

  test("install, then terraform init with the lock file as written, apply, and a second checkout", async () => {
    const dir = configDir();
    await cli(dir, ["install"]);
    const lock = readFileSync(join(dir, ".terraform.lock.hcl"), "utf8");
    const home = tempDir("auth0roles-home-");
    // -lockfile=readonly: init fails if the lock file needs any change, so Terraform's own hash of
    // the installed package is one the lock file holds.
    await terraformOk(dir, ["init", "-lockfile=readonly"], home);
    // Without node on PATH, Terraform shows the provider's one line about it.
    const terraformOnly = terraformOnlyPath();
    const noNode = await run(join(terraformOnly, "terraform"), ["plan", "-no-color"], {
      cwd: dir,
      env: { ...userEnv(home), PATH: terraformOnly },
    });
    expect(noNode.code).toBe(1);
    expect((noNode.stdout + noNode.stderr).replace(/\s+/g, " ")).toContain(
      `terraform-provider-auth0roles ${version} needs Node.js >= 20 on PATH and found no node`,
    );

    emu.clearRequests();
    await terraformOk(dir, ["apply", "-auto-approve"], home);
    expect(emu.tenant.memberRoles(ORG, "auth0|carol")).toEqual([ADMIN]);

    // A second checkout at another path: the committed files (main.tf, the lock file) and the state,
    // then `install` as after `npm ci`, with a HOME of its own.
    const second = configDir();
    for (const file of [".terraform.lock.hcl", "terraform.tfstate"])
      cpSync(join(dir, file), join(second, file));
    await cli(second, ["install"]);
    expect(readFileSync(join(second, ".terraform.lock.hcl"), "utf8")).toBe(lock);
    const otherHome = tempDir("auth0roles-home-");
    await terraformOk(second, ["init", "-lockfile=readonly"], otherHome);
    const plan = await terraform(second, ["plan", "-detailed-exitcode"], otherHome);
    expect(plan.code).toBe(0);
  });

  test("a different build of the same version is refused until re-locked with the fs-mirror form", async () => {
    const dir = configDir();
    await cli(dir, ["install"]);
    const lock = readFileSync(join(dir, ".terraform.lock.hcl"), "utf8");
    // Another build in the mirror (as after upgrading the package and running `install --lock-file`
    // elsewhere), with the old lock file.
    const versionDir = join(dir, "terraform.d", "plugins", SOURCE, version);
    for (const platform of readdirSync(versionDir)) {
      const bundle = join(versionDir, platform, "provider-bundle.js");
      writeFileSync(bundle, `${readFileSync(bundle, "utf8")}\n// another build\n`);
    }
    const home = tempDir("auth0roles-home-");
    const refused = await terraform(dir, ["init"], home);
    expect(refused.code).toBe(1);
    expect(refused.stdout + refused.stderr).toMatch(
      /doesn't match\s+any of the checksums previously recorded/,
    );

    // README's re-lock command: every platform, from the mirror, no registry.
    await terraformOk(
      dir,
      [
        "providers",
        "lock",
        "-fs-mirror=terraform.d/plugins",
        ...PLATFORMS.map((p) => `-platform=${p}`),
        SOURCE,
      ],
      home,
    );
    const relocked = readFileSync(join(dir, ".terraform.lock.hcl"), "utf8");
    expect(relocked).not.toBe(lock);
    await terraformOk(dir, ["init", "-lockfile=readonly"], home);
  });

  describe("release served as a network mirror over HTTPS", () => {
    let server: Server;
    let url: string;
    let caFile: string;
    let root: string;
    const served: string[] = [];

    beforeAll(async () => {
      const out = tempDir("auth0roles-release-");
      await cli(out, ["release", "--out", "mirror"]);
      root = join(out, "mirror");
      const cert = generateSelfSignedCertificate();
      caFile = join(out, "ca.pem");
      writeFileSync(caFile, cert.certPem);
      server = createServer({ cert: cert.certPem, key: cert.keyPem }, (request, response) => {
        const path = normalize(decodeURIComponent(new URL(request.url ?? "/", "https://localhost").pathname));
        served.push(path);
        const file = join(root, path);
        if (!file.startsWith(root) || !existsSync(file)) {
          response.writeHead(404).end();
          return;
        }
        response.writeHead(200, {
          "content-type": path.endsWith(".json") ? "application/json" : "application/zip",
        });
        response.end(readFileSync(file));
      });
      await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
      url = `https://localhost:${(server.address() as AddressInfo).port}/`;
      // A cold release cache builds every platform's executable (minutes).
    }, 1_800_000);

    afterAll(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

    test("release writes per-platform zips, SHA256SUMS and the mirror documents, the same bytes every time", async () => {
      const providerDir = join(root, SOURCE);
      const zips = RELEASE_PLATFORMS.map((p) => `terraform-provider-auth0roles_${version}_${p}.zip`);
      expect(readdirSync(providerDir).sort()).toEqual(
        [
          `${version}.json`,
          "index.json",
          `terraform-provider-auth0roles_${version}_SHA256SUMS`,
          ...zips,
        ].sort(),
      );
      const sha256 = (file: string) =>
        createHash("sha256")
          .update(readFileSync(join(providerDir, file)))
          .digest("hex");
      expect(
        readFileSync(join(providerDir, `terraform-provider-auth0roles_${version}_SHA256SUMS`), "utf8"),
      ).toBe(zips.map((zip) => `${sha256(zip)}  ${zip}\n`).join(""));
      expect(JSON.parse(readFileSync(join(providerDir, "index.json"), "utf8"))).toEqual({
        versions: { [version]: {} },
      });
      const archives = (
        JSON.parse(readFileSync(join(providerDir, `${version}.json`), "utf8")) as {
          archives: Record<string, { url: string; hashes: string[] }>;
        }
      ).archives;
      expect(Object.keys(archives).sort()).toEqual([...RELEASE_PLATFORMS].sort());
      for (const [i, platform] of RELEASE_PLATFORMS.entries()) {
        expect(archives[platform]?.url).toBe(zips[i]);
        expect(archives[platform]?.hashes).toContain(`zh:${sha256(zips[i] as string)}`);
      }
      const again = tempDir("auth0roles-release-");
      await cli(again, ["release", "--out", "."]);
      for (const file of readdirSync(providerDir)) {
        // Buffer.equals: jest's deep equality walks megabytes byte by byte.
        expect([
          file,
          readFileSync(join(again, SOURCE, file)).equals(readFileSync(join(providerDir, file))),
        ]).toEqual([file, true]);
      }
    });

    test("with no node on PATH, terraform installs the executable from it over HTTPS with the lock file `lock --release` writes, applies, revokes and destroys", async () => {
      const dir = configDir();
      const home = tempDir("auth0roles-home-");
      const cliConfig = join(home, "terraform.rc");
      writeFileSync(
        cliConfig,
        `provider_installation {\n  network_mirror {\n    url     = "${url}"\n    include = ["${SOURCE}"]\n  }\n  direct {\n    exclude = ["${SOURCE}"]\n  }\n}\n`,
      );
      const env = { TF_CLI_CONFIG_FILE: cliConfig, SSL_CERT_FILE: caFile, PATH: terraformOnlyPath() };
      // Terraform's own lock command downloads every platform's zip and records the h1 hash it
      // computes of each (init then warns the lock file is incomplete): each is one `lock` records.
      await terraformOk(
        dir,
        [
          "providers",
          "lock",
          `-net-mirror=${url}`,
          ...RELEASE_PLATFORMS.map((p) => `-platform=${p}`),
          SOURCE,
        ],
        home,
        env,
      );
      const terraformHashes = hashesIn(readFileSync(join(dir, ".terraform.lock.hcl"), "utf8"));
      expect(terraformHashes).toHaveLength(RELEASE_PLATFORMS.length);
      await cli(dir, ["lock", "--release", root]);
      const lock = readFileSync(join(dir, ".terraform.lock.hcl"), "utf8");
      expect(hashesIn(lock)).toEqual(expect.arrayContaining(terraformHashes ?? ["none"]));
      expect(hashesIn(lock)).toHaveLength(2 * RELEASE_PLATFORMS.length);

      served.length = 0;
      await terraformOk(dir, ["init", "-lockfile=readonly"], home, env);
      expect(new Set(served)).toEqual(
        new Set([
          `/${SOURCE}/index.json`,
          `/${SOURCE}/${version}.json`,
          `/${SOURCE}/terraform-provider-auth0roles_${version}_linux_amd64.zip`,
        ]),
      );
      const installed = readdirSync(join(dir, ".terraform", "providers", SOURCE, version, "linux_amd64"));
      expect(installed).toEqual([`terraform-provider-auth0roles_v${version}`]);

      await terraformOk(dir, ["apply", "-auto-approve"], home, env);
      expect(emu.tenant.memberRoles(ORG, "auth0|carol")).toEqual([ADMIN]);
      // A revocation: the configuration drops the role.
      writeFileSync(join(dir, "main.tf"), mainTf(version).replace(`["${ADMIN}"]`, "[]"));
      const revoke = await terraformOk(dir, ["apply", "-auto-approve"], home, env);
      expect(revoke.stdout).toContain("1 changed");
      expect(emu.tenant.memberRoles(ORG, "auth0|carol")).toEqual([]);
      const clean = await terraform(dir, ["plan", "-detailed-exitcode"], home, env);
      expect([clean.code, clean.stdout]).toEqual([0, expect.stringContaining("No changes.")]);
      await terraformOk(dir, ["destroy", "-auto-approve"], home, env);
      expect(readFileSync(join(dir, "terraform.tfstate"), "utf8")).not.toContain(
        "auth0roles_organization_member_roles",
      );
    });

    test("the same directory serves as a packed filesystem mirror", async () => {
      const dir = configDir();
      const home = tempDir("auth0roles-home-");
      const cliConfig = join(home, "terraform.rc");
      writeFileSync(
        cliConfig,
        `provider_installation {\n  filesystem_mirror {\n    path    = "${root}"\n    include = ["${SOURCE}"]\n  }\n  direct {\n    exclude = ["${SOURCE}"]\n  }\n}\n`,
      );
      await cli(dir, ["lock", "--release", root]);
      await terraformOk(dir, ["init", "-lockfile=readonly"], home, { TF_CLI_CONFIG_FILE: cliConfig });
      const plan = await terraform(dir, ["plan", "-detailed-exitcode"], home, {
        TF_CLI_CONFIG_FILE: cliConfig,
      });
      expect(plan.code).toBe(2);
    });
  });
});
