import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { memberRolesConfig, terraformDataConfig } from "./support/config";
import { machine, median, parseBenchArgs, ratio, table, today, writeSection } from "./support/report";
import { benchSeed, providerEnv, withEmulator } from "./support/tenant";
import {
  type BenchWorkspace,
  builtProvider,
  expectExit,
  initWorkspace,
  PARALLELISM,
  terraformVersion,
  timedApply,
  timedPlan,
} from "./support/terraform";

/**
 * Where the wall time of one `terraform plan` of N applied member-roles resources goes (emulator
 * without rate limits), from two kinds of run, alternating:
 * - traced (`TF_LOG=trace`): Terraform timestamps every provider start, handshake, RPC it sends and
 *   process exit, and re-logs the provider's own debug lines (its ConfigureProvider, token and
 *   listing requests) as they arrive; the phases below are differences of those timestamps. Tracing
 *   slows Terraform, so the phases are read against the untraced run's total.
 * - untraced, every provider process started through a `node` shim first on Terraform's PATH that
 *   preloads a hook reporting, at exit, the process's CPU time (user + system) and lifetime.
 * Beside them, untraced plans of N `terraform_data` (no provider) for the baseline.
 *
 * With `--baseline DIR` (another build's dist/), the same CPU-hooked plans of that build alternate
 * with this one's.
 *
 * Run: `npm run bench:plan-timeline` (options: `--sizes 100 --runs 5 --baseline DIR --write`).
 */

const args = parseBenchArgs({ sizes: [100], runs: 5 });

/** Milliseconds of the day of the timestamp that starts a TF_LOG line. */
function stamp(line: string | undefined): number {
  const m = /T(\d\d):(\d\d):(\d\d\.\d+)Z/.exec(line ?? "");
  return m ? Number(m[1]) * 3_600_000 + Number(m[2]) * 60_000 + Number(m[3]) * 1000 : Number.NaN;
}

interface Phases {
  /** Per provider process, in start order. */
  handshake: number[];
  closeToExit: number[];
  lifetime: number[];
  /** Gaps between one provider process's exit and the next one's start, and before the first. */
  beforeFirst: number;
  between: number[];
  configure: number;
  firstReadToListing: number;
  listingToClose: number;
  afterLastExit: number;
  total: number;
}

