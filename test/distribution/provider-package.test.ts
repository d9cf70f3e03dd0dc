import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hash1 } from "../../src/distribution/hashes";
import { installedExecutable, installProvider } from "../../src/distribution/mirror";
import { PROVIDER_PLATFORMS, providerPackageFiles } from "../../src/distribution/provider-package";

// `npm test` builds before jest: these read the built bundles.
describe("the provider package", () => {
  let roots: string[] = [];
  afterEach(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
    roots = [];
  });
  const mirror = () => {
    const root = mkdtempSync(join(tmpdir(), "provider-package-"));
    roots.push(root);
    return installProvider(join(root, "some", "where"));
  };

  it("holds the same bytes at any install path and on every platform, with no path inside", () => {
    const first = mirror();
    const second = mirror();
    expect(second.hashes).toEqual(first.hashes);
    for (const platform of PROVIDER_PLATFORMS) {
      const dir = join(
        first.mirrorDir,
        "terraform.local/rolesascode/auth0roles",
        readdirSync(join(first.mirrorDir, "terraform.local/rolesascode/auth0roles"))[0] as string,
        platform,
      );
      const files = readdirSync(dir).map((name) => ({
        name,
        bytes: readFileSync(join(dir, name)),
        mode: statSync(join(dir, name)).mode & 0o777,
      }));
      expect(hash1(files)).toBe(first.hashes[0]);
      for (const file of files) expect(file.bytes.toString("latin1")).not.toContain(first.mirrorDir);
    }
  });

  it("has a hash that changes whenever a file of the build does", () => {
    const files = providerPackageFiles();
    const changed = files.map((file) =>
      file.name === "provider-bundle.js"
        ? { ...file, bytes: Buffer.concat([file.bytes, Buffer.from("\n")]) }
        : file,
    );
    expect(hash1(changed)).not.toBe(hash1(files));
  });

  it("launches with the node on PATH and prints the version", async () => {
    const { mirrorDir } = mirror();
    const stdout = await new Promise<string>((done, fail) =>
      execFile(installedExecutable(mirrorDir, "linux_amd64"), ["--version"], (error, out) =>
        error ? fail(error) : done(out),
      ),
    );
    expect(stdout).toMatch(/^terraform-provider-auth0roles \d+\.\d+\.\d+\n$/);
  });

  it("says in one line on stdout, where Terraform shows it, that node is missing", async () => {
    const { mirrorDir } = mirror();
    const result = await new Promise<{ code: number | null; stdout: string }>((done) => {
      execFile(
        installedExecutable(mirrorDir, "linux_amd64"),
        [],
        { env: { PATH: "/nonexistent" } },
        (error, stdout) => done({ code: error ? (error.code as number) : 0, stdout }),
      );
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^terraform-provider-auth0roles \S+ needs Node\.js >= 20 on PATH and found no node: install Node\.js 20 or later .*\n$/,
    );
  });

  it("says in one line that the node on PATH is too old", async () => {
    const { mirrorDir } = mirror();
    // A `node` first on PATH that reports Node.js 18: the real one, told otherwise before anything runs.
    const bin = join(roots[0] as string, "old-node");
    mkdirSync(bin);
    writeFileSync(
      join(bin, "pretend-18.js"),
      'Object.defineProperty(process, "versions", { value: { ...process.versions, node: "18.19.0" } });\nObject.defineProperty(process, "version", { value: "v18.19.0" });\n',
    );
    writeFileSync(
      join(bin, "node"),
      `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} -r ${JSON.stringify(join(bin, "pretend-18.js"))} "$@"\n`,
      { mode: 0o755 },
    );
    const result = await new Promise<{ code: number; stdout: string }>((done) => {
      execFile(
        installedExecutable(mirrorDir, "linux_amd64"),
        [],
        { env: { PATH: `${bin}:/usr/bin:/bin` } },
        (error, stdout) => done({ code: error ? (error.code as number) : 0, stdout }),
      );
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^terraform-provider-auth0roles \S+ needs Node\.js >= 20, but the node on PATH is v18\.19\.0 .*\n$/,
    );
  });
});
