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
        bytes.readUInt32BE(dataOffset) === 0xfade0cc0;
    }
    offset += size;
  }
  return { format: "macho", arch, segments, codeSignature };
}
