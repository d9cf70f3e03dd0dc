import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  bindingsDir,
  type GeneratedFiles,
  generateBindings,
  type Library,
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

/** A test that the bindings committed for `library` are what the generator makes of the schema today. */
export function describeBindingsFreshness(library: Library): void {
  describe(`generated ${library} bindings`, () => {
    let outDir: string;
    beforeAll(() => {
      outDir = mkdtempSync(join(tmpdir(), "bindings-fresh-"));
    });
    afterAll(() => rmSync(outDir, { recursive: true, force: true }));

    it(`in ${bindingsDir(library)} match the provider schema`, async () => {
      await generateBindings(library, outDir);
      const stale = staleFiles(readTree(outDir), readTree(resolve(__dirname, "../..", bindingsDir(library))));
      if (stale.length > 0) {
        throw new Error(
          `The committed bindings in ${bindingsDir(library)} are out of date with src/provider/schema.ts:\n  ${stale.join("\n  ")}\n` +
            "Run `npm run generate:bindings` and commit the result.",
        );
      }
    });
  });
}
