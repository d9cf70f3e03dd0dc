import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ok, REPO } from "../support/packed-app";

// What `npm publish` would upload, from this repository's build (`npm test` builds before jest).
jest.setTimeout(120_000);

interface PackResult {
  readonly filename: string;
  readonly integrity: string;
  readonly files: readonly { path: string; size: number }[];
}

async function pack(dest: string): Promise<PackResult> {
  const { stdout } = await ok("npm", ["pack", "--json", "--pack-destination", dest], {
    cwd: REPO,
    env: process.env,
  });
  return (JSON.parse(stdout) as PackResult[])[0] as PackResult;
}

describe("the npm package", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "npm-pack-"));
    dirs.push(dir);
    return dir;
  };

  it("holds only what runs: bin/, built JavaScript and declarations, no tests, sources or big maps", async () => {
    const { files } = await pack(tempDir());
    const paths = files.map((file) => file.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "package.json",
        "README.md",
        "bin/auth0-member-roles",
        "dist/provider-bundle.js",
        "dist/src/cdktn/index.d.ts",
      ]),
    );
    const unexpected = paths.filter(
      (path) =>
        !["package.json", "README.md"].includes(path) &&
        !path.startsWith("bin/") &&
        !/^dist\/(provider\.js|provider-bundle\.js|src\/.*\.(js|d\.ts|json))$/.test(path),
    );
    expect(unexpected).toEqual([]);
    expect(
      paths.filter((path) => /(^|\/)(test|bench|scripts|examples)\//.test(path) || /\.map$/.test(path)),
    ).toEqual([]);
  });

  it("packs to the same bytes twice, and not into itself", async () => {
    const first = tempDir();
    const second = tempDir();
    const a = await pack(first);
    const b = await pack(second);
    expect(b.integrity).toBe(a.integrity);
    expect(readFileSync(join(second, b.filename)).equals(readFileSync(join(first, a.filename)))).toBe(true);
    expect(b.files.some((file) => file.path.endsWith(".tgz"))).toBe(false);
  });

  it("is publishable, with the construct libraries as optional peers", () => {
    const manifest = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as Record<
      string,
      Record<string, unknown>
    >;
    expect(manifest.private).toBeUndefined();
    for (const library of ["cdktf", "cdktn", "constructs"]) {
      expect(manifest.dependencies?.[library]).toBeUndefined();
      expect(manifest.peerDependencies?.[library]).toBeDefined();
      expect(manifest.peerDependenciesMeta?.[library]).toEqual({ optional: true });
    }
  });
});
