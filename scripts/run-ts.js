// @ts-check
/**
 * Runs one of this repository's TypeScript entry points (a benchmark, the bindings generator):
 * `node scripts/run-ts.js bench/plan.ts [args...]`. esbuild bundles it with dependencies left
 * external into node_modules/.cache, and the bundle runs in a child process with the remaining
 * arguments, so what it reads from process.argv and its exit status are its own.
 */
const { spawnSync } = require("node:child_process");
const path = require("node:path");
const esbuild = require("esbuild");

const [entry, ...args] = process.argv.slice(2);
if (entry === undefined) {
  process.stderr.write("Usage: node scripts/run-ts.js FILE.ts [args...]\n");
  process.exit(2);
}
const name = path.basename(entry, ".ts");
const outfile = path.join(
  __dirname,
  "..",
  "node_modules",
  ".cache",
  `run-${path.basename(path.dirname(entry))}-${name}.js`,
);
esbuild.buildSync({
  entryPoints: [entry],
  bundle: true,
  platform: "node",
  target: "node20",
  packages: "external",
  logLevel: "warning",
  outfile,
});
const run = spawnSync(process.execPath, [outfile, ...args], { stdio: "inherit" });
process.exitCode = run.status ?? 1;
