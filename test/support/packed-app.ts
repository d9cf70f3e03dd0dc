import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** This repository, whose build (`npm test` builds before jest) is what gets packed. */
export const REPO = resolve(__dirname, "../..");
export const REPO_BIN = (name: string) => join(REPO, "node_modules", ".bin", name);

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion; never throws for a non-zero exit (see `ok`). */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: Readonly<Record<string, string | undefined>> },
): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", fail);
    child.on("close", (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

/** Runs a command that must succeed; its output is in the error otherwise. */
export async function ok(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: Readonly<Record<string, string | undefined>> },
): Promise<Run> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(" ")} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

/** The tarballs of this repository's packages, as `npm run pack:all` makes them. */
export interface Tarballs {
  readonly core: string;
  readonly cdktf: string;
  readonly cdktn: string;
}

export const PACKAGE_NAMES = {
  core: "auth0-org-member-roles",
  cdktf: "auth0-org-member-roles-cdktf",
  cdktn: "auth0-org-member-roles-cdktn",
} as const;

interface PackedFile {
  readonly name: string;
  readonly filename: string;
  readonly integrity: string;
  readonly files: readonly { path: string; size: number }[];
}

/** `npm run pack:all` (the core and both construct packages) of `repo` into `dest`, with npm's report. */
export async function packAll(dest: string, repo = REPO): Promise<readonly PackedFile[]> {
  const { stdout } = await ok(
    "npm",
    ["run", "--silent", "pack:all", "--", "--json", "--pack-destination", dest],
    {
      cwd: repo,
      env: process.env,
    },
  );
  return JSON.parse(stdout) as PackedFile[];
}

/**
 * The packed packages, packed once per test run: every test file of one jest run (its workers share
 * a parent process) installs the same tarballs; the first to get here packs, the others wait.
 */
export async function packThisRepository(): Promise<Tarballs> {
  const dir = join(tmpdir(), `auth0roles-packed-${process.ppid}`);
  const done = join(dir, "tarballs.json");
  try {
    mkdirSync(dir);
  } catch {
    while (!existsSync(done)) await new Promise((resolve) => setTimeout(resolve, 200));
    return JSON.parse(readFileSync(done, "utf8")) as Tarballs;
  }
  const packed = await packAll(dir);
  const file = (name: string) => join(dir, packed.find((p) => p.name === name)?.filename as string);
  const tarballs: Tarballs = {
    core: file(PACKAGE_NAMES.core),
    cdktf: file(PACKAGE_NAMES.cdktf),
    cdktn: file(PACKAGE_NAMES.cdktn),
  };
  writeFileSync(`${done}.tmp`, JSON.stringify(tarballs));
  renameSync(`${done}.tmp`, done);
  return tarballs;
}

/**
 * A fresh app project depending on `dependencies`, installed by npm from its cache (warm after this
 * repository's `npm ci`; the registry only for what is missing). `construct` adds that construct
 * package's tarball, the core always comes from its tarball (as from the registry once published).
 */
export async function createApp(
  tarballs: Tarballs,
  construct: "cdktf" | "cdktn" | undefined,
  dependencies: Readonly<Record<string, string>> = {},
): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "auth0roles-app-"));
  const core = `file:${tarballs.core}`;
  const packages =
    construct === undefined
      ? { [PACKAGE_NAMES.core]: core }
      : { [PACKAGE_NAMES[construct]]: `file:${tarballs[construct]}` };
  writeFileSync(
    join(dir, "package.json"),
    `${JSON.stringify(
      {
        name: "infrastructure",
        version: "1.0.0",
        private: true,
        dependencies: { ...dependencies, ...packages },
        ...(construct === undefined ? {} : { overrides: { [PACKAGE_NAMES.core]: core } }),
      },
      null,
      2,
    )}\n`,
  );
  await ok("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: dir,
    env: process.env,
  });
  return dir;
}

/** What a user's shell has: PATH and a HOME of its own, nothing from this machine's test setup. */
export function userEnv(home: string, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    CHECKPOINT_DISABLE: "1",
    CDKTF_DISABLE_TELEMETRY: "true",
    ...extra,
  };
}
