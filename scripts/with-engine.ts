/**
 * `node scripts/run-ts.js scripts/with-engine.ts COMMAND [ARGS...]` runs COMMAND with an engine:
 * `AUTH0ROLES_TERRAFORM` when set, else `terraform` on PATH, else the newest Terraform of the
 * manifest, built first from the Go module proxy when the engine cache lacks it (`npm run demo`
 * on a machine without Terraform).
 */
import { spawnSync } from "node:child_process";
import { EngineBuildError, engineEnv, ensureEngine } from "./engines/build";
import { ENGINES } from "./engines/manifest";

async function environment(): Promise<NodeJS.ProcessEnv> {
  const onPath = spawnSync("sh", ["-c", "command -v terraform"], { stdio: "ignore" }).status === 0;
  if (process.env.AUTH0ROLES_TERRAFORM || onPath) return process.env;
  const newest = ENGINES.find((e) => e.suite === "whole");
  if (!newest) throw new Error("scripts/engines/manifest.ts names no engine for the whole suite");
  process.stderr.write(`No terraform on PATH: using Terraform ${newest.version} from \`npm run engines\`.\n`);
  return engineEnv(await ensureEngine(newest, (line) => process.stderr.write(`${line}\n`)));
}

const [command, ...args] = process.argv.slice(2);
if (command === undefined) {
  process.stderr.write("Usage: node scripts/run-ts.js scripts/with-engine.ts COMMAND [ARGS...]\n");
  process.exit(2);
}
environment().then(
  (env) => {
    process.exitCode = spawnSync(command, args, { stdio: "inherit", env }).status ?? 1;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof EngineBuildError ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
