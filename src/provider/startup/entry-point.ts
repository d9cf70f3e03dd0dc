import { resolve } from "node:path";

/**
 * The built provider's entry point, which installed launchers require: the bundle
 * scripts/bundle-provider.js writes to dist/provider.js. This module is itself at src/provider/startup
 * (run from source, under test) or dist/src/provider/startup (built); both lead to the package's dist.
 */
export const PROVIDER_ENTRY_POINT = resolve(
  __dirname,
  "..",
  "..",
  "..",
  ...(__filename.endsWith(".ts") ? ["dist"] : []),
  "provider.js",
);

/** The main script of the self-contained executables (src/provider/startup/single-executable.ts, bundled). */
export const SINGLE_EXECUTABLE_MAIN = resolve(PROVIDER_ENTRY_POINT, "..", "single-executable.js");

/** The name of the asset in a self-contained executable that holds the provider bundle. */
export const BUNDLE_ASSET = "provider-bundle.js";

/** The asset beside it holding the bundle's sha256 (hex), taken when the executable is built. */
export const BUNDLE_SHA256_ASSET = "provider-bundle.sha256";

/**
 * axios and its dependencies, bundled apart from the provider (scripts/bundle-provider.js), which
 * requires them by this path: only a process that configures the provider loads them, so the code
 * cache every start-up reads does not carry them. In the executable it is an asset of this name.
 */
export const AXIOS_BUNDLE = "./axios-bundle.js";

/** The asset holding the axios bundle's sha256 (hex), taken when the executable is built. */
export const AXIOS_BUNDLE_SHA256_ASSET = "axios-bundle.sha256";
