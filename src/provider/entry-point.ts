import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

/**
 * The built provider's entry point, which installed launchers require. Next to this module once
 * built; when this module runs from source (under test), the build's copy of it.
 */
export const PROVIDER_ENTRY_POINT = existsSync(join(__dirname, "start.js"))
  ? join(__dirname, "start.js")
  : resolve(__dirname, "..", "..", "dist", "src", "provider", "start.js");
