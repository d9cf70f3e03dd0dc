import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
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

/** `npm pack` of this repository into a fresh directory: the tarball a user installs. */
export async function packThisPackage(): Promise<string> {
  const dest = mkdtempSync(join(tmpdir(), "auth0roles-pack-"));
  const { stdout } = await ok("npm", ["pack", "--silent", "--pack-destination", dest], {
    cwd: REPO,
    env: process.env,
  });
  return join(dest, stdout.trim().split("\n").pop() as string);
}

/**
 * A fresh app project depending on `dependencies` (the tarball among them), installed by npm from
 * its cache (warm after this repository's `npm ci`; the registry only for what is missing).
 */
export async function createApp(dependencies: Readonly<Record<string, string>>): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "auth0roles-app-"));
  writeFileSync(
    join(dir, "package.json"),
    `${JSON.stringify({ name: "infrastructure", version: "1.0.0", private: true, dependencies }, null, 2)}\n`,
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
