import { chmodSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  PROVIDER_HOSTNAME,
  PROVIDER_NAMESPACE,
  PROVIDER_SOURCE,
  PROVIDER_TYPE,
  PROVIDER_VERSION,
} from "../provider/startup/provider-names";
import { lockHashes } from "./hashes";
import { writeLockEntry } from "./lock-file";
import {
  type PackageFile,
  PROVIDER_EXECUTABLE,
  PROVIDER_PLATFORMS,
  providerPackageFiles,
} from "./provider-package";

/** The hashes a lock file records for this package's build. */
export function providerHashes(files: readonly PackageFile[] = providerPackageFiles()): string[] {
  return lockHashes(files);
}

export interface InstalledProvider {
  /** The mirror root to name in a CLI configuration's filesystem_mirror block. */
  readonly mirrorDir: string;
  /** The lock-file hashes of what was installed. */
  readonly hashes: readonly string[];
}

/**
 * Lays the provider out in a Terraform plugin mirror, unpacked
 * (`HOST/NAMESPACE/TYPE/VERSION/OS_ARCH/`), for every platform in PROVIDER_PLATFORMS: a copy of the
 * package's files, so the mirror needs nothing else and reads the same on every machine. Returns the
 * mirror root.
 */
export function layOutProvider(mirrorDir: string, files: readonly PackageFile[]): string {
  const root = resolve(mirrorDir);
  const versionDir = join(root, PROVIDER_HOSTNAME, PROVIDER_NAMESPACE, PROVIDER_TYPE, PROVIDER_VERSION);
  for (const platform of PROVIDER_PLATFORMS) {
    const packageDir = join(versionDir, platform);
    // Anything else in the directory would be hashed with the package.
    rmSync(packageDir, { recursive: true, force: true });
    mkdirSync(packageDir, { recursive: true });
    for (const file of files) {
      const target = join(packageDir, file.name);
      writeFileSync(target, file.bytes);
      chmodSync(target, file.mode);
    }
  }
  return root;
}

/** layOutProvider, plus the lock-file hashes of what was laid out. */
export function installProvider(
  mirrorDir: string,
  files: readonly PackageFile[] = providerPackageFiles(),
): InstalledProvider {
  return { mirrorDir: layOutProvider(mirrorDir, files), hashes: providerHashes(files) };
}

/** The installed executable for `platform` in a mirror laid out by installProvider. */
export function installedExecutable(mirrorDir: string, platform: string): string {
  return join(
    resolve(mirrorDir),
    PROVIDER_HOSTNAME,
    PROVIDER_NAMESPACE,
    PROVIDER_TYPE,
    PROVIDER_VERSION,
    platform,
    PROVIDER_EXECUTABLE,
  );
}

/**
 * Records the provider in the lock file at `lockFile` (merged with the other providers there):
 * the version pinned as the constraint, with the hashes of every platform, so `terraform init` and
 * cdktf-cli need no `terraform providers lock`, which cannot reach a registry for this provider.
 */
export function lockProvider(lockFile: string, hashes: readonly string[]): void {
  writeLockEntry(lockFile, {
    source: PROVIDER_SOURCE,
    version: PROVIDER_VERSION,
    constraints: PROVIDER_VERSION,
    hashes,
  });
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
