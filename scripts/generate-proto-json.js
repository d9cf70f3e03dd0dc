// @ts-check
/**
 * Converts the project's .proto files into protobufjs JSON descriptors committed next to them.
 * The provider reads the JSON (src/provider/protocol/service-definitions.ts) because parsing .proto text costs time on every one of
 * the 3-4 provider processes each Terraform command starts.
 *
 * Run after editing a .proto: `node scripts/generate-proto-json.js`
 * A jest test (test/provider/protocol/descriptors.test.ts) fails when a committed JSON is stale.
 */
const fs = require("node:fs");
const path = require("node:path");
const protobuf = require("protobufjs");

const ROOT = path.resolve(__dirname, "..");

/** The .proto files, relative to the repository root; each gets a `.json` sibling. */
const PROTO_FILES = [
  "src/provider/protocol/tfplugin6.proto",
  "src/provider/plugin/go-plugin.proto",
  "src/provider/plugin/health.proto",
];

/** @param {string} protoFile repository-relative path of a .proto file */
function descriptorPathFor(protoFile) {
  return path.join(ROOT, protoFile.replace(/\.proto$/, ".json"));
}

/**
 * The descriptor text for one .proto file, exactly as it is committed.
 * @param {string} protoFile repository-relative path of a .proto file
 */
function descriptorText(protoFile) {
  // keepCase: field names stay snake_case as declared, as messages.ts and the services expect.
  const root = new protobuf.Root().loadSync(path.join(ROOT, protoFile), { keepCase: true });
  return `${JSON.stringify(root.toJSON(), null, 2)}\n`;
}

function main() {
  for (const protoFile of PROTO_FILES) {
    const target = descriptorPathFor(protoFile);
    fs.writeFileSync(target, descriptorText(protoFile));
    process.stderr.write(`wrote ${path.relative(ROOT, target)}\n`);
  }
}

if (require.main === module) {
  main();
}

module.exports = { PROTO_FILES, descriptorPathFor, descriptorText };
