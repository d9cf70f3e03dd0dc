import type { RateLimitOptions } from "../src/emulator";
import { type CallSummary, describeLimits, type RateBound, rateBound, summarizeCalls } from "./support/calls";
import { memberRolesConfig } from "./support/config";
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
import { allMembersHoldRoles, benchSeed, providerEnv, ROLE_IDS, withEmulator } from "./support/tenant";
import {
  type BenchWorkspace,
  builtProvider,
  initWorkspace,
  PARALLELISM,
  providerAttributes,
  resetState,
  terraformVersion,
  timedApply,
} from "./support/terraform";

/**
 * Apply: `terraform apply` creating N memberships' roles (N members of one organization, none holding
 * a role yet; each gets 2 roles) against the emulator enforcing Auth0's documented limits,
 * time-scaled. Wall time as a ratio of the rate-limit bound: the calls made over the allowed rate of
 * the binding bucket. Every run starts from an empty state and a fresh emulator with full buckets.
 *
 * Each run is paired with the same apply against an emulator without limits: what Terraform and the
 * provider take when the tenant never says no. Where that floor comes near the bound (a high time
 * scale), the ratio measures Terraform, not pacing.
 */

const args = parseBenchArgs({ sizes: [1000], runs: 3 });

interface Sample {
  ms: number;
  calls: CallSummary;
  bound: RateBound;
  code: number;
  converged: boolean;
}

async function applyOnce(ws: BenchWorkspace, n: number, limits: RateLimitOptions | false): Promise<Sample> {
  resetState(ws);
  return withEmulator(benchSeed(n, false), limits, async (emu) => {
    const run = await timedApply(ws, providerEnv(emu));
    if (run.code !== 0) {
      console.error(`apply (N=${n}) exited ${run.code}:\n${run.stderr.split("\n").slice(-15).join("\n")}`);
    }
    const calls = summarizeCalls(emu.requests);
    return {
      ms: run.ms,
      calls,
      bound: rateBound(calls, args.timeScale),
      code: run.code,
      converged: allMembersHoldRoles(emu, n),
    };
  });
}

async function main(): Promise<void> {
  builtProvider();
  const rows: (string | number)[][] = [];
  let tfVersion = "";
  let total429 = 0;
  let totalFailed = 0;
  let rpsNote = "";
  let worstRatio = 0;
  let failedApplies = 0;

  for (const n of args.sizes) {
    const ws = await initWorkspace(memberRolesConfig(n));
    try {
      tfVersion ||= await terraformVersion(ws);
      if (args.maxRps !== undefined) {
        if (!(await providerAttributes(ws)).has("max_requests_per_second"))
          throw new Error("--max-rps: the provider has no max_requests_per_second yet.");
        ws.writeConfig(memberRolesConfig(n, { max_requests_per_second: args.maxRps }));
        rpsNote = ` \`max_requests_per_second = ${args.maxRps}\`.`;
      }
      const limited: Sample[] = [];
      const unlimited: Sample[] = [];
      for (let r = 0; r < args.runs; r++) {
        const order = r % 2 === 0 ? [true, false] : [false, true];
        for (const withLimits of order) {
          const sample = await applyOnce(ws, n, withLimits ? { timeScale: args.timeScale } : false);
          (withLimits ? limited : unlimited).push(sample);
          console.log(
            `N=${n} run ${r + 1} ${withLimits ? "with limits" : "no limits"}: ${seconds(sample.ms)} s, ` +
              `bound ${sample.bound.seconds.toFixed(2)} s (${sample.bound.bucket}), ${sample.calls.api} API calls, ` +
              `${sample.calls.tooMany} x 429, ${sample.calls.failed} other failed, exit ${sample.code}, ` +
              `tenant ${sample.converged ? "as configured" : "NOT as configured"}`,
          );
        }
      }
      const tooMany = limited.reduce((a, s) => a + s.calls.tooMany, 0);
      const failed = limited.reduce((a, s) => a + s.calls.failed, 0);
      total429 += tooMany;
      totalFailed += failed;
      const bound = median(limited.map((s) => s.bound.seconds * 1000));
      const wall = median(limited.map((s) => s.ms));
      const window = median(limited.map((s) => s.calls.lastAt - s.calls.firstAt));
      const floor = median(unlimited.map((s) => s.ms));
      const binding = limited[0]?.bound;
      const failedRuns = [...limited, ...unlimited].filter((s) => s.code !== 0 || !s.converged).length;
      failedApplies += failedRuns;
      worstRatio = Math.max(worstRatio, wall / bound);
      rows.push([
        n,
        median(limited.map((s) => s.calls.api)),
        binding ? `${binding.bucket} (${binding.calls} calls at ${binding.perSecond.toFixed(1)}/s)` : "",
        seconds(bound),
        seconds(wall),
        ratio(wall / bound),
        ratio(window / bound),
        seconds(floor),
        tooMany,
        failed,
        `${failedRuns}/${limited.length + unlimited.length}`,
      ]);
    } finally {
      ws.dispose();
    }
  }

  const results = table(
    [
      "N",
      "API calls",
      "binding bucket",
      "bound s",
      "apply wall s (median)",
      "wall / bound",
      "first-to-last call / bound",
      "same apply, no limits s",
      "429s (all runs)",
      "other failed requests",
      "failed applies",
    ],
    rows,
  );
  console.log(`\n${results}\n`);
  const targets = [
    target("wall time within 1.2x of the rate-limit bound", ratio(worstRatio), worstRatio <= 1.2),
    target(
      "zero failed requests",
      `${total429} x 429 and ${totalFailed} other failed in all measured runs`,
      total429 + totalFailed === 0,
    ),
    target(
      "every apply succeeds and leaves the tenant as configured",
      `${failedApplies} failed`,
      failedApplies === 0,
    ),
  ].join("\n");
  console.log(targets);

  if (!args.write) return;
  writeSection(
    "Apply",
    `
\`terraform apply\` creating N \`auth0roles_organization_member_roles\` (N members of one organization
holding no role; each gets ${ROLE_IDS.length} roles).${rpsNote} \`-parallelism=${PARALLELISM}\` (the default).

The emulator enforces Auth0's documented Enterprise limits at **time scale ${args.timeScale}** (every bucket
refills ${args.timeScale}x faster than Auth0's):
${describeLimits()}

Each run starts from an empty state and a fresh emulator (full buckets); ${args.runs} runs, each paired
with the same apply against an emulator without limits (interleaved); medians.
The **bound** is the shortest time these limits allow for the calls the apply made: for each bucket
(global and per endpoint), the calls that took a token from it over its refill rate at the time
scale; the slowest bucket binds (its initial burst is ignored, which favours the bound by at most
burst/calls). "wall" is the whole \`terraform apply\` process (start-up, plan, apply);
"first-to-last call" is the span of the Management API requests in the emulator's log; "no limits"
is what Terraform and the provider take when the tenant never refuses, a floor under any bound (at a
time scale where it nears the bound, the ratio measures Terraform rather than pacing).

Reproduce: \`npm run bench:apply -- --write\` (options: \`--sizes 1000 --runs ${args.runs} --time-scale ${args.timeScale}\`).
Machine: ${machine(tfVersion)}. Measured ${today()}.

${results}

${targets}
`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
