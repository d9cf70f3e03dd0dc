import { type CallSummary, describeLimits, summarizeCalls } from "./support/calls";
import { memberRolesConfig, type ProviderSettings } from "./support/config";
import {
  machine,
  median,
  parseBenchArgs,
  ratio,
  seconds,
  table,
  target,
  today,
  writeSection,
} from "./support/report";
import { benchSeed, providerEnv, withEmulator } from "./support/tenant";
import {
  type BenchWorkspace,
  builtProvider,
  expectExit,
  initWorkspace,
  PARALLELISM,
  providerAttributes,
  terraformVersion,
  timedApply,
  timedPlan,
} from "./support/terraform";

/**
 * Refresh: `terraform plan` on an applied state of N memberships (one organization of exactly N
 * members), against the emulator enforcing Auth0's documented limits, time-scaled. The provider's
 * bulk refresh side by side with the official provider's strategy, one GET per member
 * (`bulk_refresh = false`), interleaved in the same run.
 *
 * The state is applied once per N against an emulator without limits (it is not what is measured);
 * every measured plan then gets a fresh emulator with full buckets, seeded with the same tenant.
 */

const args = parseBenchArgs({ sizes: [100, 1000], runs: 3 });

interface Mode {
  name: string;
  settings: ProviderSettings;
}

interface Sample {
  ms: number;
  calls: CallSummary;
  code: number;
}

async function measure(ws: BenchWorkspace, n: number, mode: Mode): Promise<Sample> {
  ws.writeConfig(memberRolesConfig(n, mode.settings));
  return withEmulator(benchSeed(n, true), { timeScale: args.timeScale }, async (emu) => {
    const run = await timedPlan(ws, providerEnv(emu));
    if (run.code !== 0) {
      // 2 would mean the refresh saw drift that is not there; 1 an error (e.g. requests that kept failing).
      console.error(
        `plan (${mode.name}, N=${n}) exited ${run.code}:\n${run.stderr.split("\n").slice(-15).join("\n")}`,
      );
    }
    return { ms: run.ms, calls: summarizeCalls(emu.requests), code: run.code };
  });
}

