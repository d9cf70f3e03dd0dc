import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { installProvider } from "../../src/distribution/mirror";
import { providerPackageFiles } from "../../src/distribution/provider-package";
import { type RunResult, TerraformWorkspace } from "../../test/support/terraform";

/** Terraform's default; the benchmarks keep it (users rarely change it, and pacing must cope with it). */
export const PARALLELISM = 10;

export interface TimedRun extends RunResult {
  readonly ms: number;
}

// npm runs scripts from the package root.
const BUILT_ENTRY_POINT_MODULE = resolve("dist", "src", "provider", "startup", "entry-point.js");

/**
 * The built provider's entry point, as the build itself names it. (The bundled benchmark cannot ask
 * src/provider/startup/entry-point: it locates dist/ from its own file, which bundling moves.)
 */
function builtEntryPoint(): string {
  if (!existsSync(BUILT_ENTRY_POINT_MODULE)) {
    throw new Error(`No build at ${BUILT_ENTRY_POINT_MODULE}: run \`npm run build\` first.`);
  }
  const entryPoint = (require(BUILT_ENTRY_POINT_MODULE) as { PROVIDER_ENTRY_POINT: string })
    .PROVIDER_ENTRY_POINT;
  if (!existsSync(entryPoint))
    throw new Error(`No built provider at ${entryPoint}: run \`npm run build\` first.`);
  return entryPoint;
}

let snapshot: string | undefined;

/**
 * The entry point of a private copy of dist/, taken on first use and removed when the process exits.
 * Terraform loads the provider afresh for every command, so benchmarks that drove dist/ itself would
 * mix builds whenever something rebuilt it (another `npm run build`) during their minutes of runs.
 * The copy sits under node_modules/.cache so that the provider still resolves the project's packages.
 */
export function builtProvider(): string {
  if (snapshot !== undefined) return snapshot;
  const entryPoint = builtEntryPoint();
  const dist = resolve("dist");
  if (relative(dist, entryPoint).startsWith("..")) throw new Error(`${entryPoint} is not in ${dist}.`);
  mkdirSync(resolve("node_modules", ".cache"), { recursive: true });
  const copy = mkdtempSync(join(resolve("node_modules", ".cache"), "bench-dist-"));
  cpSync(dist, copy, { recursive: true });
  process.on("exit", () => rmSync(copy, { recursive: true, force: true }));
  snapshot = join(copy, relative(dist, entryPoint));
  return snapshot;
}

/**
 * test/support's workspace, given the built provider (or the build in `distDir`) through the implied
 * local mirror of its working directory (`terraform.d/plugins`), and removed with it on dispose.
 */
export class BenchWorkspace extends TerraformWorkspace {
  constructor(distDir: string = dirname(builtProvider())) {
    super({}, { stackDir: mkdtempSync(join(tmpdir(), "auth0roles-bench-")) });
    installProvider(join(this.dir, "terraform.d", "plugins"), providerPackageFiles(distDir));
  }

  override dispose(): void {
    super.dispose();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A workspace holding `config`, initialized (with the build in `distDir`, default this checkout's). */
export async function initWorkspace(config: object, distDir?: string): Promise<BenchWorkspace> {
  const ws = new BenchWorkspace(distDir);
  ws.writeConfig(config);
  await ws.init();
  return ws;
}

/** Wall time of one terraform command, process start to exit. */
export async function timed(
  ws: BenchWorkspace,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<TimedRun> {
  const start = performance.now();
  const result = await ws.run(args, env);
  return { ...result, ms: performance.now() - start };
}

/** `terraform plan` on the applied state; exit code 0 = no changes, 2 = changes, 1 = error. */
export function timedPlan(
  ws: BenchWorkspace,
  env: Readonly<Record<string, string>> = {},
  parallelism: number = PARALLELISM,
) {
  return timed(
    ws,
    ["plan", "-no-color", "-input=false", "-detailed-exitcode", `-parallelism=${parallelism}`],
    env,
  );
}

export function timedApply(ws: BenchWorkspace, env: Readonly<Record<string, string>> = {}) {
  return timed(
    ws,
    ["apply", "-no-color", "-input=false", "-auto-approve", `-parallelism=${PARALLELISM}`],
    env,
  );
}

/** Throws with terraform's output unless the run exited with one of `codes`. */
export function expectExit(run: RunResult, what: string, codes: readonly number[] = [0]): void {
  if (!codes.includes(run.code)) {
    const tail = (text: string) => text.split("\n").slice(-40).join("\n");
    throw new Error(`${what} exited ${run.code}\n${tail(run.stdout)}\n${tail(run.stderr)}`);
  }
}

/** Forgets everything applied (local state), so the next apply creates every resource again. */
export function resetState(ws: BenchWorkspace): void {
  for (const file of ["terraform.tfstate", "terraform.tfstate.backup"]) {
    rmSync(join(ws.dir, file), { force: true });
  }
}

/** Provider block attributes of the built provider, as terraform sees them (after init). */
export async function providerAttributes(ws: BenchWorkspace): Promise<Set<string>> {
  const { stdout } = await ws.ok(["providers", "schema", "-json", "-no-color"]);
  const schema = JSON.parse(stdout) as {
    provider_schemas?: Record<string, { provider?: { block?: { attributes?: Record<string, unknown> } } }>;
  };
  const names = new Set<string>();
  for (const entry of Object.values(schema.provider_schemas ?? {})) {
    for (const name of Object.keys(entry.provider?.block?.attributes ?? {})) names.add(name);
  }
  return names;
}

export async function terraformVersion(ws: BenchWorkspace): Promise<string> {
  const { stdout } = await ws.ok(["version", "-json"]);
  return (JSON.parse(stdout) as { terraform_version: string }).terraform_version;
}
