import { chmodSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  PROVIDER_HOSTNAME,
  PROVIDER_NAMESPACE,
  PROVIDER_SOURCE,
  PROVIDER_TYPE,
  PROVIDER_VERSION,
} from "./identity";

// Not Windows: Terraform there runs only .exe providers, and the launcher is a `#!/usr/bin/env node` script.
const OS: Partial<Record<NodeJS.Platform, string>> = { linux: "linux", darwin: "darwin", freebsd: "freebsd" };
const ARCH: Partial<Record<string, string>> = { x64: "amd64", arm64: "arm64", ia32: "386", arm: "arm" };

/** Terraform's name for this machine's platform, e.g. `linux_amd64`. */
export function terraformPlatform(): string {
  const os = OS[process.platform];
  const arch = ARCH[process.arch];
  if (!os || !arch)
    throw new Error(`Terraform has no provider platform for ${process.platform}/${process.arch}.`);
  return `${os}_${arch}`;
}

export interface InstalledProvider {
  /** The mirror root to name in a CLI configuration's filesystem_mirror block. */
  readonly mirrorDir: string;
  readonly executable: string;
}

/**
 * Lays the provider out in a Terraform plugin mirror
 * (`HOST/NAMESPACE/TYPE/VERSION/OS_ARCH/terraform-provider-TYPE`). The executable is a two-line
 * launcher pointing at this package's entry point, so the mirror stays valid while the package is
 * rebuilt; Terraform's lock file hashes the launcher, which changes only when the package moves.
 */
export function installProvider(mirrorDir: string, entryPoint: string): InstalledProvider {
  const root = resolve(mirrorDir);
  const packageDir = join(
    root,
    PROVIDER_HOSTNAME,
    PROVIDER_NAMESPACE,
    PROVIDER_TYPE,
    PROVIDER_VERSION,
    terraformPlatform(),
  );
  rmSync(packageDir, { recursive: true, force: true });
  mkdirSync(packageDir, { recursive: true });
  const executable = join(packageDir, `terraform-provider-${PROVIDER_TYPE}`);
  writeFileSync(executable, `#!/usr/bin/env node\nrequire(${JSON.stringify(resolve(entryPoint))});\n`);
  chmodSync(executable, 0o755);
  return { mirrorDir: root, executable };
}

/** A Terraform CLI configuration that installs this provider from the mirror and everything else as usual. */
export function cliConfigFor(mirrorDir: string): string {
  return [
    "provider_installation {",
    "  filesystem_mirror {",
    `    path    = ${JSON.stringify(resolve(mirrorDir))}`,
    `    include = [${JSON.stringify(PROVIDER_SOURCE)}]`,
    "  }",
    "  direct {",
    `    exclude = [${JSON.stringify(PROVIDER_SOURCE)}]`,
    "  }",
    "}",
    "",
  ].join("\n");
}
