import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { PACKAGE_NAMES, packAll, REPO } from "../support/packed-app";

// What `npm publish` would upload: `npm run pack:all` packs the core (the repository's root) and
// both construct packages (its workspaces), building first.
jest.setTimeout(300_000);

type Packed = Awaited<ReturnType<typeof packAll>>[number];
type Manifest = Record<string, Record<string, string> | string | undefined>;

const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;
const byName = (packed: readonly Packed[], name: string) => packed.find((p) => p.name === name) as Packed;
const paths = (packed: Packed) => packed.files.map((file) => file.path);

describe("the npm packages", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "npm-pack-"));
    dirs.push(dir);
    return dir;
  };
  let first: readonly Packed[];
  let firstDir: string;
  beforeAll(async () => {
    firstDir = tempDir();
    first = await packAll(firstDir);
  });

  it("are three from one command: the core and one construct package per CDK flavour", () => {
    expect(first.map((p) => p.name).sort()).toEqual(Object.values(PACKAGE_NAMES).sort());
  });

  it("the core holds only what runs: bin/, built JavaScript (the single executable's main script too) and declarations, no construct library", () => {
    const core = paths(byName(first, PACKAGE_NAMES.core));
    expect(core).toEqual(
      expect.arrayContaining([
        "package.json",
        "README.md",
        "bin/auth0-member-roles",
        "dist/provider-bundle.js",
        "dist/axios-bundle.js",
      ]),
    );
    const unexpected = core.filter(
      (path) =>
        !["package.json", "README.md"].includes(path) &&
        !path.startsWith("bin/") &&
        !/^dist\/(provider\.js|provider-bundle\.js|axios-bundle\.js|single-executable\.js|src\/.*\.(js|d\.ts|json))$/.test(
          path,
        ),
    );
    expect(unexpected).toEqual([]);
    expect(
      core.filter((path) => /(^|\/)(test|bench|scripts|examples|cdktf|cdktn)\/|\.map$/.test(path)),
    ).toEqual([]);
  });

  it("each construct package holds its built constructs and bindings only", () => {
    for (const name of [PACKAGE_NAMES.cdktf, PACKAGE_NAMES.cdktn]) {
      const files = paths(byName(first, name));
      expect(files).toEqual(
        expect.arrayContaining(["package.json", "README.md", "dist/index.js", "dist/index.d.ts"]),
      );
      expect(
        files.filter(
          (path) => !["package.json", "README.md"].includes(path) && !/^dist\/.*\.(js|d\.ts)$/.test(path),
        ),
      ).toEqual([]);
      expect(files.some((path) => path.startsWith("dist/generated/provider/"))).toBe(true);
    }
  });

  it("pack to the same bytes twice, and not into themselves", async () => {
    const secondDir = tempDir();
    const second = await packAll(secondDir);
    for (const a of first) {
      const b = byName(second, a.name);
      expect(b.integrity).toBe(a.integrity);
      expect(readFileSync(join(secondDir, b.filename)).equals(readFileSync(join(firstDir, a.filename)))).toBe(
        true,
      );
      expect(b.files.some((file) => file.path.endsWith(".tgz"))).toBe(false);
    }
  });

  it("leave out the output of a source that no longer exists (tsc's incremental build keeps it)", async () => {
    // As a checkout has it after a source was moved: the old output is still in dist/.
    const orphans = ["dist/src/provider/moved-away.js", "packages/cdktf/dist/moved-away.d.ts"];
    for (const orphan of orphans) writeFileSync(join(REPO, orphan), "// the output of a deleted source\n");
    const packed = await packAll(tempDir());
    for (const orphan of orphans) expect(existsSync(join(REPO, orphan))).toBe(false);
    for (const a of first) expect(byName(packed, a.name).integrity).toBe(a.integrity);
  });

  it("pack complete from a fresh clone with no build yet, to the same bytes", async () => {
    const clone = join(tempDir(), "clone");
    const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], {
      cwd: REPO,
      encoding: "utf8",
    })
      .split("\0")
      .filter((file) => file !== "");
    for (const file of files) {
      mkdirSync(dirname(join(clone, file)), { recursive: true });
      cpSync(join(REPO, file), join(clone, file));
    }
    // What `npm ci` gives a fresh clone; no dist/ anywhere.
    symlinkSync(join(REPO, "node_modules"), join(clone, "node_modules"));
    const packed = await packAll(tempDir(), clone);
    for (const a of first) expect(byName(packed, a.name).integrity).toBe(a.integrity);
  });

  it("share one version; the core has no CDK peers, each construct package only its own and the core at that version", () => {
    const core = manifest(REPO);
    expect(core.private).toBeUndefined();
    expect(core.peerDependencies).toBeUndefined();
    const own = { cdktf: ["cdktf", "constructs"], cdktn: ["cdktn", "constructs"] } as const;
    for (const flavour of ["cdktf", "cdktn"] as const) {
      const pkg = manifest(join(REPO, "packages", flavour));
      expect(pkg.name).toBe(PACKAGE_NAMES[flavour]);
      expect(pkg.version).toBe(core.version);
      expect(pkg.dependencies).toEqual({ [PACKAGE_NAMES.core]: core.version });
      expect(Object.keys(pkg.peerDependencies ?? {}).sort()).toEqual([...own[flavour]]);
      expect(pkg.peerDependenciesMeta).toBeUndefined();
    }
  });
});
