// @ts-check
/**
 * Deletes compiled output whose TypeScript source is gone. tsc's incremental build never removes the
 * output of a source that was moved or deleted, and `npm pack` would ship it (and a fresh clone would
 * pack different bytes). `npm run build` runs this after tsc. Only such orphans are touched, so
 * processes running the build meanwhile (tests) are not disturbed.
 */
const { existsSync, readdirSync, rmSync, rmdirSync } = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
/** Each output directory and the sources it is compiled from. */
const OUTPUTS = [
  ["dist/src", "src"],
  ["dist/examples", "examples"],
  ["packages/cdktf/dist", "packages/cdktf/src"],
  ["packages/cdktn/dist", "packages/cdktn/src"],
];
const COMPILED = /\.(d\.ts\.map|d\.ts|js\.map|js)$/;

/** @param {string} out @param {string} src */
function prune(out, src) {
  for (const entry of readdirSync(out, { withFileTypes: true })) {
    const file = path.join(out, entry.name);
    if (entry.isDirectory()) {
      prune(file, path.join(src, entry.name));
      if (readdirSync(file).length === 0) rmdirSync(file);
    } else if (
      COMPILED.test(entry.name) &&
      !existsSync(path.join(src, entry.name.replace(COMPILED, ".ts")))
    ) {
      rmSync(file);
    }
  }
}

for (const [out, src] of OUTPUTS) {
  if (existsSync(path.join(ROOT, out))) prune(path.join(ROOT, out), path.join(ROOT, src));
}
