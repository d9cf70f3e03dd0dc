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
    const stat = statSync(dir);
    // Cached code is executed: use only a directory nobody else can write to.
    if (uid !== undefined && (stat.uid !== uid || (stat.mode & 0o022) !== 0)) return null;
    return dir;
  } catch {
    return null;
  }
}

function hash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

/** Whether a run compiled from source ("none": no cache possible), wrote a new cache, or used one. */
export type CodeCacheUse = "none" | "created" | "used";

/**
 * Requires `file`, using and maintaining a code cache in `cacheDir` (null: no cache). The cache is
 * keyed by the file's path, size and mtime and by the Node version: V8 itself only checks that the
 * source length matches. A new cache is saved when `scheduleSave` calls its argument; by default at
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
    const stat = statSync(file);
    source = readFileSync(file, "utf8");
    const prefix = hash(file);
    cacheFile = join(
      cacheDir,
      `${prefix}-${hash(`${stat.size}:${stat.mtimeMs}:${process.version}:${process.arch}`)}.v8cache`,
    );
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

function readCache(cacheFile: string): Buffer | undefined {
  try {
    return readFileSync(cacheFile);
  } catch {
    return undefined;
  }
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
    writeFileSync(partial, script.createCachedData(), { mode: 0o600 });
    renameSync(partial, cacheFile);
  } catch {
    // A missing cache only costs the next process its compile time.
  }
}
