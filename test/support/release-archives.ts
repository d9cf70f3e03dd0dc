import { inflateRawSync } from "node:zlib";
import { type ReleaseArchive, releaseArchive } from "../../src/distribution/release";
import { RELEASE_PLATFORMS, type ReleasePlatform } from "../../src/distribution/single-executable";

/**
 * The release archive of every platform, built once per test process; `releaseArchive` keeps them
 * in the user's cache, so later test files (and `release` itself) read them instead of building.
 */
let built: Promise<Map<ReleasePlatform, ReleaseArchive>> | undefined;
export function releaseArchives(): Promise<Map<ReleasePlatform, ReleaseArchive>> {
  built ??= (async () => {
    const archives = new Map<ReleasePlatform, ReleaseArchive>();
    for (const platform of RELEASE_PLATFORMS) archives.set(platform, await releaseArchive(platform));
    return archives;
  })();
  return built;
}

/** The one file of a zip whose first entry is it (what `release` writes), by the local header. */
export function onlyEntry(zip: Buffer): { name: string; bytes: Buffer; mode: number } {
  if (zip.readUInt32LE(0) !== 0x04034b50) throw new Error("not a zip");
  const method = zip.readUInt16LE(8);
  const size = zip.readUInt32LE(18);
  const nameLength = zip.readUInt16LE(26);
  const start = 30 + nameLength + zip.readUInt16LE(28);
  const data = zip.subarray(start, start + size);
  const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), start + size);
  return {
    name: zip.toString("utf8", 30, 30 + nameLength),
    bytes: method === 8 ? inflateRawSync(data) : Buffer.from(data),
    mode: zip.readUInt32LE(central + 38) >>> 16,
  };
}
