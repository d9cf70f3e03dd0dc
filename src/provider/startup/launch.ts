import { PROVIDER_TYPE, PROVIDER_VERSION } from "./provider-names";

// What the provider executable runs once bundled as provider.js (scripts/bundle-provider.js): it
// checks the Node.js it runs on, then runs the provider bundle next to it (start.ts) with V8's code
// cache. The bundle is built for an old target, so an old Node gets this far and can say so.

const MINIMUM_NODE_MAJOR = 20;
const nodeMajor = Number(process.versions.node.split(".")[0]);

if (process.argv[2] === "--version") {
  process.stdout.write(`terraform-provider-${PROVIDER_TYPE} ${PROVIDER_VERSION}\n`);
} else if (nodeMajor < MINIMUM_NODE_MAJOR) {
  // Terraform shows a plugin's first line of stdout when it is not the handshake: one line, on stdout.
  process.stdout.write(
    `terraform-provider-${PROVIDER_TYPE} ${PROVIDER_VERSION} needs Node.js >= ${MINIMUM_NODE_MAJOR}, but the node on PATH is ${process.version} (${process.execPath}): install Node.js ${MINIMUM_NODE_MAJOR} or later and put it first on PATH.\n`,
  );
  process.exitCode = 1;
} else {
  // Loaded only here: its code needs a Node.js the check above has vouched for.
  const { fileSource, privateCacheDir, requireWithCodeCache } =
    require("./compile-cache") as typeof import("./compile-cache");
  const { join } = require("node:path") as typeof import("node:path");
  const { readFileSync } = require("node:fs") as typeof import("node:fs");
  const { AXIOS_BUNDLE } = require("./entry-point") as typeof import("./entry-point");
  requireWithCodeCache(join(__dirname, "provider-bundle.js"), privateCacheDir(), {
    separateModules: { [AXIOS_BUNDLE]: () => fileSource(readFileSync(join(__dirname, AXIOS_BUNDLE))) },
  });
}
