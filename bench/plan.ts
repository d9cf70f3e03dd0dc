import { resolve } from "node:path";
import { summarizeCalls } from "./support/calls";
import { memberRolesConfig, terraformDataConfig } from "./support/config";
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
  terraformVersion,
  timedApply,
  timedPlan,
} from "./support/terraform";

/**
 * Plan vs terraform_data: `terraform plan` wall time on an applied state of N of our resources
 * (emulator without rate limits, provider defaults) side by side with N built-in `terraform_data`
 * resources holding the same values (no provider process, no API), interleaved in the same run.
 * What is left after subtracting terraform_data is our provider's cost: start-up, gRPC, refresh.
 */

const args = parseBenchArgs({ sizes: [100, 1000], runs: 5, parallelism: [PARALLELISM, 50] });

type Which = "ours" | "builtin" | "baseline";

async function main(): Promise<void> {
  builtProvider();
  const rows: (string | number)[][] = [];
  const baselineRows: (string | number)[][] = [];
  let tfVersion = "";
  const ratios = new Map<string, number>();
  const medians = new Map<string, number>();

  for (const n of args.sizes) {
    const seed = benchSeed(n, true);
    await withEmulator(seed, false, async (emu) => {
      const env = providerEnv(emu);
      let ours: BenchWorkspace | undefined;
      let builtin: BenchWorkspace | undefined;
      let baseline: BenchWorkspace | undefined;
      try {
        ours = await initWorkspace(memberRolesConfig(n));
        builtin = await initWorkspace(terraformDataConfig(n));
        tfVersion ||= await terraformVersion(ours);
        expectExit(await timedApply(ours, env), `apply of N=${n} member roles (setup)`);
        expectExit(await timedApply(builtin), `apply of N=${n} terraform_data (setup)`);
        if (args.baseline !== undefined) {
          baseline = await initWorkspace(memberRolesConfig(n), resolve(args.baseline));
          expectExit(await timedApply(baseline, env), `apply of N=${n} member roles, baseline build (setup)`);
        }
        const workspaces = { ours, builtin, baseline };
        const kinds: Which[] = baseline === undefined ? ["ours", "builtin"] : ["ours", "builtin", "baseline"];

        // Every (parallelism, resource kind) pair once per round, the order rotating each round.
        const cases = args.parallelism.flatMap((p) => kinds.map((which) => ({ p, which })));
        const times = new Map(cases.map((c) => [`${c.p}:${c.which}`, [] as number[]]));
        const calls = new Map(args.parallelism.map((p) => [p, [] as number[]]));
        for (let r = 0; r < args.runs; r++) {
          for (let k = 0; k < cases.length; k++) {
            const { p, which } = cases[(r + k) % cases.length] as { p: number; which: Which };
            emu.clearRequests();
            const ws = workspaces[which] as BenchWorkspace;
            const run = await timedPlan(ws, which === "builtin" ? {} : env, p);
            expectExit(run, `plan of N=${n} ${which} at -parallelism=${p}`);
            times.get(`${p}:${which}`)?.push(run.ms);
            if (which === "ours") calls.get(p)?.push(summarizeCalls(emu.requests).api);
            console.log(`N=${n} -parallelism=${p} ${which} run ${r + 1}: ${seconds(run.ms)} s`);
          }
        }
        for (const p of args.parallelism) {
          const oursMs = median(times.get(`${p}:ours`) ?? []);
          const builtinMs = median(times.get(`${p}:builtin`) ?? []);
          rows.push([
            n,
            p,
            seconds(oursMs),
            median(calls.get(p) ?? []),
            seconds(builtinMs),
            ratio(oursMs / builtinMs),
          ]);
          if (baseline !== undefined) {
            const baselineMs = median(times.get(`${p}:baseline`) ?? []);
            baselineRows.push([n, p, seconds(oursMs), seconds(baselineMs), ratio(oursMs / baselineMs)]);
          }
          ratios.set(`${n}:${p}`, oursMs / builtinMs);
          medians.set(`${n}:${p}:ours`, oursMs);
          medians.set(`${n}:${p}:builtin`, builtinMs);
        }
      } finally {
        ours?.dispose();
        builtin?.dispose();
        baseline?.dispose();
      }
    });
  }

  const results = table(
    [
      "N",
      "-parallelism",
      "member_roles plan s (median)",
      "its API calls",
      "terraform_data plan s (median)",
      "member_roles / terraform_data",
    ],
    rows,
  );
  const goals: [number, number][] = [
    [100, 3],
    [1000, 1.5],
  ];
  const targets = goals
    .flatMap(([n, limit]) =>
      args.parallelism
        .filter((p) => ratios.has(`${n}:${p}`))
        .map((p) => {
          const measured = ratios.get(`${n}:${p}`) as number;
          return target(
            `<= ${limit}x terraform_data at N = ${n}, -parallelism=${p}`,
            ratio(measured),
            measured <= limit,
          );
        }),
    )
    .join("\n");
  console.log(`\n${results}\n\n${targets}\n`);

  const parallelismEffect = args.sizes
    .map((n) => {
      const at = (p: number, which: Which) => `${seconds(medians.get(`${n}:${p}:${which}`) ?? Number.NaN)} s`;
      const list = (which: Which) => args.parallelism.map((p) => `${at(p, which)} at ${p}`).join(", ");
      return `- N = ${n}: member_roles ${list("ours")}; terraform_data ${list("builtin")}.`;
    })
    .join("\n");
  console.log(parallelismEffect);
  if (baselineRows.length > 0) {
    const vs = table(
      [
        "N",
        "-parallelism",
        "this build plan s (median)",
        "baseline build plan s (median)",
        "this / baseline",
      ],
      baselineRows,
    );
    console.log(`\nThis build against ${args.baseline} (same runs):\n\n${vs}\n`);
  }

  if (!args.write) return;
  writeSection(
    "Plan vs terraform_data",
    `
\`terraform plan\` wall time (process start to exit; no changes) on an applied state of N
\`auth0roles_organization_member_roles\` (one organization of N members, 2 roles each; provider
defaults) side by side with N built-in \`terraform_data\` resources holding the same values in
\`input\` (no provider process, no API calls). The emulator has **no rate limits** (no time scale): this
measures what the provider costs Terraform (its start-ups, gRPC, refresh calls), not the tenant.
Terraform and the provider run in a clean environment (PATH, HOME and Terraform's own variables).
Each of \`-parallelism\` ${args.parallelism.join(" and ")} (${PARALLELISM} is Terraform's default); ${args.runs} runs of every
(parallelism, resource kind) pair, interleaved in rotating order; medians.

Reproduce: \`npm run bench:plan -- --write\` (options: \`--sizes 100,1000 --parallelism ${args.parallelism.join(",")} --runs ${args.runs}\`).
Machine: ${machine(tfVersion)}. Measured ${today()}.

${results}

${targets}

Raising \`-parallelism\` (medians of the same runs):
${parallelismEffect}

${baselineRows.length > 0 ? `This build against an earlier one (\`--baseline\`, the build in ${args.baseline}), plans of member roles in the same interleaved runs:\n\n${table(["N", "-parallelism", "this build plan s (median)", "baseline build plan s (median)", "this / baseline"], baselineRows)}\n\n` : ""}Where the difference goes ("Where a plan's wall time goes" has the timeline of one plan at N = 100,
"Provider start-up", "Per-call cost of the plugin transport" and "Provider CPU during a plan" measure
the parts):
- The provider is on the critical path for nearly all of its lifetime: at N = 100 its three processes
  are busy (CPU time) for about as long as they live, and Terraform waits on each answer
  before the resource's next call, so the gap in wall time is about the provider's CPU time
  (plus Terraform's own work for the plugin: its gRPC client, launching and waiting).
- Fixed costs, paid three times per plan: Terraform starts the provider for the schema, for
  validation, and for refresh and plan, and each time waits for Node's start-up and the handshake
  (~35-45 ms), the first call, and the process's exit (~7 ms from Terraform's Close). With
  Terraform's work between processes, about 0.2 s per plan.
- Per call: Terraform makes about five calls per resource (ValidateResourceConfig in the validate
  walk and again in the plan walk, UpgradeResourceState, ReadResource, PlanResourceChange). Early in
  a process V8 runs them as unoptimized code, so at N = 100 a call costs the provider ~0.5 ms of CPU
  (the refresh-and-plan process spends ~0.2 s on its ~400 calls), against ~0.1-0.2 ms once warm
  ("Per-call cost of the plugin transport"); most of it is the transport (Node's http2, streams and
  TLS, @grpc/grpc-js), protobuf and msgpack, and V8's garbage collector; this provider's own code
  is a small share. At N = 1,000 the per-call cost dominates.
- The refresh itself is short: ConfigureProvider (~15 ms, loading the API client), then the first
  reads wait ~20 ms for the token and the organization's listing; every other read is answered from
  that listing. The API calls are not the cost: the whole refresh makes 6 calls at N = 100 and 15 at
  N = 1,000.
`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
