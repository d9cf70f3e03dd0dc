import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  PROVIDER_HOSTNAME,
  PROVIDER_NAMESPACE,
  PROVIDER_TYPE,
  PROVIDER_VERSION,
} from "../provider/startup/provider-names";
import { lockHashes, sha256Hex } from "./hashes";
import { type PackageFile, PROVIDER_PLATFORMS, providerPackageFiles } from "./provider-package";
import { storedZip } from "./zip";

export interface Release {
  /** Where index.json, `<version>.json`, the zips and SHA256SUMS are: `OUT/HOST/NAMESPACE/TYPE`. */
  readonly providerDir: string;
  readonly files: readonly string[];
}

const archiveName = (platform: string) =>
  `terraform-provider-${PROVIDER_TYPE}_${PROVIDER_VERSION}_${platform}.zip`;

/**
 * Writes what a team uploads to an internal HTTPS host to serve the provider as a Terraform network
 * mirror (`provider_installation { network_mirror { url = "https://host/" } }`):
 * `OUT/HOST/NAMESPACE/TYPE/` holds index.json, `<version>.json` with each archive's h1 and zh
 * hashes, one zip per platform, and SHA256SUMS. The same directory is also a packed
 * filesystem mirror. Every byte depends only on the build.
 */
export function writeRelease(
  outDir: string,
  files: readonly PackageFile[] = providerPackageFiles(),
): Release {
  const providerDir = join(resolve(outDir), PROVIDER_HOSTNAME, PROVIDER_NAMESPACE, PROVIDER_TYPE);
  // Read before anything is written: a bad index.json stops the release with nothing half-done.
  const versions = { ...earlierVersions(join(providerDir, "index.json")), [PROVIDER_VERSION]: {} };
  mkdirSync(providerDir, { recursive: true });
  const zip = storedZip(files);
  const hashes = lockHashes(files, zip);
  const zipSha256 = sha256Hex(zip);
  const written: string[] = [];
  const write = (name: string, content: string | Buffer) => {
    writeFileSync(join(providerDir, name), content);
    written.push(name);
  };

  const archives: Record<string, { url: string; hashes: string[] }> = {};
  const sums: string[] = [];
  for (const platform of PROVIDER_PLATFORMS) {
    const name = archiveName(platform);
    write(name, zip);
    archives[platform] = { url: name, hashes };
    sums.push(`${zipSha256}  ${name}\n`);
  }
  write(`terraform-provider-${PROVIDER_TYPE}_${PROVIDER_VERSION}_SHA256SUMS`, sums.join(""));
  write(`${PROVIDER_VERSION}.json`, `${JSON.stringify({ archives }, null, 2)}\n`);
  write("index.json", `${JSON.stringify({ versions }, null, 2)}\n`);
  return { providerDir, files: written };
}

/** Versions an index.json already in the output lists: releasing into the same directory adds a version. */
function earlierVersions(indexFile: string): Record<string, object> {
  let text: string;
  try {
    text = readFileSync(indexFile, "utf8");
  } catch {
    return {};
  }
  let index: { versions?: Record<string, object> } | null;
  try {
    index = JSON.parse(text) as { versions?: Record<string, object> } | null;
  } catch {
    index = null;
  }
  if (typeof index?.versions !== "object" || index.versions === null || Array.isArray(index.versions)) {
    throw new Error(
      `${indexFile} is not a network mirror index (not JSON with a "versions" object): remove it or release into another directory.`,
    );
  }
  return index.versions;
}
