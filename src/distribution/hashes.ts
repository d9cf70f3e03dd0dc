import { createHash } from "node:crypto";
import type { PackageFile } from "./provider-package";
import { storedZip } from "./zip";

function sha256(data: string | Buffer): Buffer {
  return createHash("sha256").update(data).digest();
}

/**
 * Terraform's `h1:` package hash (Go's dirhash Hash1): the SHA-256 of a summary listing, for every
 * file in sorted order, its SHA-256 in hex, two spaces and its path. The same for an unpacked
 * package directory and for a zip with the files at its root.
 */
export function hash1(files: readonly PackageFile[]): string {
  const names = files.map((file) => file.name);
  for (const name of names) {
    if (name.includes("\n")) throw new Error(`File name ${JSON.stringify(name)} contains a newline.`);
  }
  const summary = [...files]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((file) => `${sha256(file.bytes).toString("hex")}  ${file.name}\n`)
    .join("");
  return `h1:${sha256(summary).toString("base64")}`;
}

/** Terraform's `zh:` hash of a release archive: the SHA-256 of the zip file, in hex. */
export function zipHash(zip: Buffer): string {
  return `zh:${sha256Hex(zip)}`;
}

export function sha256Hex(data: Buffer): string {
  return sha256(data).toString("hex");
}

/**
 * The hashes a lock file records for a build: h1 of the package (the same on every platform, since
 * the bytes are) and zh of its release zip (`zip`, when already made).
 */
export function lockHashes(files: readonly PackageFile[], zip: Buffer = storedZip(files)): string[] {
  return [hash1(files), zipHash(zip)];
}
