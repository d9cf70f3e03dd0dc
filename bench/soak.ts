import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { Emulator, RandomFaultSpec, RequestLogEntry } from "../src/emulator";
import { memberRolesConfig } from "./support/config";
import { machine, median, ratio, seconds, table, target, today, writeSection } from "./support/report";
import { benchSeed, ORG_ID, providerEnv, ROLE_IDS, userIds, withEmulator } from "./support/tenant";
import {
  type BenchWorkspace,
  builtProvider,
  initWorkspace,
  PARALLELISM,
  resetState,
  type TimedRun,
  terraformVersion,
  timedApply,
  timedPlan,
} from "./support/terraform";

/**
 * Fault soak: N members through apply (create), re-plan, apply (revoke a role from each) and re-plan
 * with real terraform, while the emulator injects seeded random faults into every Management API
 * request (429s, 5xx, connection resets, latency) on top of Auth0's documented rate limits. Then,
 * faults off, one more apply must converge, the next plan must show no changes, and the state must
 * equal the tenant. Each faulty run is interleaved with the same sequence without faults.
 *
 * A "lost change" is a member for whom Terraform's state records the configured roles while the
 * tenant holds something else (Terraform believes a change happened that did not), counted after
 * every step; and, after convergence, any member whose tenant roles differ from the configuration
 * or from the state.
 */

const { values } = parseArgs({
  options: {
    members: { type: "string", default: "200" },
    runs: { type: "string", default: "2" },
    seed: { type: "string", default: "20261201" },
    "time-scale": { type: "string", default: "10" },
    write: { type: "boolean", default: false },
  },
});
const N = Number(values.members);
const RUNS = Number(values.runs);
const SEED = Number(values.seed);
const TIME_SCALE = Number(values["time-scale"]);
for (const [name, value] of [
  ["members", N],
  ["runs", RUNS],
  ["time-scale", TIME_SCALE],
] as const) {
  if (!(value > 0 && Number.isFinite(value))) throw new Error(`--${name} must be a positive number.`);
}
if (!Number.isInteger(SEED)) throw new Error("--seed must be an integer.");

/** Per Management API request. */
const FAULTS: Omit<RandomFaultSpec, "seed"> = {
  rateLimit: 0.05,
  serverError: 0.03,
  reset: 0.02,
  latency: 0.1,
  maxLatencyMs: 500,
  // Half of the 5xx and resets come after the request was served: a write took effect, its answer is lost.
  afterApply: 0.5,
};

const [FIRST] = ROLE_IDS;
/** Step 1 grants both roles to every member; step 3 revokes the second. */
const CONFIG_V1 = memberRolesConfig(N);
const CONFIG_V2 = withRoles(CONFIG_V1, [FIRST]);

function withRoles(config: object, roles: readonly string[]): object {
  const copy = JSON.parse(JSON.stringify(config)) as {
    resource: Record<string, Record<string, { roles: string[] }>>;
  };
  for (const resources of Object.values(copy.resource)) {
    for (const resource of Object.values(resources)) resource.roles = [...roles];
  }
  return copy;
}

interface StepResult {
  name: string;
  run: TimedRun;
  /** Error diagnostics terraform printed: each is one resource operation that failed. */
  errors: number;
  faults: Record<string, number>;
  requests: number;
  /** Role writes (POST, DELETE) answered 5xx or reset, before or after they took effect. */
  unknownWrites: { post: number; delete: number };
  lost: number;
  /** Members whose state lists a role the tenant does not hold, without claiming the configured set (safe). */
  stateAhead: number;
}

interface Sequence {
  steps: StepResult[];
  faultyMs: number;
  convergeCode: number;
  finalPlanCode: number;
  /** After convergence: members whose tenant roles differ from the configuration or from the state. */
  lostAfter: number;
}

type Roles = Map<string, string[]>;

function stateRoles(ws: BenchWorkspace): Roles {
  const roles: Roles = new Map();
  let text: string;
  try {
    text = readFileSync(join(ws.dir, "terraform.tfstate"), "utf8");
  } catch {
    return roles;
  }
  const state = JSON.parse(text) as {
    resources?: { instances?: { status?: string; attributes?: { user_id?: string; roles?: string[] } }[] }[];
  };
  for (const resource of state.resources ?? []) {
    for (const instance of resource.instances ?? []) {
      const { user_id, roles: held } = instance.attributes ?? {};
      if (user_id && instance.status !== "tainted") roles.set(user_id, [...(held ?? [])].sort());
    }
  }
  return roles;
}

function tenantRoles(emu: Emulator): Roles {
  return new Map(userIds(N).map((u) => [u, [...emu.tenant.memberRoles(ORG_ID, u)].sort()]));
}

const same = (a: readonly string[] | undefined, b: readonly string[] | undefined): boolean =>
  a !== undefined && b !== undefined && a.join() === b.join();

