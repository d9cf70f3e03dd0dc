import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Emulator } from "../src/emulator";
import { runCli } from "../test/support/cli";
import { requireEngine } from "../test/support/engine";
import { type CallSummary, describeLimits, type RateBound, rateBound, summarizeCalls } from "./support/calls";
import {
  machine,
  median,
  parseBenchArgs,
  ratio,
  seconds,
  table,
  today,
  writeSection,
} from "./support/report";
import { ORG_ID, organizationSeed, providerEnv, ROLE_IDS, withEmulator } from "./support/tenant";
import { BenchWorkspace, expectExit, terraformVersion, timed } from "./support/terraform";

/**
 * Adopting an organization of N members, every one holding a role, against the emulator enforcing
 * Auth0's documented limits (time-scaled): `terraform query -generate-config-out` of a `list` block
 * (the engine's own tool, Terraform >= 1.14) side by side with `auth0-member-roles export` of the same
 * organization (the baseline, for engines without `query`), interleaved, each run on a fresh emulator
 * with full buckets. Both write import blocks plus resources for every member; both read the member
 * list with roles. Needs AUTH0ROLES_TERRAFORM pointing at Terraform >= 1.14.
 */

const args = parseBenchArgs({ sizes: [10_000], runs: 3 });
const [ROLE] = ROLE_IDS;

interface Sample {
  ms: number;
  calls: CallSummary;
  bound: RateBound;
  code: number;
  /** Resources in the written file. */
  written: number;
}

function countResources(file: string): number {
  if (!existsSync(file)) return 0;
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.startsWith('resource "')).length;
}

function sampleOf(emu: Emulator, run: { ms: number; code: number; stderr: string }, file: string): Sample {
  if (run.code !== 0) console.error(`exited ${run.code}:\n${run.stderr.split("\n").slice(-15).join("\n")}`);
  const calls = summarizeCalls(emu.requests);
  return {
    ms: run.ms,
    calls,
    bound: rateBound(calls, args.timeScale),
    code: run.code,
    written: countResources(file),
  };
}

function queryFile(n: number): string {
  return `list "auth0roles_organization_member_roles" "members" {
  provider = auth0roles
  limit    = ${n}
  config {
    organization_id = "${ORG_ID}"
  }
}
`;
}

async function queryRun(ws: BenchWorkspace, emu: Emulator): Promise<Sample> {
  const out = join(ws.dir, "generated.tf");
  rmSync(out, { force: true });
  const run = await timed(ws, ["query", "-no-color", "-generate-config-out=generated.tf"], providerEnv(emu));
  return sampleOf(emu, run, out);
}

async function exportRun(ws: BenchWorkspace, emu: Emulator): Promise<Sample> {
  // Outside the working directory: 10,000 resources there would be configuration for the next query.
  const out = join(ws.rootDir, "exported.tf");
  rmSync(out, { force: true });
  const start = performance.now();
  const run = await runCli(["export", "--organization", ORG_ID, "--out", out], providerEnv(emu), {
    cwd: ws.dir,
  });
  return sampleOf(emu, { ...run, ms: performance.now() - start }, out);
}

const sum = (s: readonly Sample[], f: (x: Sample) => number) => s.reduce((t, x) => t + f(x), 0);

