import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runInThisContext } from "node:vm";
import {
  fileSource,
  privateCacheDir,
  requireWithCodeCache,
} from "../../../src/provider/startup/compile-cache";

// The module under test runs outside jest's sandbox, so it reports through the file system.
// Its global object too: the code-cache hook has to be installed there, not on jest's.
const MODULE_GLOBAL = runInThisContext("globalThis") as object;
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
    expect(requireWithCodeCache(file, cacheDir, { scheduleSave: now })).toBe("created");
    expect(readdirSync(cacheDir)).toHaveLength(1);
    expect(requireWithCodeCache(file, cacheDir, { scheduleSave: now })).toBe("used");
    expect(runs()).toEqual([file, file]);
  });

  it("keeps the caches of the three most recent builds, two per build, and removes older ones", () => {
    const file = join(dir, "bundle.js");
    writeFileSync(file, `${MODULE_SOURCE}require("./dep.js");\n`);
    let before: string[] = [];
    const cachesAfterBuild = (n: number) => {
      // A build is the bundle and its separate module; here only the separate module changes.
      const dep = Buffer.from(`module.exports = "build ${n}";\n`);
      const options = { scheduleSave: now, separateModules: { "./dep.js": () => fileSource(dep) } };
      requireWithCodeCache(file, cacheDir, options);
      writeFileSync(file, `${MODULE_SOURCE}require("./dep.js");\n// build ${n + 1}\n`);
      const names = readdirSync(cacheDir);
      // Build n's caches written at second n, so "most recent" is well defined on coarse file systems.
      for (const name of names.filter((name) => !before.includes(name))) {
        utimesSync(join(cacheDir, name), 1_000_000 + n, 1_000_000 + n);
      }
      const added = names.filter((name) => !before.includes(name));
      before = names;
      return { names, added };
    };
    const first = cachesAfterBuild(1);
    expect(first.added).toHaveLength(2);
    cachesAfterBuild(2);
    expect(cachesAfterBuild(3).names).toHaveLength(6);
    const afterFourth = cachesAfterBuild(4).names;
    expect(afterFourth).toHaveLength(6);
    for (const old of first.added) expect(afterFourth).not.toContain(old);
    expect(runs()).toHaveLength(4);
  });

  it("runs a separate module once, with a code cache of its own, and leaves it to Node's require without a cache", () => {
    const file = join(dir, "bundle.js");
    const dep = join(dir, "dep.js");
    const depSource = "module.exports = { from: __filename };\n";
    writeFileSync(
      file,
      'const fs = require("node:fs"), path = require("node:path");\n' +
        'const a = require("./dep.js"), b = require("./dep.js");\n' +
        'fs.appendFileSync(path.join(__dirname, "runs.txt"), (a === b ? a.from : "twice") + "\\n");\n',
    );
    writeFileSync(dep, depSource);
    const options = {
      scheduleSave: now,
      separateModules: { "./dep.js": () => fileSource(Buffer.from(depSource)) },
    };
    expect(requireWithCodeCache(file, cacheDir, options)).toBe("created");
    const caches = readdirSync(cacheDir).sort();
    expect(caches).toHaveLength(2);
    const written = caches.map((name) => readFileSync(join(cacheDir, name)));
    expect(requireWithCodeCache(file, cacheDir, options)).toBe("used");
    expect(readdirSync(cacheDir).sort()).toEqual(caches);
    // Neither cache was rewritten: the separate module's was complete when first written.
    expect(caches.map((name) => readFileSync(join(cacheDir, name)))).toEqual(written);
    expect(requireWithCodeCache(file, null, options)).toBe("none");
    expect(runs()).toEqual([dep, dep, dep]);
  });

  it("shares one cache between copies of the same build at different paths", () => {
    const copies = ["a", "b", "c"].map((name) => {
      mkdirSync(join(dir, name));
      const file = join(dir, name, "bundle.js");
      writeFileSync(file, MODULE_SOURCE);
      return file;
    });
    expect(requireWithCodeCache(copies[0] as string, cacheDir, { scheduleSave: now })).toBe("created");
    expect(requireWithCodeCache(copies[1] as string, cacheDir, { scheduleSave: now })).toBe("used");
    expect(requireWithCodeCache(copies[2] as string, cacheDir, { scheduleSave: now })).toBe("used");
    expect(readdirSync(cacheDir)).toHaveLength(1);
  });

  it("does not reuse the cache of a rebuild with the same size and mtime", () => {
    // cp -p, rsync -a, Docker COPY and reproducible builds keep the mtime; V8 checks only length.
    const file = join(dir, "bundle.js");
    const mark = (tag: string) =>
      `${MODULE_SOURCE}require("node:fs").appendFileSync(__dirname + "/runs.txt", "${tag}\\n");\n`;
    const build = (tag: string) => {
      writeFileSync(file, mark(tag));
      utimesSync(file, 1_700_000_000, 1_700_000_000);
    };
    build("old");
    expect(requireWithCodeCache(file, cacheDir, { scheduleSave: now })).toBe("created");
    build("new");
    expect(requireWithCodeCache(file, cacheDir, { scheduleSave: now })).toBe("created");
    expect(runs()).toEqual([file, "old", file, "new"]);
    expect(requireWithCodeCache(file, cacheDir, { scheduleSave: now })).toBe("used");
  });

  it("ignores and replaces a corrupted cache file", () => {
    const file = join(dir, "bundle.js");
    writeFileSync(file, MODULE_SOURCE);
    requireWithCodeCache(file, cacheDir, { scheduleSave: now });
    const [name] = readdirSync(cacheDir);
    const cacheFile = join(cacheDir, name as string);
    const good = readFileSync(cacheFile);
    const bad = Buffer.from(good);
    // Release V8 does not checksum the payload, so this damage would reach the deserializer.
    bad[bad.length - 1] = (bad[bad.length - 1] as number) ^ 0xff;
    writeFileSync(cacheFile, bad);
    expect(requireWithCodeCache(file, cacheDir, { scheduleSave: now })).toBe("created");
    expect(readdirSync(cacheDir)).toEqual([name]);
    expect(readFileSync(cacheFile).equals(bad)).toBe(false);
    expect(requireWithCodeCache(file, cacheDir, { scheduleSave: now })).toBe("used");
    expect(runs()).toEqual([file, file, file]);
  });

  it("saves nothing until told to", () => {
    const file = join(dir, "bundle.js");
    writeFileSync(file, MODULE_SOURCE);
    let save: (() => void) | undefined;
    requireWithCodeCache(file, cacheDir, {
      scheduleSave: (s) => {
        save = s;
      },
    });
    expect(readdirSync(cacheDir)).toHaveLength(0);
    save?.();
    expect(readdirSync(cacheDir)).toHaveLength(1);
  });

  it("has a cache written before the bundle marked itself complete rewritten by the first run that does, once", () => {
    // Terraform's first provider process of a command only answers GetProviderSchema; a later one
    // configures, refreshes and plans, running code the first never compiled.
    const file = join(dir, "bundle.js");
    const marksComplete = `globalThis[Symbol.for("terraform-provider-auth0roles.code-cache-complete")]?.();\n`;
    writeFileSync(file, `${MODULE_SOURCE}if (globalThis.testMarkComplete) ${marksComplete}`);
    const saves: (() => void)[] = [];
    const collect = (save: () => void) => saves.push(save);
    const runMarking = (mark: boolean) => {
      Object.assign(MODULE_GLOBAL, { testMarkComplete: mark });
      try {
        return requireWithCodeCache(file, cacheDir, { scheduleSave: collect, globalObject: MODULE_GLOBAL });
      } finally {
        Reflect.deleteProperty(MODULE_GLOBAL, "testMarkComplete");
      }
    };
    const flag = () => {
      const [name] = readdirSync(cacheDir);
      return readFileSync(join(cacheDir, name as string))[32];
    };

    expect(runMarking(false)).toBe("created");
    expect(saves).toHaveLength(1);
    for (const save of saves.splice(0)) save();
    expect(flag()).toBe(0);

    expect(runMarking(false)).toBe("used");
    expect(saves).toHaveLength(0);

    expect(runMarking(true)).toBe("used");
    expect(saves).toHaveLength(1);
    for (const save of saves.splice(0)) save();
    expect(flag()).toBe(1);
    expect(readdirSync(cacheDir)).toHaveLength(1);

    expect(runMarking(true)).toBe("used");
    expect(runMarking(false)).toBe("used");
    expect(saves).toHaveLength(0);
    expect(runs()).toHaveLength(5);
  });

  it("marks a new cache complete when the run that creates it got that far", () => {
    const file = join(dir, "bundle.js");
    writeFileSync(
      file,
      `${MODULE_SOURCE}globalThis[Symbol.for("terraform-provider-auth0roles.code-cache-complete")]?.();\n`,
    );
    let save: (() => void) | undefined;
    const saveLater = (s: () => void) => {
      save = s;
    };
    expect(
      requireWithCodeCache(file, cacheDir, { scheduleSave: saveLater, globalObject: MODULE_GLOBAL }),
    ).toBe("created");
    save?.();
    const [name] = readdirSync(cacheDir);
    expect(readFileSync(join(cacheDir, name as string))[32]).toBe(1);
  });

  it("without a cache directory requires the file as usual", () => {
    const file = join(dir, "plain.js");
    writeFileSync(file, MODULE_SOURCE);
    expect(requireWithCodeCache(file, null, { scheduleSave: now })).toBe("none");
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

  posixOnly("refuses a symlink planted in place of the directory", () => {
    // The target passes the ownership and mode checks; only lstat sees the name is a link.
    const target = join(root, "elsewhere");
    mkdirSync(target, { mode: 0o700 });
    chmodSync(target, 0o700);
    symlinkSync(target, join(root, `terraform-provider-auth0roles-cache-${process.getuid?.()}`));
    expect(privateCacheDir(root)).toBeNull();
  });
});
