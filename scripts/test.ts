/**
 * What `npm test` runs after build, typecheck and lint: ensures the engines (`npm run engines`), runs
 * the whole jest suite on the newest Terraform, then the core end-to-end set on every other engine,
 * and ends with one `N passed, N failed, N skipped` line for all runs together. Arguments go to
 * jest's run of the whole suite (`npm test -- test/e2e/provider.test.ts`).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { type BuiltEngine, EngineBuildError, engineEnv, ensureEngines } from "./engines/build";

/** The core end-to-end set every engine runs. */
const CORE_SET = ["test/e2e/engine-core.test.ts"];

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

interface RunOutcome extends Counts {
  readonly label: string;
  readonly what: string;
  readonly seconds: number;
  readonly ok: boolean;
}

/**
 * Where the tests find the official provider and quill (`suite: "none"` in the manifest). A build
 * from the module copy records no release version, so the provider's version goes beside its path.
 */
function toolsEnv(engines: readonly BuiltEngine[]): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const { spec, path } of engines) {
    if (spec.name === "terraform-provider-auth0") {
      env.AUTH0ROLES_OFFICIAL_PROVIDER = path;
      env.AUTH0ROLES_OFFICIAL_PROVIDER_VERSION = spec.version;
    }
    if (spec.name === "quill") env.AUTH0ROLES_QUILL = path;
  }
  return env;
}

function runJest(engine: BuiltEngine, tools: NodeJS.ProcessEnv, what: string, args: string[]): RunOutcome {
  const label = `${engine.spec.name} ${engine.spec.version}`;
  process.stdout.write(`\n=== ${label}: ${what} ===\n`);
  const dir = mkdtempSync(join(tmpdir(), "auth0roles-summary-"));
  const summaryFile = join(dir, "summary.json");
  const started = Date.now();
  const jest = spawnSync(process.execPath, [require.resolve("jest/bin/jest"), ...args], {
    stdio: "inherit",
    env: {
      ...engineEnv(engine),
      ...tools,
      AUTH0ROLES_SUMMARY_FILE: summaryFile,
    },
  });
  const seconds = Math.round((Date.now() - started) / 1000);
  let counts: Counts = { passed: 0, failed: 1, skipped: 0 }; // a jest that died before its summary
  try {
    counts = JSON.parse(readFileSync(summaryFile, "utf8")) as Counts;
  } catch {}
  rmSync(dir, { recursive: true, force: true });
  return { label, what, seconds, ok: jest.status === 0, ...counts };
}

async function main(): Promise<number> {
  const engines = await ensureEngines((line) => process.stderr.write(`${line}\n`));
  const tools = toolsEnv(engines);
  const outcomes: RunOutcome[] = [];
  for (const engine of engines.filter((e) => e.spec.suite === "whole")) {
    outcomes.push(runJest(engine, tools, "the whole suite", process.argv.slice(2)));
  }
  for (const engine of engines.filter((e) => e.spec.suite === "core")) {
    const also = engine.spec.alsoRuns ?? [];
    const what = also.length
      ? `the core set + ${also.map((f) => basename(f, ".test.ts")).join(", ")}`
      : "the core set";
    outcomes.push(runJest(engine, tools, what, [...CORE_SET, ...also]));
  }
  process.stdout.write("\nengine            | ran                         | passed | failed | seconds\n");
  for (const o of outcomes) {
    process.stdout.write(
      `${o.label.padEnd(17)} | ${o.what.padEnd(27)} | ${String(o.passed).padStart(6)} | ${String(o.failed).padStart(6)} | ${o.seconds}\n`,
    );
  }
  const total = (key: keyof Counts) => outcomes.reduce((sum, o) => sum + o[key], 0);
  process.stdout.write(
    `\n${total("passed")} passed, ${total("failed")} failed, ${total("skipped")} skipped\n`,
  );
  return outcomes.every((o) => o.ok) ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof EngineBuildError ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
