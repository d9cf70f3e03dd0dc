/**
 * Runs a CommonJS bundle with V8's code cache, the way `v8-compile-cache` does (Node 20 has no
 * `module.enableCompileCache`; that arrived in 22.1). Compiling the provider bundle is the largest
 * single start-up cost after Node's own boot, and Terraform starts the provider 3-4 times per
 * command, so every run after the first reuses the compiled code instead.
 *
 * The cache never decides whether the provider runs: any problem with it (unwritable temp dir,
 * a directory someone else owns, a rejected cache) falls back to compiling the source as usual.
 */
import { createHash } from "node:crypto";
import {
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Script } from "node:vm";
import { onCodeCacheComplete } from "./code-cache-hook";

type CommonJsWrapper = (
  exports: object,
  require: NodeJS.Require,
  module: { exports: object },
  filename: string,
  dirname: string,
) => void;

/** A private directory for this user's caches; null when one cannot be had safely. */
export function privateCacheDir(root: string = tmpdir()): string | null {
  const uid = process.getuid?.();
  // Windows has per-user temp directories and no uids; elsewhere the uid keeps users apart.
  const dir = join(root, `terraform-provider-auth0roles-cache-${uid ?? "user"}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // lstat, not stat: in a shared temp dir anyone can plant this name as a symlink to a directory
    // they control, and the checks below would then vouch for its target instead.
    const stat = lstatSync(dir);
    if (!stat.isDirectory()) return null;
    // Cached code is executed: use only a directory nobody else can write to.
    if (uid !== undefined && (stat.uid !== uid || (stat.mode & 0o022) !== 0)) return null;
    return dir;
  } catch {
    return null;
  }
}

function sha256(data: string | Buffer): Buffer {
  return createHash("sha256").update(data).digest();
}

function hash(text: string): string {
  return sha256(text).toString("hex").slice(0, 16);
}

/**
 * A cache file is a sha256, then one byte saying whether the process that wrote it had run the
 * bundle's whole common path (COMPLETE; see code-cache-hook.ts) or only part of it, then V8's data.
 * The sha256 covers the byte and the data.
 */
const CHECKSUM_BYTES = 32;
const PARTIAL = 0;
const COMPLETE = 1;

interface CachedCode {
  readonly data: Buffer;
  readonly complete: boolean;
}

/** Whether a run compiled from source ("none": no cache possible), wrote a new cache, or used one. */
export type CodeCacheUse = "none" | "created" | "used";

/** A CommonJS module's bytes and their sha256 (hex), which keys its code cache. */
export interface ModuleSource {
  readonly bytes: Buffer;
  readonly sha256: string;
}

export interface CodeCacheOptions {
  /** Calls its argument when a new cache is to be saved; by default at exit (see requireWithCodeCache). */
  readonly scheduleSave?: (save: () => void) => void;
  /** The global the bundle runs with (tests run the launcher in a sandbox whose global differs). */
  readonly globalObject?: object;
  /**
   * Modules the bundle requires by a relative path that are bundles of their own, each run with a
   * code cache of its own: the path as the bundle requires it -> its source. Only the process that
   * loads one pays for it, and the start-up path's cache does not carry it.
   */
  readonly separateModules?: Readonly<Record<string, () => ModuleSource>>;
}

/**
 * Requires `file`, using and maintaining a code cache in `cacheDir` (null: no cache). The cache is
 * keyed by the sha256 of the file's content and by the Node and V8 versions: V8 itself only checks
 * that the source length matches, and size + mtime miss rebuilds copied with preserved timestamps
 * (cp -p, rsync -a, Docker COPY, reproducible builds). Hashing the ~540 KB bundle costs under 1 ms.
 * A new cache is saved when `scheduleSave` calls its argument; by default at
 * exit, when it also holds the functions this run compiled lazily, which the next process needs
 * too. A cache written by a process that never reached markCodeCacheComplete is written once more,
 * by the first process that does (it then holds the refresh and plan code, which the schema-only
 * process that usually comes first never compiled); after that it is never rewritten, so only those
 * two exits per build pay for writing.
 */
export function requireWithCodeCache(
  file: string,
  cacheDir: string | null,
  options: CodeCacheOptions = {},
): CodeCacheUse {
  // Node maps stack traces through source maps only for modules it loads itself; the separate
  // modules are files beside `file`, which Node's require then finds by the same relative path.
  if (cacheDir === null || process.sourceMapsEnabled) {
    require(file);
    return "none";
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    require(file);
    return "none";
  }
  return runWithCodeCache(fileSource(bytes), file, cacheDir, options);
}

/** The source of a file's bytes, hashed here. */
export function fileSource(bytes: Buffer): ModuleSource {
  return { bytes, sha256: sha256(bytes).toString("hex") };
}

/**
 * Runs `source` as if it were the file `file`, with the code cache of requireWithCodeCache (null
 * `cacheDir`: compiled from source). The self-contained executable runs its bundle this way: the
 * bundle is an asset inside the executable, not a file, and its sha256 was taken when it was built.
 */
export function runWithCodeCache(
  source: ModuleSource,
  file: string,
  cacheDir: string | null,
  options: CodeCacheOptions = {},
): CodeCacheUse {
  const scheduleSave = options.scheduleSave ?? ((save) => process.once("exit", save));
  const globalObject = options.globalObject ?? globalThis;
  const compiled = compile(source, file, cacheDir);
  let complete = false;
  const save = () =>
    compiled.cacheFile !== undefined && writeCache(compiled.cacheFile, compiled.script, complete);
  if (compiled.use === "created") scheduleSave(save);
  onCodeCacheComplete(() => {
    if (complete) return;
    complete = true;
    if (compiled.use === "used" && compiled.cached?.complete === false) scheduleSave(save);
  }, globalObject);
  run(compiled.script, file, requireFor(file, cacheDir, scheduleSave, options.separateModules ?? {}));
  return compiled.use;
}

interface Compiled {
  readonly script: Script;
  readonly use: CodeCacheUse;
  readonly cacheFile: string | undefined;
  readonly cached: CachedCode | undefined;
}

function compile(source: ModuleSource, file: string, cacheDir: string | null): Compiled {
  const text = source.bytes.toString("utf8");
  let cacheFile: string | undefined;
  let cached: CachedCode | undefined;
  try {
    if (cacheDir !== null) {
      // Content, not path: every copy of one build (each .terraform directory, each checkout)
      // shares one cache file, so copies in ever new directories do not pile up files.
      const key = `${source.sha256}:${process.version}:${process.versions.v8}:${process.arch}`;
      cacheFile = join(cacheDir, `${CACHE_PREFIX}${hash(key)}${CACHE_SUFFIX}`);
      cached = readCache(cacheFile);
      if (cached === undefined) keepRecentCaches(cacheDir, KEPT_CACHES - 1);
    }
  } catch {
    cacheFile = undefined;
  }
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${text}\n})`, {
    filename: file,
    ...(cached === undefined ? {} : { cachedData: cached.data }),
  });
  const use: CodeCacheUse =
    cacheFile === undefined
      ? "none"
      : cached === undefined || script.cachedDataRejected === true
        ? "created"
        : "used";
  return { script, use, cacheFile, cached };
}

