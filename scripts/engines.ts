/**
 * `npm run engines`: builds the engines of scripts/engines/manifest.ts that the cache lacks, reuses
 * the others, and prints one line per engine: `<name> <version> <absolute path>`.
 * `npm run engines -- --check-newer` also says which newer 1.x versions the Go module proxy serves.
 */
import { EngineBuildError, ensureEngines } from "./engines/build";
import { newerServed } from "./engines/newer";

async function main(): Promise<void> {
  const engines = await ensureEngines((line) => process.stderr.write(`${line}\n`));
  for (const { spec, path } of engines) process.stdout.write(`${spec.name} ${spec.version} ${path}\n`);
  if (process.argv.includes("--check-newer")) {
    for (const line of await newerServed()) process.stderr.write(`${line}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof EngineBuildError ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