async function main(): Promise<void> {
  builtProvider();
  const rows: (string | number)[][] = [];
  const ratios: (string | number)[][] = [];
  let tfVersion = "";
  let bulkSupported = false;
  let total429 = 0;
  let failedPlans = 0;
  const callRatios = new Map<number, number>();

  for (const n of args.sizes) {
    const ws = await initWorkspace(memberRolesConfig(n));
    try {
      tfVersion ||= await terraformVersion(ws);
      const attributes = await providerAttributes(ws);
      bulkSupported = attributes.has("bulk_refresh");
      const rps =
        args.maxRps !== undefined && attributes.has("max_requests_per_second") ? args.maxRps : undefined;
      const modes: Mode[] = bulkSupported
        ? [
            { name: "bulk", settings: { bulk_refresh: true, max_requests_per_second: rps } },
            { name: "per-member GET", settings: { bulk_refresh: false, max_requests_per_second: rps } },
          ]
        : [
            // Until the provider has bulk_refresh, both columns run its only strategy (a harness check).
            { name: "current (no bulk_refresh)", settings: { max_requests_per_second: rps } },
            { name: "current (no bulk_refresh) again", settings: { max_requests_per_second: rps } },
          ];
      if (!bulkSupported)
        console.warn("bulk_refresh is not in the provider schema yet: comparing the provider with itself.");

      await withEmulator(benchSeed(n, true), false, async (emu) => {
        expectExit(await timedApply(ws, providerEnv(emu)), `apply of N=${n} (setup)`);
      });

      const samples = new Map<Mode, Sample[]>(modes.map((m) => [m, []]));
      for (let r = 0; r < args.runs; r++) {
        // Alternate which mode goes first, so that neither always runs on a warmer machine.
        const order = r % 2 === 0 ? modes : [...modes].reverse();
        for (const mode of order) {
          const sample = await measure(ws, n, mode);
          samples.get(mode)?.push(sample);
          console.log(
            `N=${n} ${mode.name} run ${r + 1}: ${seconds(sample.ms)} s, ${sample.calls.api} API calls, ` +
              `${sample.calls.tooMany} x 429, exit ${sample.code}`,
          );
        }
      }

      const summary = modes.map((mode) => {
        const s = samples.get(mode) ?? [];
        const tooMany = s.reduce((a, x) => a + x.calls.tooMany, 0);
        const failed = s.reduce((a, x) => a + x.calls.failed, 0);
        const bad = s.filter((x) => x.code !== 0).length;
        total429 += tooMany;
        failedPlans += bad;
        const calls = median(s.map((x) => x.calls.api));
        const ms = median(s.map((x) => x.ms));
        rows.push([
          n,
          mode.name,
          calls,
          median(s.map((x) => x.calls.token)),
          tooMany,
          failed,
          `${bad}/${s.length}`,
          seconds(ms),
          `${seconds(Math.min(...s.map((x) => x.ms)))}-${seconds(Math.max(...s.map((x) => x.ms)))}`,
        ]);
        return { calls, ms };
      });
      const [fast, slow] = summary as [{ calls: number; ms: number }, { calls: number; ms: number }];
      ratios.push([n, ratio(slow.calls / fast.calls), ratio(slow.ms / fast.ms)]);
      callRatios.set(n, slow.calls / fast.calls);
    } finally {
      ws.dispose();
    }
  }

  const results = table(
    [
      "N",
      "strategy",
      "API calls",
      "token calls",
      "429s (all runs)",
      "other failed requests",
      "failed plans",
      "plan wall s (median)",
      "min-max s",
    ],
    rows,
  );
  const ratioTable = table(["N", "API calls, per-member / bulk", "wall time, per-member / bulk"], ratios);
  console.log(`\n${results}\n\n${ratioTable}\n`);
  const at1000 = callRatios.get(1000);
  const targets = [
    ...(at1000 === undefined
      ? []
      : [target(">= 50x fewer API calls than per-member GET at N = 1000", ratio(at1000), at1000 >= 50)]),
    target("zero 429 responses", `${total429} in all measured runs`, total429 === 0),
    target("every plan succeeds with no changes", `${failedPlans} failed`, failedPlans === 0),
  ].join("\n");
  console.log(targets);

  if (!args.write) return;
  if (!bulkSupported) {
    console.warn(
      "Not writing BENCHMARKS.md: the provider has no bulk_refresh yet, so there is nothing to compare.",
    );
    return;
  }
  writeSection(
    "Refresh",
    `
\`terraform plan\` (a refresh of an applied state; no changes) of N \`auth0roles_organization_member_roles\`
in one organization of exactly N members, each holding 2 roles. "bulk" is the provider's default
(\`bulk_refresh = true\`); "per-member GET" is \`bulk_refresh = false\` (one
\`GET /organizations/{org}/members/{user}/roles\` per member, which is what the official provider does too;
the official provider itself is measured in "Compared with the official provider").${
      args.maxRps === undefined ? "" : ` \`max_requests_per_second = ${args.maxRps}\`.`
    } \`-parallelism=${PARALLELISM}\` (the default).

The emulator enforces Auth0's documented Enterprise limits at **time scale ${args.timeScale}** (every bucket
refills ${args.timeScale}x faster than Auth0's, so a rate-bound wall time is about 1/${args.timeScale} of a real tenant's):
${describeLimits()}

Each measured plan gets a fresh emulator (full buckets) seeded with the applied tenant; the state is
applied beforehand against an emulator without limits (setup, not measured). ${args.runs} runs per row,
the strategies interleaved; medians. Calls and status codes come from the emulator's request log;
"API calls" counts every Management API request, 429s included; token calls go to the
Authentication API.

Reproduce: \`npm run bench:refresh -- --write\` (options: \`--sizes 100,1000 --runs ${args.runs} --time-scale ${args.timeScale}\`).
Machine: ${machine(tfVersion)}. Measured ${today()}.

${results}

${ratioTable}

${targets}
`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
