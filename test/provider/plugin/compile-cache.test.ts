import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { privateCacheDir, requireWithCodeCache } from "../../../src/provider/plugin/compile-cache";

// The module under test runs outside jest's sandbox, so it reports through the file system.
const MODULE_SOURCE = `require("node:fs").appendFileSync(require("node:path").join(__dirname, "runs.txt"), __filename + "\\n");\n`;

describe("requireWithCodeCache", () => {
  let dir: string;
  let cacheDir: string;
  const runs = () => readFileSync(join(dir, "runs.txt"), "utf8").trim().split("\n");
  const now = (save: () => void) => save();

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "compile-cache-test-"));
    cacheDir = join(dir, "cache");
    mkdirSync(cacheDir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("runs the module with a working require and __dirname, then reuses the saved cache", () => {
    const file = join(dir, "bundle.js");
    writeFileSync(file, MODULE_SOURCE);
    expect(requireWithCodeCache(file, cacheDir, now)).toBe("created");
    expect(readdirSync(cacheDir)).toHaveLength(1);
    expect(requireWithCodeCache(file, cacheDir, now)).toBe("used");
    expect(runs()).toEqual([file, file]);
  });

  it("replaces the cache of an earlier build of the same file", () => {
    const file = join(dir, "bundle.js");
    writeFileSync(file, MODULE_SOURCE);
    requireWithCodeCache(file, cacheDir, now);
    const [first] = readdirSync(cacheDir);
    writeFileSync(file, `${MODULE_SOURCE}// rebuilt\n`);
    expect(requireWithCodeCache(file, cacheDir, now)).toBe("created");
    expect(readdirSync(cacheDir)).toHaveLength(1);
    expect(readdirSync(cacheDir)).not.toContain(first);
    expect(runs()).toHaveLength(2);
  });

  it("saves nothing until told to", () => {
    const file = join(dir, "bundle.js");
    writeFileSync(file, MODULE_SOURCE);
    let save: (() => void) | undefined;
    requireWithCodeCache(file, cacheDir, (s) => {
      save = s;
    });
    expect(readdirSync(cacheDir)).toHaveLength(0);
    save?.();
    expect(readdirSync(cacheDir)).toHaveLength(1);
  });

  it("without a cache directory requires the file as usual", () => {
    const file = join(dir, "plain.js");
    writeFileSync(file, MODULE_SOURCE);
    expect(requireWithCodeCache(file, null, now)).toBe("none");
    expect(runs()).toEqual([file]);
  });
});

describe("privateCacheDir", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "compile-cache-root-"));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("creates a directory only its user can use", () => {
    const dir = privateCacheDir(root);
    expect(dir).not.toBeNull();
    expect(statSync(dir as string).mode & 0o777).toBe(0o700);
  });

  const posixOnly = process.getuid === undefined ? it.skip : it;
  posixOnly("refuses a directory others can write to", () => {
    const dir = privateCacheDir(root) as string;
    chmodSync(dir, 0o777);
    expect(privateCacheDir(root)).toBeNull();
  });
});
