import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { PROVIDER_ENTRY_POINT } from "../provider/startup/entry-point";
import { PROVIDER_TYPE, PROVIDER_VERSION } from "../provider/startup/provider-names";

/**
 * The platforms the provider package is laid out for. The package is JavaScript run by the `node`
 * on PATH, so every platform gets the same bytes and one lock file serves Mac laptops and Linux
 * runners alike. Not Windows: Terraform there runs only `.exe` providers.
 */
export const PROVIDER_PLATFORMS = ["darwin_amd64", "darwin_arm64", "linux_amd64", "linux_arm64"] as const;

export const PROVIDER_EXECUTABLE = `terraform-provider-${PROVIDER_TYPE}`;

/** One file of the provider package, by its name inside the package directory. */
export interface PackageFile {
  readonly name: string;
  readonly bytes: Buffer;
  /** Unix permission bits. */
  readonly mode: number;
}

/** Terraform shows a plugin's first line of stdout when it is not the handshake, so the error goes there. */
const LAUNCHER = `#!/bin/sh
# ${PROVIDER_EXECUTABLE} ${PROVIDER_VERSION}: runs provider.js, next to this file, with the node on PATH.
if ! command -v node >/dev/null 2>&1; then
  echo "${PROVIDER_EXECUTABLE} ${PROVIDER_VERSION} needs Node.js >= 20 on PATH and found no node: install Node.js 20 or later (https://nodejs.org) and run terraform again."
  exit 1
fi
exec node "\${0%/*}/provider.js" "$@"
`;

/** The built bundles the launcher runs (scripts/bundle-provider.js writes them to dist/). */
const BUNDLES = ["provider.js", "provider-bundle.js", "axios-bundle.js"] as const;

/** The package's own dist/, where the bundles are. */
const DEFAULT_DIST_DIR = dirname(PROVIDER_ENTRY_POINT);

/**
 * The files of the provider package, identical on every machine and at every install path for a
 * given build: a POSIX launcher and the self-contained bundles. Their h1 hash is what lock files
 * record, so it changes exactly when the provider's code or version does.
 */
export function providerPackageFiles(distDir: string = DEFAULT_DIST_DIR): PackageFile[] {
  const bundles = BUNDLES.map((name) => {
    const path = join(distDir, name);
    try {
      return { name, bytes: readFileSync(path), mode: 0o644 };
    } catch {
      throw new Error(
        `The provider is not built: ${path} is missing. Run \`npm run build\` in this package.`,
      );
    }
  });
  return [{ name: PROVIDER_EXECUTABLE, bytes: Buffer.from(LAUNCHER), mode: 0o755 }, ...bundles];
}
