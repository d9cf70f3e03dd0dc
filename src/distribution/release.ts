import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  PROVIDER_HOSTNAME,
  PROVIDER_NAMESPACE,
  PROVIDER_TYPE,
  PROVIDER_VERSION,
} from "../provider/startup/provider-names";
import { hash1, sha256Hex, zipHash } from "./hashes";
import { releaseCacheDir } from "./npm-download";
import {
  buildExecutable,
  EMBEDDED_NODE_VERSION,
  executableName,
  postjectVersion,
  RELEASE_PLATFORMS,
  type ReleasePlatform,
  singleExecutableBlob,
  toolsOf,
} from "./single-executable";
import { deflatedZip } from "./zip";

export interface Release {
  /** Where index.json, `<version>.json`, the zips and SHA256SUMS are: `OUT/HOST/NAMESPACE/TYPE`. */
  readonly providerDir: string;
  readonly files: readonly string[];
}

const archiveName = (platform: string) =>
  `terraform-provider-${PROVIDER_TYPE}_${PROVIDER_VERSION}_${platform}.zip`;

/** One platform's release archive and the lock-file hashes of it. */
export interface ReleaseArchive {
  readonly zip: Buffer;
  readonly hashes: readonly string[];
}

/**
 * Writes what a team uploads to an internal HTTPS host to serve the provider as a Terraform network
 * mirror (`provider_installation { network_mirror { url = "https://host/" } }`):
 * `OUT/HOST/NAMESPACE/TYPE/` holds index.json, `<version>.json` with each archive's h1 and zh
 * hashes, one zip per platform, each holding one self-contained executable (Node inside), and
 * SHA256SUMS. The same directory is also a packed filesystem mirror. Every byte depends only on the
 * build (and the zlib of the Node.js running the release).
 */
export async function writeRelease(
  outDir: string,
  archive: (platform: ReleasePlatform) => Promise<ReleaseArchive> = releaseArchive,
): Promise<Release> {
  const providerDir = join(resolve(outDir), PROVIDER_HOSTNAME, PROVIDER_NAMESPACE, PROVIDER_TYPE);
  // Read before anything is written: a bad index.json stops the release with nothing half-done.
  const versions = { ...earlierVersions(join(providerDir, "index.json")), [PROVIDER_VERSION]: {} };
  const built = new Map<ReleasePlatform, ReleaseArchive>();
  for (const platform of RELEASE_PLATFORMS) built.set(platform, await archive(platform));
  mkdirSync(providerDir, { recursive: true });
  const written: string[] = [];
  const write = (name: string, content: string | Buffer) => {
    writeFileSync(join(providerDir, name), content);
    written.push(name);
  };

  const archives: Record<string, { url: string; hashes: readonly string[] }> = {};
  const sums: string[] = [];
  for (const [platform, { zip, hashes }] of built) {
    const name = archiveName(platform);
    write(name, zip);
    archives[platform] = { url: name, hashes };
    sums.push(`${sha256Hex(zip)}  ${name}\n`);
  }
  write(`terraform-provider-${PROVIDER_TYPE}_${PROVIDER_VERSION}_SHA256SUMS`, sums.join(""));
  write(`${PROVIDER_VERSION}.json`, `${JSON.stringify({ archives }, null, 2)}\n`);
  write("index.json", `${JSON.stringify({ versions }, null, 2)}\n`);
  return { providerDir, files: written };
}

/**
 * Builds `platform`'s archive, or reads it from the cache, where it is kept under the sha256 of
 * everything it is made of (the blob, which holds the provider bundle; the Node.js and postject
 * versions), so a second release of one build (another test, a warm CI run) builds nothing.
 */
export async function releaseArchive(platform: ReleasePlatform): Promise<ReleaseArchive> {
  const blob = cachedBlob();
  const key = sha256Hex(Buffer.concat([blob, Buffer.from(`\0${platform}\0${buildTools(platform)}`)]));
  const cached = join(releaseCacheDir(), "archives", key);
  if (!existsSync(join(cached, "h1"))) {
    const files = [
      { name: executableName(platform), bytes: await buildExecutable(platform, blob), mode: 0o755 },
    ];
    mkdirSync(cached, { recursive: true });
    writeFileSync(join(cached, "archive.zip"), deflatedZip(files));
    // Written last, under a temporary name first: its presence says the archive is complete.
    writeFileSync(join(cached, `h1.${process.pid}`), hash1(files));
    renameSync(join(cached, `h1.${process.pid}`), join(cached, "h1"));
  }
  const zip = readFileSync(join(cached, "archive.zip"));
  return { zip, hashes: [readFileSync(join(cached, "h1"), "utf8"), zipHash(zip)] };
}

const toolsOfThisProcess = new Map<ReleasePlatform, string>();
/**
 * What builds `platform`'s executable besides the blob: the Node.js, postject, signer and zlib
 * versions. Asked once per process and platform (the signer's version is a process to run).
 */
function buildTools(platform: ReleasePlatform): string {
  let tools = toolsOfThisProcess.get(platform);
  if (tools === undefined) {
    tools = `${EMBEDDED_NODE_VERSION}\0${postjectVersion()}\0${toolsOf(platform)}\0${process.versions.zlib}`;
    toolsOfThisProcess.set(platform, tools);
  }
  return tools;
}

let blobOfThisProcess: Buffer | undefined;
/** The blob is the same for every platform: made once per process. */
function cachedBlob(): Buffer {
  blobOfThisProcess ??= singleExecutableBlob();
  return blobOfThisProcess;
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

/**
 * Every hash of the archives of this version in the release at `outDir` (what `release --out`
 * wrote), for the lock file of a configuration that installs from it.
 */
export function releaseHashes(outDir: string): string[] {
  const document = join(
    resolve(outDir),
    PROVIDER_HOSTNAME,
    PROVIDER_NAMESPACE,
    PROVIDER_TYPE,
    `${PROVIDER_VERSION}.json`,
  );
  let archives: unknown;
  try {
    archives = (JSON.parse(readFileSync(document, "utf8")) as { archives?: unknown }).archives;
  } catch {
    archives = undefined;
  }
  const hashes =
    typeof archives === "object" && archives !== null
      ? Object.values(archives).flatMap((archive: { hashes?: unknown }) =>
          Array.isArray(archive?.hashes) ? archive.hashes : [],
        )
      : [];
  if (hashes.length === 0 || !hashes.every((hash) => typeof hash === "string" && /^(h1|zh):/.test(hash)))
    throw new Error(
      `${document} is not the release of ${PROVIDER_VERSION}: run \`auth0-member-roles release --out ${outDir}\` first.`,
    );
  return hashes as string[];
}
