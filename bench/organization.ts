import { copyFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import type { Emulator, RateLimitOptions } from "../src/emulator";
import { type CallSummary, describeLimits, type RateBound, rateBound, summarizeCalls } from "./support/calls";
import { memberRolesConfig, organizationRolesConfig } from "./support/config";
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
import { writeMemberRolesState } from "./support/state";
import { ORG_ID, organizationSeed, providerEnv, ROLE_IDS, userIds, withEmulator } from "./support/tenant";
import {
  builtProvider,
  expectExit,
  initWorkspace,
  PARALLELISM,
  terraformVersion,
  timedApply,
  timedPlan,
} from "./support/terraform";

/**
 * The whole-organization resource `auth0roles_organization_roles` against the emulator enforcing
 * Auth0's documented limits, time-scaled:
 *
 * - Refresh: `terraform plan` (no changes) of one resource holding an organization of N members,
 *   side by side with the same organization as N `auth0roles_organization_member_roles` (bulk
 *   refresh on, the provider's best for them), interleaved.
 * - Apply: `terraform apply` changing C of the N members (each swaps its one role for another: a
 *   grant and a revoke), as a ratio of the rate-limit bound of the calls made; each run paired with
 *   the same apply against an emulator without limits.
 *
 * The organization's state is applied beforehand against an emulator without limits; the per-member
 * state is written as that apply would leave it (setup, not measured). Every measured command gets a
 * fresh emulator with full buckets.
 */

const args = parseBenchArgs({ sizes: [10_000], runs: 3 });
const CHANGED = Number(process.env.BENCH_CHANGED ?? 1000);
const [ROLE_A, ROLE_B] = ROLE_IDS;
const holdsA = (): readonly string[] => [ROLE_A];
/** Members 1..CHANGED swap ROLE_A for ROLE_B. */
const afterChange = (i: number): readonly string[] => (i <= CHANGED ? [ROLE_B] : [ROLE_A]);

interface Sample {
  ms: number;
  calls: CallSummary;
  bound: RateBound;
  code: number;
}

function sampleOf(emu: Emulator, run: { ms: number; code: number; stderr: string }, what: string): Sample {
  if (run.code !== 0)
    console.error(`${what} exited ${run.code}:\n${run.stderr.split("\n").slice(-15).join("\n")}`);
  const calls = summarizeCalls(emu.requests);
  return { ms: run.ms, calls, bound: rateBound(calls, args.timeScale), code: run.code };
}

const limits = (): RateLimitOptions => ({ timeScale: args.timeScale });

async function refreshBench(n: number, tfVersion: string) {
  const seed = organizationSeed(n, holdsA);
  const org = await initWorkspace(organizationRolesConfig(n, holdsA));
  let perMember: Awaited<ReturnType<typeof initWorkspace>> | undefined;
  try {
    perMember = await initWorkspace(perMemberConfig(n));
    await withEmulator(seed, false, async (emu) => {
      expectExit(await timedApply(org, providerEnv(emu)), `apply of the organization (N=${n}, setup)`);
    });
    writeMemberRolesState(perMember.dir, n, holdsA(), tfVersion);
    const samples = { org: [] as Sample[], perMember: [] as Sample[] };
    for (let r = 0; r < args.runs; r++) {
      const order = r % 2 === 0 ? (["org", "perMember"] as const) : (["perMember", "org"] as const);
      for (const which of order) {
        const ws = which === "org" ? org : (perMember as NonNullable<typeof perMember>);
        const sample = await withEmulator(seed, limits(), async (emu) =>
          sampleOf(emu, await timedPlan(ws, providerEnv(emu)), `plan (${which}, N=${n})`),
        );
        samples[which].push(sample);
        console.log(
          `refresh N=${n} ${which} run ${r + 1}: ${seconds(sample.ms)} s, ${sample.calls.api} API calls, ` +
            `${sample.calls.tooMany} x 429, exit ${sample.code}`,
        );
      }
    }
    return samples;
  } finally {
    org.dispose();
    perMember?.dispose();
  }
}

/** The same members and roles as N per-member resources. */
function perMemberConfig(n: number): object {
  const config = memberRolesConfig(n) as { resource: Record<string, Record<string, { roles: string[] }>> };
  for (const resource of Object.values(config.resource.auth0roles_organization_member_roles ?? {})) {
    resource.roles = [...holdsA()];
  }
  return config;
}

async function applyBench(n: number) {
  const ws = await initWorkspace(organizationRolesConfig(n, holdsA));
  const state = join(ws.dir, "terraform.tfstate");
  const saved = join(ws.dir, "before.tfstate");
  try {
    await withEmulator(organizationSeed(n, holdsA), false, async (emu) => {
      expectExit(await timedApply(ws, providerEnv(emu)), `apply of the organization (N=${n}, setup)`);
    });
    copyFileSync(state, saved);
    ws.writeConfig(organizationRolesConfig(n, afterChange));
    const samples = {
      limited: [] as (Sample & { converged: boolean })[],
      unlimited: [] as (Sample & { converged: boolean })[],
    };
    for (let r = 0; r < args.runs; r++) {
      for (const withLimits of r % 2 === 0 ? [true, false] : [false, true]) {
        copyFileSync(saved, state);
        const sample = await withEmulator(
          organizationSeed(n, holdsA),
          withLimits ? limits() : false,
          async (emu) => ({
            ...sampleOf(emu, await timedApply(ws, providerEnv(emu)), `apply (N=${n}, ${CHANGED} changed)`),
            converged: userIds(n).every(
              (u, i) => emu.tenant.memberRoles(ORG_ID, u).join(",") === afterChange(i + 1).join(","),
            ),
          }),
        );
        (withLimits ? samples.limited : samples.unlimited).push(sample);
        console.log(
          `apply N=${n} run ${r + 1} ${withLimits ? "with limits" : "no limits"}: ${seconds(sample.ms)} s, ` +
            `bound ${sample.bound.seconds.toFixed(2)} s (${sample.bound.bucket}), ${sample.calls.api} API calls, ` +
            `${sample.calls.tooMany} x 429, ${sample.calls.failed} other failed, exit ${sample.code}, ` +
            `tenant ${sample.converged ? "as configured" : "NOT as configured"}`,
        );
      }
    }
    if (!existsSync(state)) throw new Error("apply left no state");
    return samples;
  } finally {
    ws.dispose();
  }
}

const sum = (samples: readonly Sample[], f: (s: Sample) => number) => samples.reduce((a, s) => a + f(s), 0);
const range = (samples: readonly Sample[]) =>
  `${seconds(Math.min(...samples.map((s) => s.ms)))}-${seconds(Math.max(...samples.map((s) => s.ms)))}`;

async function main(): Promise<void> {
  builtProvider();
  const n = args.sizes[0] ?? 10_000;
  const probe = await initWorkspace(organizationRolesConfig(1, holdsA));
  const tfVersion = await terraformVersion(probe);
  probe.dispose();

  const refresh = await refreshBench(n, tfVersion);
  const refreshRows = (
    [
      ["auth0roles_organization_roles (1 resource)", refresh.org],
      [`auth0roles_organization_member_roles (${n} resources, bulk refresh)`, refresh.perMember],
    ] as const
  ).map(([what, s]) => [
    what,
    median(s.map((x) => x.calls.api)),
    median(s.map((x) => x.calls.token)),
    sum(s, (x) => x.calls.tooMany),
    sum(s, (x) => x.calls.failed),
    `${s.filter((x) => x.code !== 0).length}/${s.length}`,
    seconds(median(s.map((x) => x.bound.seconds * 1000))),
    seconds(median(s.map((x) => x.ms))),
    range(s),
  ]);
  const orgCalls = median(refresh.org.map((x) => x.calls.api));
  const orgMs = median(refresh.org.map((x) => x.ms));
  const memberMs = median(refresh.perMember.map((x) => x.ms));
  const refresh429 = sum(refresh.org, (x) => x.calls.tooMany);
  const refreshFailed = refresh.org.filter((x) => x.code !== 0).length;
  const refreshTable = table(
    [
      "refreshed as",
      "API calls",
      "token calls",
      "429s (all runs)",
      "other failed requests",
      "failed plans",
      "rate-limit bound s",
      "plan wall s (median)",
      "min-max s",
    ],
    refreshRows,
  );
  const refreshTargets = [
    target(`<= 110 API calls for ${n} members`, `${orgCalls}`, orgCalls <= 110),
    target("zero 429 responses", `${refresh429} in all measured runs`, refresh429 === 0),
    target("every plan succeeds with no changes", `${refreshFailed} failed`, refreshFailed === 0),
  ].join("\n");
  console.log(
    `\n${refreshTable}\n\nwall time, per-member resources / organization resource: ${ratio(memberMs / orgMs)}\n${refreshTargets}\n`,
  );

  const apply = await applyBench(n);
  const bound = median(apply.limited.map((s) => s.bound.seconds * 1000));
  const wall = median(apply.limited.map((s) => s.ms));
  const window = median(apply.limited.map((s) => s.calls.lastAt - s.calls.firstAt));
  const binding = apply.limited[0]?.bound;
  const all = [...apply.limited, ...apply.unlimited];
  const failedApplies = all.filter((s) => s.code !== 0 || !s.converged).length;
  const apply429 = sum(apply.limited, (s) => s.calls.tooMany);
  const applyFailed = sum(apply.limited, (s) => s.calls.failed);
  const applyTable = table(
    [
      "members",
      "changed",
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
    [
      [
        n,
        CHANGED,
        median(apply.limited.map((s) => s.calls.api)),
        binding ? `${binding.bucket} (${binding.calls} calls at ${binding.perSecond.toFixed(1)}/s)` : "",
        seconds(bound),
        seconds(wall),
        ratio(wall / bound),
        ratio(window / bound),
        seconds(median(apply.unlimited.map((s) => s.ms))),
        apply429,
        applyFailed,
        `${failedApplies}/${all.length}`,
      ],
    ],
  );
  const applyTargets = [
    target("wall time within 1.2x of the rate-limit bound", ratio(wall / bound), wall / bound <= 1.2),
    target(
      "zero failed requests",
      `${apply429} x 429 and ${applyFailed} other failed`,
      apply429 + applyFailed === 0,
    ),
    target(
      "every apply succeeds and leaves the tenant as configured",
      `${failedApplies} failed`,
      failedApplies === 0,
    ),
  ].join("\n");
  console.log(`\n${applyTable}\n\n${applyTargets}\n`);

  if (!args.write) return;
  writeSection(
    "Organization resource",
    `
\`auth0roles_organization_roles\`: one resource holding an organization of ${n} members, each holding one
role. \`-parallelism=${PARALLELISM}\` (the default), provider defaults.

The emulator enforces Auth0's documented Enterprise limits at **time scale ${args.timeScale}** (every bucket
refills ${args.timeScale}x faster than Auth0's, so a rate-bound wall time is about 1/${args.timeScale} of a real tenant's):
${describeLimits()}

The organization's state is applied beforehand against an emulator without limits; the state of the
${n} per-member resources is written as that apply would leave it (applying them takes Terraform tens
of minutes, all setup). Every measured command gets a fresh emulator (full buckets) seeded with
the tenant. ${args.runs} runs per row, interleaved; medians. Calls and status codes come from the emulator's request log; "API calls" counts
every Management API request, 429s included. The **rate-limit bound** is the shortest time the limits
allow for the calls made (per bucket: calls over its refill rate at the time scale, burst ignored; the
slowest bucket binds), as in the Apply section.

Reproduce: \`npm run bench:organization -- --write\` (options: \`--sizes ${n} --runs ${args.runs} --time-scale ${args.timeScale}\`;
\`BENCH_CHANGED=${CHANGED}\` sets the members the apply changes).
Machine: ${machine(tfVersion)}. Measured ${today()}.

### Refresh

\`terraform plan\` with no changes, side by side with the same organization as ${n}
\`auth0roles_organization_member_roles\` (bulk refresh on).

${refreshTable}

Wall time, per-member resources / organization resource: ${ratio(memberMs / orgMs)}.

The per-member resources' bulk refresh gives up the member listing once it has cost a few pages per
refresh in flight (\`PAGES_PER_REFRESH\` in src/provider/resources/bulk-refresh.ts; Terraform has at
most 10 in flight), far fewer pages than an organization of this size needs, so nearly every member is
then read on its own endpoint. The organization resource reads the listing to the end by design. Its
plan wall time is Terraform and the provider handling one object of that many map entries, not calls
(the bound is the listing).

${refreshTargets}

### Apply

\`terraform apply\` changing ${CHANGED} of the ${n} members (each swaps its role for another: a grant,
then a revoke, after reading the member's own roles), from an applied state; the refresh before the
plan is included in the wall time. Each run paired with the same apply against an emulator without
limits.

${applyTable}

${applyTargets}
`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
