import { execFile } from "node:child_process";
import { resolve } from "node:path";

// The built CLI, as a user runs it (`npm test` builds before jest).
export const CLI = resolve(__dirname, "../../bin/auth0-member-roles");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with exactly `env` (plus PATH), in `cwd`. */
export function runCli(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
  options: { cwd?: string; input?: string } = {},
): Promise<CliResult> {
  return new Promise((done) => {
    const child = execFile(
      CLI,
      [...args],
      {
        cwd: options.cwd,
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin", CHECKPOINT_DISABLE: "1", ...env },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) =>
        done({ code: typeof error?.code === "number" ? error.code : error ? -1 : 0, stdout, stderr }),
    );
    child.stdin?.end(options.input ?? "");
  });
}
