import { createHash } from "node:crypto";

/**
 * What an executable's headers say it is, read from the bytes (ELF, 64-bit Mach-O, PE): enough to
 * check that each release archive holds a binary for its platform, and on macOS that the blob's
 * segment and a code signature are there.
 */
export interface ExecutableFormat {
  readonly format: "elf" | "macho" | "pe";
  readonly arch: "amd64" | "arm64" | "other";
  /** Mach-O only: the names of the segments. */
  readonly segments: readonly string[];
  /** Mach-O only: whether an LC_CODE_SIGNATURE load command points at signature data. */
  readonly codeSignature: boolean;
  /** Mach-O only: where LC_CODE_SIGNATURE says the signature is. */
  readonly signatureAt?: { readonly offset: number; readonly size: number };
}

const ELF_MACHINE: Record<number, ExecutableFormat["arch"]> = { 62: "amd64", 183: "arm64" };
const MACHO_CPU: Record<number, ExecutableFormat["arch"]> = { 16777223: "amd64", 16777228: "arm64" };
const PE_MACHINE: Record<number, ExecutableFormat["arch"]> = { 34404: "amd64", 43620: "arm64" };

const LC_SEGMENT_64 = 0x19;
const LC_CODE_SIGNATURE = 0x1d;

export function executableFormat(bytes: Buffer): ExecutableFormat {
  if (bytes.readUInt32BE(0) === 0x7f454c46) {
    // ELFCLASS64, little-endian: e_machine at 18.
    return {
      format: "elf",
      arch: ELF_MACHINE[bytes.readUInt16LE(18)] ?? "other",
      segments: [],
      codeSignature: false,
    };
  }
  if (bytes.readUInt32LE(0) === 0xfeedfacf) return machO(bytes);
  if (bytes.toString("latin1", 0, 2) === "MZ") {
    const pe = bytes.readUInt32LE(0x3c);
    if (bytes.readUInt32LE(pe) !== 0x00004550) throw new Error("MZ header without a PE signature");
    return {
      format: "pe",
      arch: PE_MACHINE[bytes.readUInt16LE(pe + 4)] ?? "other",
      segments: [],
      codeSignature: false,
    };
  }
  throw new Error(`not an ELF, Mach-O or PE executable (starts ${bytes.subarray(0, 4).toString("hex")})`);
}

function machO(bytes: Buffer): ExecutableFormat {
  const arch = MACHO_CPU[bytes.readUInt32LE(4)] ?? "other";
  const commands = bytes.readUInt32LE(16);
  const segments: string[] = [];
  let codeSignature = false;
  let signatureAt: ExecutableFormat["signatureAt"];
  let offset = 32; // mach_header_64
  for (let i = 0; i < commands; i++) {
    const command = bytes.readUInt32LE(offset);
    const size = bytes.readUInt32LE(offset + 4);
    if (command === LC_SEGMENT_64)
      segments.push(bytes.toString("latin1", offset + 8, offset + 24).replace(/\0+$/, ""));
    if (command === LC_CODE_SIGNATURE) {
      const dataOffset = bytes.readUInt32LE(offset + 8);
      const dataSize = bytes.readUInt32LE(offset + 12);
      // A signature is an embedded-signature SuperBlob (CSMAGIC_EMBEDDED_SIGNATURE) inside the file.
      codeSignature =
        dataSize > 0 &&
        dataOffset + dataSize <= bytes.length &&
        bytes.readUInt32BE(dataOffset) === CSMAGIC_EMBEDDED_SIGNATURE;
      signatureAt = { offset: dataOffset, size: dataSize };
    }
    offset += size;
  }
  return { format: "macho", arch, segments, codeSignature, ...(signatureAt ? { signatureAt } : {}) };
}

const CSMAGIC_EMBEDDED_SIGNATURE = 0xfade0cc0;
const CSMAGIC_CODEDIRECTORY = 0xfade0c02;
const CSSLOT_CODEDIRECTORY = 0;
const CSSLOT_REQUIREMENTS = 2;
const CS_HASHTYPE_SHA256 = 2;
const CS_ADHOC = 0x2;

/** What a Mach-O's embedded signature holds, each hash recomputed from the file's bytes. */
export interface CodeSignatureCheck {
  readonly identifier: string;
  readonly adHoc: boolean;
  /** The CodeDirectory covers the file up to the signature, exactly. */
  readonly coversUpToSignature: boolean;
  readonly pages: number;
  /** Pages whose SHA-256 differs from the CodeDirectory's (none in a valid signature). */
  readonly pagesMismatched: number;
  /** The requirements blob hashes to the CodeDirectory's special slot for it. */
  readonly requirementsMatch: boolean;
}

/**
 * The checks macOS makes of an ad hoc signature, made here from the format (Apple's code-signing
 * blobs, big-endian): the embedded-signature SuperBlob's CodeDirectory, its SHA-256 page hashes
 * against every page of the file before the signature, and the requirements slot.
 */
export function checkCodeSignature(bytes: Buffer): CodeSignatureCheck {
  const at = executableFormat(bytes).signatureAt;
  if (at === undefined) throw new Error("no LC_CODE_SIGNATURE");
  const blobs = new Map<number, Buffer>();
  const count = bytes.readUInt32BE(at.offset + 8);
  for (let i = 0; i < count; i++) {
    const index = at.offset + 12 + i * 8;
    const start = at.offset + bytes.readUInt32BE(index + 4);
    blobs.set(bytes.readUInt32BE(index), bytes.subarray(start, start + bytes.readUInt32BE(start + 4)));
  }
  const cd = blobs.get(CSSLOT_CODEDIRECTORY);
  if (cd === undefined || cd.readUInt32BE(0) !== CSMAGIC_CODEDIRECTORY) throw new Error("no CodeDirectory");
  const hashOffset = cd.readUInt32BE(16);
  const identOffset = cd.readUInt32BE(20);
  const specialSlots = cd.readUInt32BE(24);
  const codeSlots = cd.readUInt32BE(28);
  const codeLimit = cd.readUInt32BE(32);
  const hashSize = cd.readUInt8(36);
  if (cd.readUInt8(37) !== CS_HASHTYPE_SHA256 || hashSize !== 32)
    throw new Error("CodeDirectory is not SHA-256");
  const pageSize = 2 ** cd.readUInt8(39);
  const slot = (n: number) => cd.subarray(hashOffset + n * hashSize, hashOffset + (n + 1) * hashSize);
  let pagesMismatched = 0;
  for (let page = 0; page < codeSlots; page++) {
    const data = bytes.subarray(page * pageSize, Math.min((page + 1) * pageSize, codeLimit));
    if (!sha256(data).equals(slot(page))) pagesMismatched++;
  }
  const requirements = blobs.get(CSSLOT_REQUIREMENTS);
  return {
    identifier: cd.toString("latin1", identOffset, cd.indexOf(0, identOffset)),
    adHoc: (cd.readUInt32BE(12) & CS_ADHOC) !== 0,
    coversUpToSignature: codeLimit === at.offset && codeSlots === Math.ceil(codeLimit / pageSize),
    pages: codeSlots,
    pagesMismatched,
    requirementsMatch:
      requirements !== undefined &&
      specialSlots >= CSSLOT_REQUIREMENTS &&
      sha256(requirements).equals(slot(-CSSLOT_REQUIREMENTS)),
  };
}

function sha256(data: Buffer): Buffer {
  return createHash("sha256").update(data).digest();
}
