import { join } from "node:path";
import { privateCacheDir, requireWithCodeCache } from "./plugin/compile-cache";

// What installed launchers and bin/terraform-provider-auth0roles require once bundled as
// dist/provider.js (scripts/bundle-provider.js): runs the provider bundle next to it (start.ts)
// with V8's code cache.
requireWithCodeCache(join(__dirname, "provider-bundle.js"), privateCacheDir());
