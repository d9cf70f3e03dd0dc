/**
 * Generates the bindings of every resource and data source in the provider's own schema into each
 * construct package: cdktf (packages/cdktf/src/generated, with @cdktf/provider-generator) and cdktn
 * (packages/cdktn/src/generated, with @cdktn/provider-generator), so no `cdktf get` (and no
 * installable provider or `terraform init`) is needed.
 *
 * Run it with `npm run generate:bindings`; packages/cdktf/test/bindings-fresh.test.ts and
 * packages/cdktn/test/bindings-fresh.test.ts fail when the committed bindings differ from what this
 * produces.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import * as ts from "typescript";
import { terraformSchemaJson } from "../src/provider/schema-json";
import { PROVIDER_TYPE } from "../src/provider/startup/provider-names";

/** The construct libraries bindings are generated for. */
export type Library = "cdktf" | "cdktn";
export const LIBRARIES: readonly Library[] = ["cdktf", "cdktn"];

export const bindingsDir = (library: Library) => `packages/${library}/src/generated`;

/** Relative path (with `/` separators) -> file content, in a stable order. */
export type GeneratedFiles = ReadonlyMap<string, string>;

type ProviderGenerator = typeof import("@cdktf/provider-generator");
type GeneratorSchema = Parameters<ProviderGenerator["generateProviderBindingsFromSchema"]>[1];

// Both generators have the same entry point; they differ in the library the output imports.
async function loadGenerator(library: Library): Promise<ProviderGenerator> {
  return library === "cdktf"
    ? import("@cdktf/provider-generator")
    : ((await import("@cdktn/provider-generator")) as unknown as ProviderGenerator);
}

/** Produces the bindings in memory: what belongs in bindingsDir(library), nothing written there. */
export async function renderBindings(library: Library): Promise<GeneratedFiles> {
  // @cdktf/commons (and @cdktn/commons) run `terraform version` when loaded and report telemetry
  // unless CHECKPOINT_DISABLE is set, so it must be set before a generator is first loaded.
  process.env.CHECKPOINT_DISABLE = "1";
  const { generateProviderBindingsFromSchema } = await loadGenerator(library);

  const workDir = mkdtempSync(join(tmpdir(), "auth0roles-bindings-"));
  try {
    // The generator declares a narrower type than `terraform providers schema -json` prints
    // (format_version "1.0", block_types omitted when empty); at run time it reads that shape fine.
    await generateProviderBindingsFromSchema(workDir, terraformSchemaJson() as unknown as GeneratorSchema);
    const providerDir = join(workDir, "providers", PROVIDER_TYPE);
    return addMissingOverrideModifiers(providerDir, readTree(providerDir), library);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** Replaces everything in `outDir` with freshly generated bindings (stale files go too). */
export async function generateBindings(library: Library, outDir: string): Promise<GeneratedFiles> {
  const files = await renderBindings(library);
  rmSync(outDir, { recursive: true, force: true });
  for (const [file, content] of files) {
    const target = join(outDir, ...file.split("/"));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  return files;
}

/** Every file under `dir`, keyed by its `/`-separated relative path, sorted. */
export function readTree(dir: string): GeneratedFiles {
  const paths = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join("/"))
    .sort();
  return new Map(paths.map((file) => [file, readFileSync(join(dir, file), "utf8")]));
}

// TS4114/TS4116: "This member must have an 'override' modifier ...". The generator omits the
// modifier, and our tsconfig has noImplicitOverride; adding it keeps the generated code under the
// same strict checks as the rest of the project instead of exempting it with @ts-nocheck.
const MISSING_OVERRIDE = new Set([4114, 4116]);

/**
 * Adds `override` exactly where the type checker says a member overrides one of the base class
 * (TerraformResource / TerraformProvider), so new schema attributes that shadow base
 * members (like a provider's `alias`) are handled without a hand-kept list.
 */
function addMissingOverrideModifiers(dir: string, files: GeneratedFiles, library: Library): GeneratedFiles {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    strict: true,
    noImplicitOverride: true,
    skipLibCheck: true,
    noEmit: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  // The files sit in a temp dir with no node_modules above it: resolve the library and
  // `constructs` from where this project has them installed.
  const anchor = require.resolve(library);
  host.resolveModuleNameLiterals = (literals, containingFile) =>
    literals.map((literal) => {
      const local = ts.resolveModuleName(literal.text, containingFile, options, host);
      return local.resolvedModule ? local : ts.resolveModuleName(literal.text, anchor, options, host);
    });

  const tsFiles = [...files.keys()].filter((file) => file.endsWith(".ts"));
  const program = ts.createProgram(
    tsFiles.map((file) => join(dir, file)),
    options,
    host,
  );

  const result = new Map(files);
  for (const file of tsFiles) {
    const sourceFile = program.getSourceFile(join(dir, file));
    if (!sourceFile) throw new Error(`TypeScript did not load the generated file ${file}`);
    const insertAt = program
      .getSemanticDiagnostics(sourceFile)
      .filter((d) => MISSING_OVERRIDE.has(d.code) && d.start !== undefined)
      .map((d) => overrideInsertionPoint(sourceFile, d.start as number));
    // Insert back to front so earlier offsets stay valid.
    let text = sourceFile.text;
    for (const position of [...new Set(insertAt)].sort((a, b) => b - a)) {
      text = `${text.slice(0, position)} override${text.slice(position)}`;
    }
    result.set(file, text);
  }
  return result;
}

/** Offset right after the member's last modifier (`public`, `protected`, ...), where `override` goes. */
function overrideInsertionPoint(sourceFile: ts.SourceFile, position: number): number {
  let node: ts.Node | undefined = findInnermostNode(sourceFile, position);
  while (node && !ts.isClassElement(node)) node = node.parent;
  const modifiers = node && ts.canHaveModifiers(node) ? ts.getModifiers(node) : undefined;
  const last = modifiers?.[modifiers.length - 1];
  if (!last) {
    throw new Error(
      `Cannot place 'override' at offset ${position} of ${sourceFile.fileName}: the generator's output changed shape; update scripts/generate-bindings.ts.`,
    );
  }
  return last.end;
}

function findInnermostNode(node: ts.Node, position: number): ts.Node {
  const child = node.getChildren().find((c) => c.getStart() <= position && position < c.getEnd());
  return child ? findInnermostNode(child, position) : node;
}

async function main(): Promise<void> {
  for (const library of LIBRARIES) {
    const outDir = resolve(bindingsDir(library));
    const files = await generateBindings(library, outDir);
    process.stdout.write(`Wrote ${files.size} files to ${relative(process.cwd(), outDir) || "."}\n`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `generate-bindings failed: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exitCode = 1;
  });
}
