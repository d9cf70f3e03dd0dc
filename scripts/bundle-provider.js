// @ts-check
/**
 * Bundles the provider for start-up speed; `npm run build` runs it after tsc. Terraform starts the
 * provider 3-4 times per command and waits for its handshake each time (BENCHMARKS.md, "Provider
 * start-up", has the measurements behind these choices):
 * - dist/provider-bundle.js: the whole provider (src/provider/startup/start.ts) in one file, so Node does not
 *   resolve and read hundreds of modules. Minified: with the code cache, less source to read is faster.
 * - dist/axios-bundle.js: axios and its dependencies, which the provider bundle requires from beside
 *   it, on ConfigureProvider (AXIOS_APART below).
 * - dist/provider.js: what bin/terraform-provider-auth0roles and the installed provider run
 *   (src/provider/startup/launch.ts); it checks the Node.js version (built for an old target, so an old Node
 *   can still say what is wrong) and runs the bundle with V8's code cache.
 * - dist/single-executable.js: the main script of the self-contained executables in the release
 *   archives (src/provider/startup/single-executable.ts), which carry the provider bundle as an asset.
 * - The version is inlined from package.json (src/version.ts is replaced), so the bundles need
 *   nothing beside them and their bytes change whenever the provider or its version does.
 * Stack traces map to the TypeScript sources with `NODE_OPTIONS=--enable-source-maps`; the maps are
 * not read otherwise, so they cost nothing at start-up.
 */
const path = require("node:path");
const esbuild = require("esbuild");

const ROOT = path.resolve(__dirname, "..");
const DIST = path.join(ROOT, "dist");
const { version } = require("../package.json");

/** Replaces src/version.ts (which reads package.json at run time) with the version itself. */
const INLINE_VERSION = {
  name: "inline-package-version",
  /** @param {import("esbuild").PluginBuild} build */
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/]version\.ts$/ }, () => ({
      contents: `export const PACKAGE_VERSION = ${JSON.stringify(version)};`,
      loader: "ts",
    }));
  },
};

/**
 * axios (with its dependencies, a third of the provider's code) is bundled apart as
 * dist/axios-bundle.js and required by that path (AXIOS_BUNDLE in src/provider/startup/entry-point.ts):
 * only processes that configure the provider load it, so the code cache every start-up reads stays
 * the start-up path's size.
 */
const AXIOS_APART = {
  name: "axios-apart",
  /** @param {import("esbuild").PluginBuild} build */
  setup(build) {
    build.onResolve({ filter: /^axios$/ }, () => ({ path: "./axios-bundle.js", external: true }));
  },
};

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
  plugins: [INLINE_VERSION],
};

/** @type {readonly import("esbuild").BuildOptions[]} */
const BUNDLES = [
  {
    ...COMMON,
    entryPoints: [path.join(ROOT, "src", "provider", "startup", "start.ts")],
    outfile: path.join(DIST, "provider-bundle.js"),
    plugins: [INLINE_VERSION, AXIOS_APART],
  },
  {
    ...COMMON,
    stdin: {
      contents: 'module.exports = require("axios");',
      resolveDir: ROOT,
      sourcefile: "axios-bundle.js",
    },
    outfile: path.join(DIST, "axios-bundle.js"),
  },
  {
    ...COMMON,
    entryPoints: [path.join(ROOT, "src", "provider", "startup", "launch.ts")],
    outfile: path.join(DIST, "provider.js"),
    // Old enough that any Node.js still found on a machine parses it and reaches the version check.
    target: "node12",
  },
  {
    ...COMMON,
    entryPoints: [path.join(ROOT, "src", "provider", "startup", "single-executable.ts")],
    outfile: path.join(DIST, "single-executable.js"),
    // Runs only on the Node.js the release archives embed (src/distribution/single-executable.ts).
    target: "node22",
    sourcemap: false,
  },
];

if (require.main === module) {
  // esbuild runs plugins only in its asynchronous API.
  Promise.all(BUNDLES.map((options) => esbuild.build(options))).catch(() => {
    process.exitCode = 1;
  });
}

module.exports = { BUNDLES };
