import { readFileSync, writeFileSync } from "node:fs";

/** One `provider` block of a `.terraform.lock.hcl`. */
export interface LockEntry {
  readonly source: string;
  readonly version: string;
  /** The version constraint the configuration states; cdktf-cli compares it before it runs `providers lock`. */
  readonly constraints?: string;
  readonly hashes: readonly string[];
}

const HEADER = [
  '# This file is maintained automatically by "terraform init".',
  "# Manual edits may be lost in future updates.",
];

const BLOCK_START = /^provider\s+"([^"]+)"\s*\{\s*$/;

interface ParsedLockFile {
  readonly header: readonly string[];
  /** Provider address -> the block's lines, kept verbatim. */
  readonly blocks: ReadonlyMap<string, readonly string[]>;
}

/** Splits a lock file into its provider blocks; the lines before the first block are its header. */
function parseLockFile(text: string, where: string): ParsedLockFile {
  const header: string[] = [];
  const blocks = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    if (current !== undefined) {
      current.push(line);
      if (/^\}\s*$/.test(line)) current = undefined;
      continue;
    }
    const start = BLOCK_START.exec(line);
    if (start) {
      current = [line];
      blocks.set(start[1] as string, current);
    } else if (blocks.size === 0 && line.trim() !== "") {
      header.push(line);
    } else if (line.trim() !== "") {
      throw new Error(
        `${where}:${index + 1}: expected a provider block, found ${JSON.stringify(line)}. Fix or delete the lock file and run this again.`,
      );
    }
  }
  if (current !== undefined) {
    throw new Error(
      `${where}: a provider block is not closed. Fix or delete the lock file and run this again.`,
    );
  }
  return { header, blocks };
}

function renderEntry(entry: LockEntry): string[] {
  return [
    `provider ${JSON.stringify(entry.source)} {`,
    `  version     = ${JSON.stringify(entry.version)}`,
    ...(entry.constraints === undefined ? [] : [`  constraints = ${JSON.stringify(entry.constraints)}`]),
    "  hashes = [",
    ...[...new Set(entry.hashes)].sort().map((hash) => `    ${JSON.stringify(hash)},`),
    "  ]",
    "}",
  ];
}

/**
 * `existing` (a lock file's text, or undefined for none) with `entry` as the block of its provider:
 * every other provider's block is kept as it is, and blocks stay sorted by address as Terraform
 * writes them.
 */
export function mergeLockEntry(
  existing: string | undefined,
  entry: LockEntry,
  where = ".terraform.lock.hcl",
): string {
  const parsed = parseLockFile(existing ?? "", where);
  const blocks = new Map(parsed.blocks);
  blocks.set(entry.source, renderEntry(entry));
  const header = parsed.header.length > 0 ? parsed.header : HEADER;
  const body = [...blocks.keys()]
    .sort()
    .map((source) => (blocks.get(source) as readonly string[]).join("\n"));
  return `${[header.join("\n"), ...body].join("\n\n")}\n`;
}

/** Writes `entry` into the lock file at `path`, creating it or merging with what it holds. */
export function writeLockEntry(path: string, entry: LockEntry): void {
  let existing: string | undefined;
  try {
    existing = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const merged = mergeLockEntry(existing, entry, path);
  if (merged !== existing) writeFileSync(path, merged);
}
