// @ts-check
/**
 * Bundles the provider for start-up speed; `npm run build` runs it after tsc. Terraform starts the
 * provider 3-4 times per command and waits for its handshake each time (BENCHMARKS.md, "Provider
 * start-up", has the measurements behind these choices):
 * - dist/provider-bundle.js: the whole provider (src/provider/start.ts) in one file, so Node does not
 *   resolve and read hundreds of modules. Minified: with the code cache, less source to read is faster.
 * - dist/provider.js: what bin/terraform-provider-auth0roles and installed launchers require
 *   (src/provider/launch.ts); it runs the bundle with V8's code cache.
 * Stack traces map to the TypeScript sources with `NODE_OPTIONS=--enable-source-maps`; the maps are
 * not read otherwise, so they cost nothing at start-up.
 */
const path = require("node:path");
const esbuild = require("esbuild");

const ROOT = path.resolve(__dirname, "..");
const DIST = path.join(ROOT, "dist");

/** @type {import("esbuild").BuildOptions} */
const COMMON = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  minify: true,
  sourcemap: "linked",
  logLevel: "warning",
  // grpc-js requires proto-loader only for channelz and ORCA, which the provider never enables.
  external: ["@grpc/proto-loader"],
};

/** @type {readonly import("esbuild").BuildOptions[]} */
const BUNDLES = [
  {
    ...COMMON,
    entryPoints: [path.join(ROOT, "src", "provider", "start.ts")],
    outfile: path.join(DIST, "provider-bundle.js"),
  },
  {
    ...COMMON,
    entryPoints: [path.join(ROOT, "src", "provider", "launch.ts")],
    outfile: path.join(DIST, "provider.js"),
  },
];

if (require.main === module) {
  for (const options of BUNDLES) esbuild.buildSync(options);
}

module.exports = { BUNDLES };