async function main(): Promise<void> {
  requireEngine("bench:query (terraform query)", { terraform: [1, 14] });
  const n = args.sizes[0] ?? 10_000;
  const seed = organizationSeed(n, () => [ROLE]);
  const ws = new BenchWorkspace();
  try {
    ws.writeConfig(`terraform {
  required_providers {
    auth0roles = { source = "terraform.local/rolesascode/auth0roles" }
  }
}

provider "auth0roles" {}
`);
    ws.writeFile("members.tfquery.hcl", queryFile(n));
    await ws.init();
    const tfVersion = await terraformVersion(ws);
    const samples = { query: [] as Sample[], export: [] as Sample[] };
    const limits = { timeScale: args.timeScale };
    for (let r = 0; r < args.runs; r++) {
      const order = r % 2 === 0 ? (["query", "export"] as const) : (["export", "query"] as const);
      for (const which of order) {
        const sample = await withEmulator(seed, limits, (emu) =>
          which === "query" ? queryRun(ws, emu) : exportRun(ws, emu),
        );
        expectExit({ code: sample.code, stdout: "", stderr: "" }, `${which} run ${r + 1}`);
        samples[which].push(sample);
        console.log(
          `run ${r + 1} ${which}: ${seconds(sample.ms)} s, ${sample.calls.api} API calls, ${sample.calls.tooMany} x 429, ${sample.written} resources written`,
        );
      }
    }
    const rows = (
      [
        ["terraform query -generate-config-out", samples.query],
        ["auth0-member-roles export (baseline)", samples.export],
      ] as const
    ).map(([what, s]) => [
      what,
      median(s.map((x) => x.written)),
      median(s.map((x) => x.calls.api)),
      median(s.map((x) => x.calls.token)),
      sum(s, (x) => x.calls.tooMany),
      sum(s, (x) => x.calls.failed),
      seconds(median(s.map((x) => x.bound.seconds * 1000))),
      seconds(median(s.map((x) => x.calls.lastAt - x.calls.firstAt))),
      seconds(median(s.map((x) => x.ms))),
      `${seconds(Math.min(...s.map((x) => x.ms)))}-${seconds(Math.max(...s.map((x) => x.ms)))}`,
    ]);
    const results = table(
      [
        "adopted with",
        "resources written",
        "API calls",
        "token calls",
        "429s (all runs)",
        "other failed requests",
        "rate-limit bound s",
        "first-to-last call s",
        "wall s (median)",
        "min-max s",
      ],
      rows,
    );
    const queryMs = median(samples.query.map((x) => x.ms));
    const exportMs = median(samples.export.map((x) => x.ms));
    console.log(`\n${results}\n\nwall time, query / export: ${ratio(queryMs / exportMs)}\n`);
    if (!args.write) return;
    writeSection(
      "terraform query",
      `
Adopting an organization of ${n} members, each holding one role:
\`terraform query -generate-config-out=generated.tf\` of one \`list "auth0roles_organization_member_roles"\`
block (\`limit = ${n}\`) next to \`auth0-member-roles export --organization ... --out FILE\` of the same
organization (the baseline, for engines without \`query\`). Both write an import block and a resource for every
member, from the organization's member list with roles (100 members a call) read through the same pacer.

The emulator enforces Auth0's documented Enterprise limits at **time scale ${args.timeScale}** (every bucket
refills ${args.timeScale}x faster than Auth0's, so a rate-bound wall time is about 1/${args.timeScale} of a real tenant's):
${describeLimits()}

Every run gets a fresh emulator (full buckets) seeded with the organization. ${args.runs} runs per row,
interleaved; medians. Calls and status codes come from the emulator's request log; "API calls" counts every
Management API request, 429s included; the rate-limit bound is the calls over the binding bucket's refill rate
at the time scale (burst ignored). The wall time is the whole command: Terraform's start, the provider's
start-ups, the listing and writing the file (query); Node's start, the listing and writing (export). "First-to-last
call" is the time from the first to the last Management API request: the listing, paced; with \`query\` it also
holds Terraform reading the stream, since the provider stays only a few events ahead of Terraform's reading
(the stream's write buffer) before it asks for the next page.

Reproduce: \`AUTH0ROLES_TERRAFORM=/path/to/terraform-1.14-or-newer npm run bench:query -- --write\`
(options: \`--sizes ${n} --runs ${args.runs} --time-scale ${args.timeScale}\`).
Machine: ${machine(tfVersion)}. Measured ${today()}.

${results}

Wall time, query / export: ${ratio(queryMs / exportMs)}.
`,
    );
  } finally {
    ws.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
