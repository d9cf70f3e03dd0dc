/**
 * Bundles a TypeScript provider entry point into one plain .js file node can run, the way a
 * released provider would ship: no TypeScript loader needed in the spawned process.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";

export interface BundledProvider {
  /** Command line that starts the provider. */
  readonly command: readonly [string, ...string[]];
  readonly file: string;
  remove(): void;
}

export const ECHO_PROVIDER_ENTRY = join(__dirname, "fixtures", "echo-provider.ts");

export async function bundleProvider(entry: string = ECHO_PROVIDER_ENTRY): Promise<BundledProvider> {
  const dir = mkdtempSync(join(tmpdir(), "provider-fixture-"));
  const file = join(dir, "provider.js");
  try {
    await build({
      entryPoints: [entry],
      outfile: file,
      bundle: true,
      platform: "node",
      target: "node20",
      format: "cjs",
      logLevel: "warning",
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    command: [process.execPath, file],
    file,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