function phasesOf(log: string): Phases {
  const lines = readFileSync(log, "utf8")
    .split("\n")
    .filter((l) => /^\d{4}-/.test(l));
  const times = (re: RegExp) => lines.filter((l) => re.test(l)).map(stamp);
  const first = (re: RegExp) => stamp(lines.find((l) => re.test(l)));
  const starts = times(/provider: starting plugin/);
  const handshakes = times(/provider: using plugin/);
  const exits = times(/provider: plugin process exited/);
  const closes = times(/GRPCProvider\.v6: Close/);
  const t0 = stamp(lines[0]);
  const end = stamp(lines.at(-1));
  const lastClose = closes.at(-1) ?? Number.NaN;
  return {
    handshake: starts.map((s, i) => (handshakes[i] ?? Number.NaN) - s),
    closeToExit: closes.map((c, i) => (exits[i] ?? Number.NaN) - c),
    lifetime: starts.map((s, i) => (exits[i] ?? Number.NaN) - s),
    beforeFirst: (starts[0] ?? Number.NaN) - t0,
    between: starts.slice(1).map((s, i) => s - (exits[i] ?? Number.NaN)),
    configure: first(/provider configured/) - first(/GRPCProvider\.v6: ConfigureProvider/),
    firstReadToListing:
      first(/read the organization's members with their roles/) - first(/GRPCProvider\.v6: ReadResource/),
    listingToClose: lastClose - first(/read the organization's members with their roles/),
    afterLastExit: end - (exits.at(-1) ?? Number.NaN),
    total: end - t0,
  };
}

/** A `node` first on PATH that runs the real one with a hook reporting CPU time and lifetime at exit. */
function cpuShim(dir: string, report: string): string {
  const hook = join(dir, "cpu-hook.js");
  writeFileSync(
    hook,
    `process.on("exit", () => {
       const { user, system } = process.cpuUsage();
       require("node:fs").appendFileSync(${JSON.stringify(report)},
         JSON.stringify({ pid: process.pid, cpuMs: (user + system) / 1000, lifeMs: performance.now() }) + "\\n");
     });\n`,
  );
  const shim = join(dir, "node");
  const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
  writeFileSync(shim, `#!/bin/sh\nexec ${quote(process.execPath)} -r ${quote(hook)} "$@"\n`);
  chmodSync(shim, 0o755);
  return dir;
}

const ms = (x: number) => (Number.isFinite(x) ? Math.round(x).toString() : "?");
const med = (runs: readonly Phases[], pick: (p: Phases) => number) => median(runs.map(pick));
const perProcess = (runs: readonly Phases[], pick: (p: Phases) => number[], i: number) =>
  median(runs.map((p) => pick(p)[i] ?? Number.NaN));

async function main(): Promise<void> {
  builtProvider();
  const n = args.sizes[0] ?? 100;
  const work = mkdtempSync(join(tmpdir(), "plan-timeline-"));
  const traced: Phases[] = [];
  const cpu: { cpuMs: number; lifeMs: number }[][] = [];
  const plain: number[] = [];
  const baselineCpu: { cpuMs: number; lifeMs: number }[][] = [];
  const baselinePlain: number[] = [];
  const builtinMs: number[] = [];
  let tfVersion = "";
  try {
    await withEmulator(benchSeed(n, true), false, async (emu) => {
      const env = providerEnv(emu);
      const ours = await initWorkspace(memberRolesConfig(n));
      const builtin = await initWorkspace(terraformDataConfig(n));
      const baseline =
        args.baseline === undefined
          ? undefined
          : await initWorkspace(memberRolesConfig(n), resolve(args.baseline));
      /** An untraced plan with every provider process reporting its CPU time; its wall time and theirs. */
      const measured = async (ws: BenchWorkspace, r: number, what: string) => {
        const report = join(work, `cpu-${what}-${r}.jsonl`);
        writeFileSync(report, "");
        const dir = mkdtempSync(join(work, "shim-"));
        const run = await timedPlan(ws, {
          ...env,
          PATH: `${cpuShim(dir, report)}:${process.env.PATH ?? ""}`,
        });
        expectExit(run, `plan with the CPU hook (${what})`);
        const processes = readFileSync(report, "utf8")
          .trim()
          .split("\n")
          .map((l) => JSON.parse(l) as { pid: number; cpuMs: number; lifeMs: number });
        return { ms: run.ms, processes };
      };
      try {
        tfVersion = await terraformVersion(ours);
        expectExit(await timedApply(ours, env), `apply of N=${n} (setup)`);
        expectExit(await timedApply(builtin), `apply of N=${n} terraform_data (setup)`);
        if (baseline) expectExit(await timedApply(baseline, env), `apply of N=${n}, baseline build (setup)`);
        for (let r = 0; r < args.runs; r++) {
          const log = join(work, `trace-${r}.log`);
          expectExit(await timedPlan(ours, { ...env, TF_LOG: "trace", TF_LOG_PATH: log }), "traced plan");
          traced.push(phasesOf(log));

          const run = await measured(ours, r, "ours");
          plain.push(run.ms);
          cpu.push(run.processes);
          if (baseline) {
            const before = await measured(baseline, r, "baseline");
            baselinePlain.push(before.ms);
            baselineCpu.push(before.processes);
          }

          const b = await timedPlan(builtin, {});
          expectExit(b, "terraform_data plan");
          builtinMs.push(b.ms);
          console.log(
            `run ${r + 1}: traced ${ms(traced.at(-1)?.total ?? Number.NaN)} ms, untraced ${ms(run.ms)} ms, terraform_data ${ms(b.ms)} ms`,
          );
        }
      } finally {
        ours.dispose();
        builtin.dispose();
        baseline?.dispose();
      }
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  const count = Math.max(...traced.map((p) => p.lifetime.length));
  const names = ["1 (schema)", "2 (validate)", "3 (refresh and plan)"];
  const processRows = Array.from({ length: count }, (_, i) => [
    names[i] ?? String(i + 1),
    ms(perProcess(traced, (p) => p.handshake, i)),
    ms(perProcess(traced, (p) => p.lifetime, i)),
    ms(perProcess(traced, (p) => p.closeToExit, i)),
    ms(median(cpu.map((c) => c[i]?.lifeMs ?? Number.NaN))),
    ms(median(cpu.map((c) => c[i]?.cpuMs ?? Number.NaN))),
  ]);
  const processes = table(
    [
      "provider process",
      "spawn -> handshake ms (traced)",
      "spawn -> exit ms (traced)",
      "Close -> exit ms (traced)",
      "lifetime in Node ms (untraced)",
      "CPU ms (untraced)",
    ],
    processRows,
  );
  const cpuTotal = median(cpu.map((c) => c.reduce((sum, p) => sum + p.cpuMs, 0)));
  const gaps = traced.map((p) => p.between);
  const phaseRows = [
    ["Terraform start -> first provider spawn", ms(med(traced, (p) => p.beforeFirst))],
    [
      "between provider processes (Terraform alone)",
      Array.from({ length: count - 1 }, (_, i) => ms(median(gaps.map((g) => g[i] ?? Number.NaN)))).join(
        " + ",
      ),
    ],
    ["process 3: ConfigureProvider (loads the API client, axios)", ms(med(traced, (p) => p.configure))],
    [
      "process 3: first ReadResource -> organization listing done (token, listing)",
      ms(med(traced, (p) => p.firstReadToListing)),
    ],
    [
      "process 3: listing done -> Close (every other resource: Upgrade, Read, Validate, Plan)",
      ms(med(traced, (p) => p.listingToClose)),
    ],
    ["last provider exit -> Terraform's last line", ms(med(traced, (p) => p.afterLastExit))],
    ["whole plan, traced (first -> last log line)", ms(med(traced, (p) => p.total))],
    ["whole plan, untraced (process start -> exit)", ms(median(plain))],
    ["terraform_data plan, untraced", ms(median(builtinMs))],
    ["provider CPU, all processes (untraced)", ms(cpuTotal)],
  ];
  const phases = table(["phase (medians)", "ms"], phaseRows);
  const cpuOf = (runs: typeof cpu, i: number) => median(runs.map((c) => c[i]?.cpuMs ?? Number.NaN));
  const versus =
    baselineCpu.length === 0
      ? ""
      : `\nThis build against the build in ${args.baseline} (untraced plans with the CPU hook, alternating; medians):\n\n${table(
          ["", "this build", "baseline build", "this / baseline"],
          [
            ...Array.from({ length: count }, (_, i) => [
              `provider process ${names[i] ?? i + 1} CPU ms`,
              ms(cpuOf(cpu, i)),
              ms(cpuOf(baselineCpu, i)),
              ratio(cpuOf(cpu, i) / cpuOf(baselineCpu, i)),
            ]),
            [
              "plan wall ms",
              ms(median(plain)),
              ms(median(baselinePlain)),
              ratio(median(plain) / median(baselinePlain)),
            ],
          ],
        )}\n`;
  const reading = howToRead({
    n,
    terraformAlone:
      med(traced, (p) => p.beforeFirst) +
      med(traced, (p) => p.between.reduce((sum, gap) => sum + gap, 0)) +
      med(traced, (p) => p.afterLastExit),
    tracedTotal: med(traced, (p) => p.total),
    gapToBuiltin: median(plain) - median(builtinMs),
    providerCpu: cpuTotal,
    handshake: med(traced, (p) => median(p.handshake)),
    closeToExit: med(traced, (p) => median(p.closeToExit)),
    validateProcess: perProcess(traced, (p) => p.lifetime, 1) - perProcess(traced, (p) => p.handshake, 1),
    configure: med(traced, (p) => p.configure),
    firstReadToListing: med(traced, (p) => p.firstReadToListing),
    listingToClose: med(traced, (p) => p.listingToClose),
  });
  console.log(`\n${processes}\n\n${phases}\n${versus}\n${reading}`);
  if (!args.write) return;
  writeSection(
    "Where a plan's wall time goes",
    `
A timeline of one \`terraform plan\` of N = ${n} applied \`auth0roles_organization_member_roles\`
(emulator without rate limits, provider defaults, \`-parallelism=${PARALLELISM}\`), from runs of two
kinds, alternating: traced (\`TF_LOG=trace\`: Terraform timestamps each provider start, handshake,
RPC and exit, and re-logs the provider's debug lines as they arrive; tracing slows Terraform, so
read those phases against the untraced total), and untraced, with each provider process started
through a \`node\` shim that preloads a hook reporting its CPU time (user + system) and lifetime at
exit. Untraced \`terraform_data\` plans of the same N alternate with them. ${args.runs} runs; medians.

Reproduce: \`npm run bench:plan-timeline -- --write\` (options: \`--sizes ${n} --runs ${args.runs}${args.baseline === undefined ? "" : " --baseline DIR"}\`).
Machine: ${machine(tfVersion)}. Measured ${today()}.

${processes}

${phases}
${versus}
${reading}
`,
  );
}

interface TimelineFigures {
  readonly n: number;
  /** Terraform running with no provider process alive: before the first, between, after the last. */
  readonly terraformAlone: number;
  readonly tracedTotal: number;
  /** Untraced plan minus the terraform_data plan. */
  readonly gapToBuiltin: number;
  readonly providerCpu: number;
  readonly handshake: number;
  readonly closeToExit: number;
  /** The validate process from its handshake to its exit: its ValidateResourceConfig calls. */
  readonly validateProcess: number;
  readonly configure: number;
  readonly firstReadToListing: number;
  readonly listingToClose: number;
}

/** The reading of the tables, from this run's figures (medians, ms). */
function howToRead(f: TimelineFigures): string {
  const alive = 1 - f.terraformAlone / f.tracedTotal;
  // After the listing, each resource takes about four calls: UpgradeResourceState, ReadResource,
  // ValidateResourceConfig and PlanResourceChange.
  const perCall = f.listingToClose / (4 * f.n);
  return `How to read it (this run, N = ${f.n}):
- A provider process is alive for ${(alive * 100).toFixed(0)}% of the traced plan: Terraform runs alone only before
  the first process, between processes and after the last (${ms(f.terraformAlone)} ms of ${ms(f.tracedTotal)} ms), and the
  provider is busy (CPU time) for about as long as it lives, so Terraform waits on it nearly
  throughout. The gap to \`terraform_data\` (${ms(f.gapToBuiltin)} ms) is about the provider's CPU time (${ms(f.providerCpu)} ms,
  a little of it on V8's helper threads, which overlap).
- Fixed per process, three times: spawn -> handshake ${ms(f.handshake)} ms ("Provider start-up"), Close -> exit
  ${ms(f.closeToExit)} ms.
- Per call: the validate process answers ${f.n} ValidateResourceConfig in ${ms(f.validateProcess)} ms after its handshake, and
  the refresh-and-plan process answers the ~${4 * f.n} calls of the resources after the listing in ${ms(f.listingToClose)} ms,
  ~${perCall.toFixed(2)} ms a call in code V8 has not optimized yet ("Per-call cost of the plugin transport" has
  a warm process's cost; "Provider CPU during a plan" where it goes).
- The refresh is not a cost: ConfigureProvider takes ${ms(f.configure)} ms (it loads the API client), and the
  first ReadResource calls wait ${ms(f.firstReadToListing)} ms for the token and the organization's listing; every
  other read is answered from that listing at once.`;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