/** Members whose state claims the configured roles while the tenant holds others. */
function compare(ws: BenchWorkspace, emu: Emulator, configured: readonly string[]) {
  const state = stateRoles(ws);
  const tenant = tenantRoles(emu);
  const wanted = [...configured].sort();
  let lost = 0;
  let stateAhead = 0;
  for (const [user, held] of state) {
    const actual = tenant.get(user);
    if (same(held, actual)) continue;
    if (same(held, wanted)) lost++;
    else stateAhead++;
  }
  return { lost, stateAhead };
}

function faultsIn(log: readonly RequestLogEntry[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entry of log) if (entry.fault) counts[entry.fault] = (counts[entry.fault] ?? 0) + 1;
  return counts;
}

const UNKNOWN_OUTCOME_FAULTS = new Set(["status", "drop", "after-apply"]);

function unknownWrites(log: readonly RequestLogEntry[]): StepResult["unknownWrites"] {
  const faulted = log.filter((r) => r.fault !== undefined && UNKNOWN_OUTCOME_FAULTS.has(r.fault));
  return {
    post: faulted.filter((r) => r.method === "POST").length,
    delete: faulted.filter((r) => r.method === "DELETE").length,
  };
}

function errorCount(run: TimedRun): number {
  return (run.stderr.match(/^Error: /gm) ?? []).length;
}

async function step(
  ws: BenchWorkspace,
  emu: Emulator,
  name: string,
  configured: readonly string[],
  command: () => Promise<TimedRun>,
): Promise<StepResult> {
  emu.clearRequests();
  const run = await command();
  const log = [...emu.requests];
  return {
    name,
    run,
    errors: errorCount(run),
    faults: faultsIn(log),
    requests: log.filter((r) => r.path.startsWith("/api/v2/")).length,
    unknownWrites: unknownWrites(log),
    ...compare(ws, emu, configured),
  };
}

async function sequence(ws: BenchWorkspace, seed: number | undefined): Promise<Sequence> {
  resetState(ws);
  return withEmulator(benchSeed(N, false), { timeScale: TIME_SCALE }, async (emu) => {
    const env = providerEnv(emu);
    if (seed !== undefined) emu.randomFaults({ seed, ...FAULTS });
    const steps: StepResult[] = [];
    ws.writeConfig(CONFIG_V1);
    steps.push(await step(ws, emu, "apply (create)", ROLE_IDS, () => timedApply(ws, env)));
    steps.push(await step(ws, emu, "re-plan", ROLE_IDS, () => timedPlan(ws, env)));
    ws.writeConfig(CONFIG_V2);
    steps.push(await step(ws, emu, "apply (revoke one role)", [FIRST], () => timedApply(ws, env)));
    steps.push(await step(ws, emu, "re-plan", [FIRST], () => timedPlan(ws, env)));
    const faultyMs = steps.reduce((sum, s) => sum + s.run.ms, 0);

    emu.randomFaults(undefined);
    const converge = await timedApply(ws, env);
    const finalPlan = await timedPlan(ws, env);
    const state = stateRoles(ws);
    const tenant = tenantRoles(emu);
    const lostAfter = userIds(N).filter(
      (u) => !same(tenant.get(u), [FIRST]) || !same(state.get(u), tenant.get(u)),
    ).length;
    return { steps, faultyMs, convergeCode: converge.code, finalPlanCode: finalPlan.code, lostAfter };
  });
}

const FAULT_NAMES: Record<string, string> = {
  drop: "reset",
  status: "5xx",
  "after-apply": "5xx/reset after applying",
};

function describeFaults(counts: Record<string, number>): string {
  const parts = Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, count]) => `${count} ${FAULT_NAMES[kind] ?? kind}`);
  return parts.length === 0 ? "none" : parts.join(", ");
}

function addCounts(into: Record<string, number>, from: Record<string, number>): void {
  for (const [kind, count] of Object.entries(from)) into[kind] = (into[kind] ?? 0) + count;
}