/** Runs a compiled CommonJS module as the file `file`; returns its exports. */
function run(script: Script, file: string, moduleRequire: NodeJS.Require): unknown {
  const wrapper = script.runInThisContext() as CommonJsWrapper;
  const module = { exports: {} };
  wrapper.call(module.exports, module.exports, moduleRequire, module, file, dirname(file));
  return module.exports;
}

/**
 * The `require` a bundle at `file` runs with: Node's, except for the separate modules, which run
 * once each with their own code cache. Those are loaded only by a process that has configured the
 * provider (the API client), so a cache one of them writes is complete from the start.
 */
function requireFor(
  file: string,
  cacheDir: string | null,
  scheduleSave: (save: () => void) => void,
  separate: Readonly<Record<string, () => ModuleSource>>,
): NodeJS.Require {
  const nodeRequire = createRequire(file);
  const loaded = new Map<string, unknown>();
  const moduleRequire = (id: string): unknown => {
    const source = separate[id];
    if (source === undefined) return nodeRequire(id);
    if (!loaded.has(id)) {
      const path = join(dirname(file), id);
      const compiled = compile(source(), path, cacheDir);
      if (compiled.use === "created")
        scheduleSave(
          () => compiled.cacheFile !== undefined && writeCache(compiled.cacheFile, compiled.script, true),
        );
      loaded.set(id, run(compiled.script, path, createRequire(path)));
    }
    return loaded.get(id);
  };
  return Object.assign(moduleRequire, nodeRequire) as NodeJS.Require;
}

/**
 * The cached V8 data, or undefined when missing or damaged. Release builds of V8 skip the payload
 * checksum, so a truncated or corrupted file could crash the process instead of being rejected:
 * verify our own checksum first, and let a mismatch be rewritten like a missing cache.
 */
function readCache(cacheFile: string): CachedCode | undefined {
  let contents: Buffer;
  try {
    contents = readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  if (contents.length <= CHECKSUM_BYTES + 1) return undefined;
  const body = contents.subarray(CHECKSUM_BYTES);
  if (!sha256(body).equals(contents.subarray(0, CHECKSUM_BYTES))) return undefined;
  return { complete: body[0] === COMPLETE, data: body.subarray(1) };
}

const CACHE_PREFIX = "code-";
const CACHE_SUFFIX = ".v8cache";
/**
 * A few builds in use side by side (projects pinned to different versions) keep their caches: two
 * files per build (the bundle's and its API client's), three builds.
 */
const KEPT_CACHES = 6;

/** Removes all but the `keep` most recently written caches: those of old builds are never read again. */
function keepRecentCaches(cacheDir: string, keep: number): void {
  const caches = readdirSync(cacheDir)
    .filter((name) => name.startsWith(CACHE_PREFIX) && name.endsWith(CACHE_SUFFIX))
    .map((name) => ({ path: join(cacheDir, name), written: statSync(join(cacheDir, name)).mtimeMs }))
    .sort((a, b) => b.written - a.written);
  for (const old of caches.slice(keep)) {
    try {
      unlinkSync(old.path);
    } catch {
      // Another provider process removed it first.
    }
  }
}

function writeCache(cacheFile: string, script: Script, complete: boolean): void {
  try {
    // Write-then-rename: concurrent provider processes never read a half-written cache.
    const temporary = `${cacheFile}.${process.pid}.tmp`;
    const body = Buffer.concat([Buffer.of(complete ? COMPLETE : PARTIAL), script.createCachedData()]);
    writeFileSync(temporary, Buffer.concat([sha256(body), body]), { mode: 0o600 });
    renameSync(temporary, cacheFile);
  } catch {
    // A missing cache only costs the next process its compile time.
  }
}
