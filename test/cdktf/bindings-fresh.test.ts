import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  BINDINGS_DIR,
  type GeneratedFiles,
  generateBindings,
  readTree,
} from "../../scripts/generate-bindings";

/** Files that are missing, extra or different in `committed` compared with `fresh`. */
function staleFiles(fresh: GeneratedFiles, committed: GeneratedFiles): string[] {
  const names = [...new Set([...fresh.keys(), ...committed.keys()])].sort();
  return names.flatMap((name) => {
    if (!committed.has(name)) return [`${name} (missing)`];
    if (!fresh.has(name)) return [`${name} (no longer generated)`];
    return fresh.get(name) === committed.get(name) ? [] : [`${name} (differs)`];
  });
}

describe("generated CDKTF bindings", () => {
  let outDir: string;
  beforeAll(() => {
    outDir = mkdtempSync(join(tmpdir(), "bindings-fresh-"));
  });
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it(`in ${BINDINGS_DIR} match the provider schema`, async () => {
    await generateBindings(outDir);
    const stale = staleFiles(readTree(outDir), readTree(resolve(__dirname, "../..", BINDINGS_DIR)));
    if (stale.length > 0) {
      throw new Error(
        `The committed bindings in ${BINDINGS_DIR} are out of date with src/provider/schema.ts:\n  ${stale.join("\n  ")}\n` +
          "Run `npm run generate:bindings` and commit the result.",
      );
    }
  });
});