async function main(): Promise<void> {
  builtProvider();
  const ws = await initWorkspace(CONFIG_V1);
  const tfVersion = await terraformVersion(ws);
  const faulty: Sequence[] = [];
  const clean: Sequence[] = [];
  const seeds: number[] = [];
  try {
    for (let r = 0; r < RUNS; r++) {
      const seed = SEED + r;
      seeds.push(seed);
      for (const withFaults of r % 2 === 0 ? [true, false] : [false, true]) {
        const result = await sequence(ws, withFaults ? seed : undefined);
        (withFaults ? faulty : clean).push(result);
        console.log(
          `run ${r + 1} ${withFaults ? `faults (seed ${seed})` : "no faults"}: ` +
            result.steps
              .map(
                (s) =>
                  `${s.name} ${seconds(s.run.ms)} s exit ${s.run.code}, ${s.errors} errors, faults: ${describeFaults(s.faults)}, lost ${s.lost}`,
              )
              .join("; ") +
            `; converge apply exit ${result.convergeCode}, final plan exit ${result.finalPlanCode}, lost after ${result.lostAfter}`,
        );
      }
    }
  } finally {
    ws.dispose();
  }

  const rows = faulty.map((f, i) => {
    const c = clean[i] as Sequence;
    const faults: Record<string, number> = {};
    for (const s of f.steps) addCounts(faults, s.faults);
    const requests = f.steps.reduce((sum, s) => sum + s.requests, 0);
    const injected = Object.values(faults).reduce((a, b) => a + b, 0);
    const askedMs = (faults["rate-limit"] ?? 0) * 1_000;
    const post = f.steps.reduce((sum, s) => sum + s.unknownWrites.post, 0);
    const del = f.steps.reduce((sum, s) => sum + s.unknownWrites.delete, 0);
    return [
      seeds[i] as number,
      `${injected} of ${requests} requests: ${describeFaults(faults)}`,
      `${post} / ${del}`,
      f.steps.map((s) => s.errors).join(" / "),
      f.steps.map((s) => s.run.code).join(" / "),
      f.steps.reduce((sum, s) => sum + s.stateAhead, 0),
      f.steps.reduce((sum, s) => sum + s.lost, 0) + f.lostAfter,
      `${f.convergeCode} / ${f.finalPlanCode}`,
      seconds(f.faultyMs),
      seconds(c.faultyMs),
      ratio(f.faultyMs / c.faultyMs),
      seconds(askedMs),
      ratio((f.faultyMs - c.faultyMs) / askedMs),
    ];
  });
  const results = table(
    [
      "seed",
      "faults injected",
      "writes with unknown outcome (POST / DELETE)",
      "failed operations per step",
      "exit codes per step",
      "state ahead of tenant (safe)",
      "changes lost",
      "faults off: apply / plan exit",
      "4 steps with faults s",
      "same without faults s",
      "wall ratio",
      "429 waits asked s",
      "extra wall / waits asked",
    ],
    rows,
  );
  const lost = faulty.reduce((sum, f) => sum + f.lostAfter + f.steps.reduce((a, s) => a + s.lost, 0), 0);
  const converged = faulty.every((f) => f.convergeCode === 0 && f.finalPlanCode === 0);
  const cleanOk = clean.every(
    (c) => c.steps.every((s) => s.errors === 0) && c.finalPlanCode === 0 && c.lostAfter === 0,
  );
  const wallRatio = median(faulty.map((f, i) => f.faultyMs / (clean[i] as Sequence).faultyMs));
  const targets = [
    target("changes lost", `${lost}`, lost === 0),
    target(
      "with faults off, one apply converges and the next plan shows no changes",
      converged ? "every run" : "NOT every run",
      converged,
    ),
    target("the fault-free sequences fail nothing", cleanOk ? "none failed" : "some failed", cleanOk),
  ].join("\n");
  console.log(`\n${results}\n\n${targets}\nmedian wall ratio ${ratio(wallRatio)}`);
  if (!values.write) return;
  writeSection(
    "Fault soak",
    `
${N} \`auth0roles_organization_member_roles\` (one organization, members holding no role) through four
terraform commands: apply (grants ${ROLE_IDS.length} roles each), re-plan (refresh, no changes expected),
apply (revokes one role from each), re-plan. \`-parallelism=${PARALLELISM}\`, provider defaults.
The emulator enforces Auth0's documented limits at time scale ${TIME_SCALE} and, in the faulty sequence,
draws a fault for every Management API request from a seeded generator: a 429 with
\`Retry-After: 1\` (${FAULTS.rateLimit}), a 502/503/504 (${FAULTS.serverError}), a connection reset
(${FAULTS.reset}), or up to ${FAULTS.maxLatencyMs} ms of latency (${FAULTS.latency}). ${(FAULTS.afterApply ?? 0) * 100}% of the
5xx and resets come after the emulator served the request (a write took effect, its answer is
lost). Then, faults off, one more apply and a plan (\`-detailed-exitcode\`) follow. Each faulty
sequence is interleaved with the same sequence on a fault-free emulator.

- **writes with unknown outcome**: POSTs and DELETEs of roles answered 5xx or reset, before or after
  they took effect. The client reads the member's roles after each and re-sends only what is still
  missing (POST) or still held (DELETE); a POST is never repeated as is.
- **failed operations**: error diagnostics terraform printed per step.
- **state ahead of tenant**: members whose state, after a failed update, lists roles the tenant no
  longer holds (kept on purpose: an extra role in state is revoked or dropped on the next run); not a
  lost change.
- **429 waits asked**: each injected 429 says the tenant-wide bucket is empty for 1 s
  (\`Retry-After: 1\`), and the provider holds every request for that time; "extra wall / waits
  asked" is the time the faults added over the fault-free sequence, as a share of those waits (below
  1 where waits overlapped). Latency and retried 5xx/resets add the rest.
- **changes lost**: members whose state records the configured roles while the tenant holds others,
  after any step, plus, after convergence, members whose tenant roles differ from the configuration
  or from the state. Must be 0.

Reproduce: \`npm run bench:soak -- --write\` (options: \`--members ${N} --runs ${RUNS} --seed ${SEED} --time-scale ${TIME_SCALE}\`).
Machine: ${machine(tfVersion)}. Measured ${today()}.

${results}

${targets}
- median wall time with faults / without: ${ratio(wallRatio)}
`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
