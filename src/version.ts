import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * This package's version. package.json is the one place it is written: the provider bundles get it
 * inlined (scripts/bundle-provider.js replaces this module), everything else reads it from the
 * package's own package.json, at the root above src/ (from source) or dist/src/ (built).
 */
export const PACKAGE_VERSION: string = readPackageVersion();

function readPackageVersion(): string {
  const root = join(__dirname, ...(__filename.endsWith(".ts") ? [".."] : ["..", ".."]));
  const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version?: unknown };
  if (typeof version !== "string") throw new Error(`${join(root, "package.json")} has no version.`);
  return version;
}
