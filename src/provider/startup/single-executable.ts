import { AXIOS_BUNDLE, AXIOS_BUNDLE_SHA256_ASSET, BUNDLE_ASSET, BUNDLE_SHA256_ASSET } from "./entry-point";
import { PROVIDER_TYPE, PROVIDER_VERSION } from "./provider-names";

// The main script of the self-contained executables in the release archives (Node's single
// executable applications; src/distribution/single-executable.ts builds them). Node is inside, so
// there is no version to check. The provider bundle is an asset of the executable, run with the
// launcher's code cache (compile-cache.ts): the code cache Node can put into the executable itself
// is specific to the platform that builds it and differs from build to build, and the archives must
// be the same bytes wherever and whenever they are built.

if (process.argv[2] === "--version") {
  process.stdout.write(`terraform-provider-${PROVIDER_TYPE} ${PROVIDER_VERSION}\n`);
} else {
  const { getAsset } = require("node:sea") as typeof import("node:sea");
  const { join, dirname } = require("node:path") as typeof import("node:path");
  const { privateCacheDir, runWithCodeCache } =
    require("./compile-cache") as typeof import("./compile-cache");
  // The hash was taken at build time: the bundle cannot change inside the executable, so hashing it
  // again at every start (~1 ms) would only repeat that.
  const source = {
    bytes: Buffer.from(getAsset(BUNDLE_ASSET)),
    sha256: getAsset(BUNDLE_SHA256_ASSET, "utf8"),
  };
  const axios = () => ({
    bytes: Buffer.from(getAsset(AXIOS_BUNDLE)),
    sha256: getAsset(AXIOS_BUNDLE_SHA256_ASSET, "utf8"),
  });
  // The name stack traces show, beside the executable; no file is read from there.
  runWithCodeCache(source, join(dirname(process.execPath), BUNDLE_ASSET), privateCacheDir(), {
    separateModules: { [AXIOS_BUNDLE]: axios },
  });
}
