import * as zlib from "node:zlib";
import type { PackageFile } from "./provider-package";

/**
 * A zip archive of `files` whose bytes depend only on theirs: entries stored (not compressed, so no
 * zlib version can change the output), in the given order, dated 1980-01-01, with Unix modes so
 * the launcher stays executable when Terraform unpacks it.
 */
export function storedZip(files: readonly PackageFile[]): Buffer {
  return zipOf(files, false);
}

/**
 * storedZip, but deflated at zlib's highest level: for the self-contained executables (Node inside),
 * which stored would be three times larger. The bytes depend on the zlib of the Node.js that runs
 * the release as well as on the files: a release made again with the same Node.js matches.
 */
export function deflatedZip(files: readonly PackageFile[]): Buffer {
  return zipOf(files, true);
}

function zipOf(files: readonly PackageFile[], deflate: boolean): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const file of files) {
    const name = Buffer.from(file.name, "utf8");
    const crc = crc32(file.bytes);
    const data = deflate ? zlib.deflateRawSync(file.bytes, { level: 9 }) : file.bytes;
    const method = deflate ? 8 : 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0
    local.writeUInt16LE(0x0800, 6); // names are UTF-8
    local.writeUInt16LE(method, 8); // 0 stored, 8 deflated
    local.writeUInt16LE(0, 10); // time 00:00
    local.writeUInt16LE(DOS_DATE_1980_01_01, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(file.bytes.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, data);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, so the external attributes hold a mode
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(DOS_DATE_1980_01_01, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(file.bytes.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((REGULAR_FILE | file.mode) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const centralSize = centrals.reduce((sum, part) => sum + part.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

const DOS_DATE_1980_01_01 = (0 << 9) | (1 << 5) | 1;
const REGULAR_FILE = 0o100000;

// zlib.crc32 arrived in Node 20.15; the package supports every Node 20.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  // Node's own (>= 20.15) is much faster on a 100 MB executable; the same number either way.
  const native = (zlib as { crc32?: (data: Buffer) => number }).crc32;
  if (native !== undefined) return native(data);
  let crc = 0xffffffff;
  for (const byte of data) crc = (CRC_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
