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
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Script } from "node:vm";

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

/** A cache file is the sha256 of the V8 data followed by the data itself. */
const CHECKSUM_BYTES = 32;

/** Whether a run compiled from source ("none": no cache possible), wrote a new cache, or used one. */
export type CodeCacheUse = "none" | "created" | "used";

/**
 * Requires `file`, using and maintaining a code cache in `cacheDir` (null: no cache). The cache is
 * keyed by the sha256 of the file's content and by the Node and V8 versions: V8 itself only checks
 * that the source length matches, and size + mtime miss rebuilds copied with preserved timestamps
 * (cp -p, rsync -a, Docker COPY, reproducible builds). Hashing the ~750 KB bundle costs ~1 ms.
 * A new cache is saved when `scheduleSave` calls its argument; by default at
 * exit, when it also holds the functions this run compiled lazily, which the next process needs
 * too. It is written once per build, so only that first exit pays for it.
 */
export function requireWithCodeCache(
  file: string,
  cacheDir: string | null,
  scheduleSave: (save: () => void) => void = (save) => process.once("exit", save),
): CodeCacheUse {
  // Node maps stack traces through source maps only for modules it loads itself.
  if (cacheDir === null || process.sourceMapsEnabled) {
    require(file);
    return "none";
  }
  let source: string;
  let cacheFile: string;
  let cachedData: Buffer | undefined;
  try {
    const bytes = readFileSync(file);
    source = bytes.toString("utf8");
    const key = `${sha256(bytes).toString("hex")}:${process.version}:${process.versions.v8}:${process.arch}`;
    // The path prefix lets a new build find and remove the caches of earlier ones.
    const prefix = hash(file);
    cacheFile = join(cacheDir, `${prefix}-${hash(key)}.v8cache`);
    cachedData = readCache(cacheFile);
    if (cachedData === undefined) removeStale(cacheDir, prefix);
  } catch {
    require(file);
    return "none";
  }

  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    ...(cachedData === undefined ? {} : { cachedData }),
  });
  const use: CodeCacheUse =
    cachedData === undefined || script.cachedDataRejected === true ? "created" : "used";
  if (use === "created") scheduleSave(() => writeCache(cacheFile, script));
  const wrapper = script.runInThisContext() as CommonJsWrapper;
  const module = { exports: {} };
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  return use;
}

/**
 * The cached V8 data, or undefined when missing or damaged. Release builds of V8 skip the payload
 * checksum, so a truncated or corrupted file could crash the process instead of being rejected:
 * verify our own checksum first, and let a mismatch be rewritten like a missing cache.
 */
function readCache(cacheFile: string): Buffer | undefined {
  let contents: Buffer;
  try {
    contents = readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  if (contents.length <= CHECKSUM_BYTES) return undefined;
  const data = contents.subarray(CHECKSUM_BYTES);
  return sha256(data).equals(contents.subarray(0, CHECKSUM_BYTES)) ? data : undefined;
}

/** Caches of earlier builds of the same file are never read again. */
function removeStale(cacheDir: string, prefix: string): void {
  for (const name of readdirSync(cacheDir)) {
    if (name.startsWith(`${prefix}-`)) unlinkSync(join(cacheDir, name));
  }
}

function writeCache(cacheFile: string, script: Script): void {
  try {
    // Write-then-rename: concurrent provider processes never read a half-written cache.
    const partial = `${cacheFile}.${process.pid}.tmp`;
    const data = script.createCachedData();
    writeFileSync(partial, Buffer.concat([sha256(data), data]), { mode: 0o600 });
    renameSync(partial, cacheFile);
  } catch {
    // A missing cache only costs the next process its compile time.
  }
}
