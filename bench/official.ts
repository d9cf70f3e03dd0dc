/**
 * This provider side by side with the official Auth0 provider (registry.terraform.io/auth0/auth0,
 * the real binary from AUTH0ROLES_OFFICIAL_PROVIDER), both driven by the real terraform against one
 * HTTPS emulator with the same seed, interleaved, medians:
 *
 * - plan of an applied state (refresh) of one organization of N members holding 2 roles each, at
 *   Auth0's documented limits (time-scaled) and with no limits;
 * - apply creating the N members' roles, and apply changing 10% of them (each loses one role), at
 *   the documented limits;
 * - start-up: spawn -> go-plugin handshake line of each executable, clean environment.
 *
 * Every measured command gets a fresh emulator (full buckets) seeded with the tenant it expects.
 */
import { execFileSync, spawn } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { installedExecutable } from "../src/distribution/mirror";
import { type Emulator, type RateLimitOptions, type SeedData, startEmulator } from "../src/emulator";
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from "../src/provider/plugin/handshake";
import { generateSelfSignedCertificate } from "../src/tls/self-signed-cert";
import { OFFICIAL_SOURCE, officialProvider } from "../test/support/official-provider";
import { officialEnv } from "../test/support/official-workspace";
import { type CallSummary, describeLimits, summarizeCalls } from "./support/calls";
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
import { benchSeed, CLIENT_ID, CLIENT_SECRET, ORG_ID, ROLE_IDS, userIds } from "./support/tenant";
import {
  BenchWorkspace,
  builtProvider,
  PARALLELISM,
  resetState,
  type TimedRun,
  terraformVersion,
  timedApply,
  timedPlan,
} from "./support/terraform";

const args = parseBenchArgs({ sizes: [100, 1000], runs: 3, timeScale: 10 });
const official = officialProvider();

type Kind = "ours" | "official";
const KINDS: readonly Kind[] = ["ours", "official"];
const LABEL: Record<Kind, string> = {
  ours: "auth0roles (this provider)",
  official: `auth0/auth0 ${official.version}`,
};

/** Members whose roles the "10%" apply changes: every tenth, each keeping only its first role. */
const changed = (i: number) => i % 10 === 0;
const allRoles = () => [...ROLE_IDS];
const tenPercentChanged = (i: number) => (changed(i) ? [ROLE_IDS[0]] : [...ROLE_IDS]);

/** N member-roles resources of either provider, member i (1-based) holding rolesOf(i). */
function config(kind: Kind, n: number, rolesOf: (i: number) => readonly string[]): object {
  const type = kind === "ours" ? "auth0roles" : "auth0";
  const source = kind === "ours" ? "terraform.local/rolesascode/auth0roles" : "auth0/auth0";
  return {
    terraform: {
      required_providers: {
        [type]: { source, ...(kind === "official" ? { version: official.version } : {}) },
      },
    },
    provider: { [type]: {} },
    resource: {
      [`${type}_organization_member_roles`]: Object.fromEntries(
        userIds(n).map((user_id, i) => [
          `m${String(i + 1).padStart(5, "0")}`,
          { organization_id: ORG_ID, user_id, roles: [...rolesOf(i + 1)] },
        ]),
      ),
    },
  };
}

/** A workspace for `kind`, initialized; the official binary is linked into its implied mirror. */
async function workspace(kind: Kind, n: number): Promise<BenchWorkspace> {
  const ws = new BenchWorkspace();
  if (kind === "official") {
    const dir = join(ws.dir, "terraform.d", "plugins", OFFICIAL_SOURCE, official.version, "linux_amd64");
    mkdirSync(dir, { recursive: true });
    symlinkSync(official.path, join(dir, `terraform-provider-auth0_v${official.version}`));
  }
  ws.writeConfig(config(kind, n, allRoles));
  await ws.init();
  return ws;
}

/** Credentials and trust for both providers (the official one always speaks HTTPS), and the CPU shim. */
function env(emu: Emulator): Record<string, string> {
  return {
    ...officialEnv(emu, { id: CLIENT_ID, secret: CLIENT_SECRET }),
    AUTH0_AUDIENCE: emu.audience,
    ...shimPath,
  };
}

interface Sample {
  readonly ms: number;
  /** CPU seconds (user + system) of terraform and every provider process it started and reaped. */
  readonly cpu: number;
  readonly calls: CallSummary;
  readonly code: number;
}

/**
 * A `terraform` first on PATH that runs the real one and then writes the shell's `times` for its
 * children: terraform's CPU plus that of the provider processes it waited for. On a machine shared
 * with other jobs, CPU time says what a plan costs better than wall time does.
 */
const cpuDir = mkdtempSync(join(tmpdir(), "official-bench-cpu-"));
const cpuFile = join(cpuDir, "times");
process.on("exit", () => rmSync(cpuDir, { recursive: true, force: true }));
const realTerraform =
  process.env.AUTH0ROLES_TERRAFORM ||
  execFileSync("sh", ["-c", "command -v terraform"], { encoding: "utf8" }).trim();
writeFileSync(
  join(cpuDir, "terraform"),
  `#!/bin/sh\n'${realTerraform}' "$@"\nrc=$?\ntimes > '${cpuFile}'\nexit $rc\n`,
);
chmodSync(join(cpuDir, "terraform"), 0o755);
// The workspaces spawn AUTH0ROLES_TERRAFORM when it is set (test/support/engine.ts), which would
// bypass the shim on PATH: point it at the shim, which runs the engine it named.
if (process.env.AUTH0ROLES_TERRAFORM) process.env.AUTH0ROLES_TERRAFORM = join(cpuDir, "terraform");
const shimPath = { PATH: `${cpuDir}${delimiter}${process.env.PATH ?? "/usr/bin:/bin"}` };

/** The children's user + system seconds from `times` ("0m1.230s 0m0.450s" on its second line). */
function childCpu(): number {
  if (!existsSync(cpuFile))
    throw new Error("terraform did not run through the CPU shim (PATH): no `times` output.");
  const line = readFileSync(cpuFile, "utf8").trim().split("\n")[1] ?? "";
  const parts = [...line.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  if (parts.length !== 2) throw new Error(`Unreadable \`times\` output: ${line}`);
  return (parts[0] as number) + (parts[1] as number);
}

async function measured(
  seed: SeedData,
  limits: RateLimitOptions | false,
  run: (emu: Emulator) => Promise<TimedRun>,
): Promise<Sample> {
  const emu = await startEmulator({ seed, rateLimits: limits, https: true });
  rmSync(cpuFile, { force: true });
  try {
    const result = await run(emu);
    if (result.code !== 0)
      console.error(`exit ${result.code}:\n${result.stderr.split("\n").slice(-15).join("\n")}`);
    return { ms: result.ms, cpu: childCpu(), calls: summarizeCalls(emu.requests), code: result.code };
  } finally {
    await emu.stop();
  }
}

const SCENARIOS = [
  "apply creating the roles (limits)",
  "plan, refresh (limits)",
  "plan, refresh (no limits)",
  "plan, refresh (limits, time scale 1)",
  "apply changing 10% (limits)",
] as const;
type Scenario = (typeof SCENARIOS)[number];

/** One round of every scenario for one provider, in order (each leaves the state the next needs). */
async function round(ws: BenchWorkspace, kind: Kind, n: number): Promise<Map<Scenario, Sample>> {
  const limits: RateLimitOptions = { timeScale: args.timeScale };
  const out = new Map<Scenario, Sample>();
  resetState(ws);
  ws.writeConfig(config(kind, n, allRoles));
  out.set(SCENARIOS[0], await measured(benchSeed(n, false), limits, (emu) => timedApply(ws, env(emu))));
  out.set(SCENARIOS[1], await measured(benchSeed(n, true), limits, (emu) => timedPlan(ws, env(emu))));
  out.set(SCENARIOS[2], await measured(benchSeed(n, true), false, (emu) => timedPlan(ws, env(emu))));
  // Auth0's own pace: what a pipeline's plan waits for against a real tenant (no scale applied).
  const realTime: RateLimitOptions = { timeScale: 1 };
  out.set(SCENARIOS[3], await measured(benchSeed(n, true), realTime, (emu) => timedPlan(ws, env(emu))));
  ws.writeConfig(config(kind, n, tenPercentChanged));
  out.set(SCENARIOS[4], await measured(benchSeed(n, true), limits, (emu) => timedApply(ws, env(emu))));
  return out;
}

/** Spawn -> handshake line, with Terraform's plugin environment and nothing else (PATH, HOME). */
function timeHandshake(executable: string, clientCert: string): Promise<number> {
  const environment = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? "/tmp",
    [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE,
    // What Terraform offers; the official provider (SDKv2) answers 5, this one 6.
    PLUGIN_PROTOCOL_VERSIONS: "5,6",
    PLUGIN_MIN_PORT: "10000",
    PLUGIN_MAX_PORT: "25000",
    PLUGIN_CLIENT_CERT: clientCert,
    CHECKPOINT_DISABLE: "1",
  };
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(executable, [], { env: environment, stdio: ["ignore", "pipe", "ignore"] });
    let elapsed: number | undefined;
    child.stdout.on("data", (d: Buffer) => {
      if (elapsed !== undefined || !d.toString().includes("\n")) return;
      elapsed = performance.now() - started;
      child.kill("SIGTERM");
    });
    child.on("error", fail);
    child.on("close", () =>
      elapsed === undefined ? fail(new Error(`${executable} printed no handshake.`)) : done(elapsed),
    );
  });
}

async function startup(runs: number): Promise<string> {
  const ws = new BenchWorkspace();
  const executables: Record<Kind, string> = {
    // What Terraform runs of this provider: the launcher in the plugin mirror.
    ours: installedExecutable(join(ws.dir, "terraform.d", "plugins"), "linux_amd64"),
    official: official.path,
  };
  const cert = generateSelfSignedCertificate().certPem;
  const samples: Record<Kind, number[]> = { ours: [], official: [] };
  try {
    for (let r = 0; r < runs + 3; r++) {
      for (const kind of r % 2 === 0 ? KINDS : [...KINDS].reverse()) {
        const ms = await timeHandshake(executables[kind], cert);
        if (r >= 3) samples[kind].push(ms); // 3 warm-up rounds
      }
    }
  } finally {
    ws.dispose();
  }
  const rows = KINDS.map((k) => [
    LABEL[k],
    median(samples[k]).toFixed(1),
    Math.min(...samples[k]).toFixed(1),
  ]);
  const result = table(["executable", "spawn -> handshake, median ms", "min ms"], rows);
  return `${result}\n\nspawn -> handshake, official / this provider: ${ratio(median(samples.official) / median(samples.ours))} (${runs} runs each, interleaved, after 3 warm-up rounds)`;
}

interface Totals {
  rows: (string | number)[][];
  ratios: (string | number)[][];
  goals: string[];
}

function summarize(
  n: number,
  scenario: Scenario,
  samples: Record<Kind, Sample[]>,
  firsts: Record<Kind, Kind[]>,
  totals: Totals,
) {
  const stat = (kind: Kind) => {
    const s = samples[kind];
    return {
      ms: median(s.map((x) => x.ms)),
      cpu: median(s.map((x) => x.cpu)),
      calls: median(s.map((x) => x.calls.api)),
      tooMany: median(s.map((x) => x.calls.tooMany)),
      failed: s.filter((x) => x.code !== 0).length,
      runs: s.length,
    };
  };
  const ours = stat("ours");
  const off = stat("official");
  for (const [kind, st] of [
    ["ours", ours],
    ["official", off],
  ] as const) {
    totals.rows.push([
      n,
      scenario,
      LABEL[kind],
      st.calls,
      st.tooMany,
      seconds(st.ms),
      st.cpu.toFixed(2),
      `${st.failed}/${st.runs}`,
    ]);
  }
  // The wall-time ratio over the runs where each provider went first: order must not decide it.
  const byOrder = (first: Kind) => {
    const pick = (kind: Kind) => samples[kind].filter((_, i) => firsts[kind][i] === first).map((x) => x.ms);
    return ratio(median(pick("official")) / median(pick("ours")));
  };
  totals.ratios.push([
    n,
    scenario,
    ratio(off.calls / ours.calls),
    ratio(off.ms / ours.ms),
    `${byOrder("ours")} / ${byOrder("official")}`,
    ratio(off.cpu / ours.cpu),
  ]);
  if (n === 1000 && scenario === "plan, refresh (limits, time scale 1)") {
    totals.goals.push(
      target(
        "at documented limits (time scale 1), N = 1000, plan >= 20x faster",
        ratio(off.ms / ours.ms),
        off.ms / ours.ms >= 20,
      ),
    );
    totals.goals.push(
      target(
        "at documented limits (time scale 1), N = 1000, >= 50x fewer calls",
        ratio(off.calls / ours.calls),
        off.calls / ours.calls >= 50,
      ),
    );
  }
  if (scenario === "plan, refresh (no limits)") {
    totals.goals.push(
      target(
        `no limits, N = ${n}, plan not slower than the official provider`,
        `${ratio(off.ms / ours.ms)} official / ours`,
        ours.ms <= off.ms,
      ),
    );
  }
}

async function main(): Promise<void> {
  builtProvider();
  const totals: Totals = { rows: [], ratios: [], goals: [] };
  let tfVersion = "";
  for (const n of args.sizes) {
    const spaces = { ours: await workspace("ours", n), official: await workspace("official", n) };
    try {
      tfVersion ||= await terraformVersion(spaces.ours);
      const samples = new Map<Scenario, Record<Kind, Sample[]>>(
        SCENARIOS.map((s) => [s, { ours: [], official: [] }]),
      );
      const firsts: Record<Kind, Kind[]> = { ours: [], official: [] };
      for (let r = 0; r < args.runs; r++) {
        // Alternate which provider goes first, so that neither always runs on a warmer machine.
        const order = r % 2 === 0 ? KINDS : [...KINDS].reverse();
        for (const kind of order) {
          const result = await round(spaces[kind], kind, n);
          firsts[kind].push(order[0] as Kind);
          for (const [scenario, sample] of result) {
            samples.get(scenario)?.[kind].push(sample);
            console.log(
              `N=${n} run ${r + 1} ${kind}: ${scenario}: ${seconds(sample.ms)} s, ${sample.calls.api} calls, ` +
                `${sample.calls.tooMany} x 429, CPU ${sample.cpu.toFixed(2)} s, exit ${sample.code}`,
            );
          }
        }
      }
      for (const scenario of SCENARIOS)
        summarize(n, scenario, samples.get(scenario) as Record<Kind, Sample[]>, firsts, totals);
    } finally {
      spaces.ours.dispose();
      spaces.official.dispose();
    }
  }
  const start = await startup(Math.max(10, args.runs * 5));
  const results = table(
    [
      "N",
      "scenario",
      "provider",
      "API calls (median)",
      "429s (median)",
      "wall s (median)",
      "CPU s, terraform + provider (median)",
      "failed runs",
    ],
    totals.rows,
  );
  const ratios = table(
    [
      "N",
      "scenario",
      "API calls, official / ours",
      "wall time, official / ours",
      "wall ratio, ours first / official first",
      "CPU, official / ours",
    ],
    totals.ratios,
  );
  const goals = totals.goals.join("\n");
  console.log(`\n${results}\n\n${ratios}\n\n${start}\n\n${goals}\n`);
  if (!args.write) return;
  writeSection(
    "Compared with the official provider",
    `
This provider and the official Auth0 provider (\`registry.terraform.io/auth0/auth0\` ${official.version}, the
real binary, built from its source with Go), each managing N \`*_organization_member_roles\` of one
organization of exactly N members (2 roles each), driven by the same Terraform (\`-parallelism=${PARALLELISM}\`,
the default) against the same emulator in HTTPS mode with the same seed. Both providers get the same
environment: \`AUTH0_DOMAIN\` (the official provider drops the scheme and always speaks HTTPS), the client
credentials, and the emulator's certificate as \`SSL_CERT_FILE\`, which both read (the official provider
through Go, this one in its Management API client; against Auth0 itself it is not needed). This provider runs
with its defaults (\`bulk_refresh = true\`). Every measured command gets a fresh emulator (full buckets)
seeded with the tenant it expects; each round runs, for one provider: apply creating every member's
roles (from an empty state), plan on that applied state with limits (time-scaled, then at time scale 1) and
without, and an apply in
which every tenth member loses one role. ${args.runs} rounds per provider, the providers alternating which goes
first; medians. Calls and 429s come from the emulator's request log ("API calls" counts every Management
API request, 429s included). "CPU" is the user + system time of \`terraform\` and every provider process it
started (the shell's \`times\` after the command, through a \`terraform\` first on PATH): on a machine shared with
other jobs it says what a command costs better than its wall time.

**Limits, time-scaled.** "limits" is Auth0's documented Enterprise limits at **time scale ${args.timeScale}**: every
bucket refills ${args.timeScale}x faster than Auth0's, so a rate-bound wall time is about 1/${args.timeScale} of a real tenant's:
${describeLimits()}

The scale treats the two providers differently in one respect. This provider paces itself from the
rate-limit headers, so it follows the faster refill. The official provider sends until it gets a 429 and
then sleeps until \`X-RateLimit-Reset\` (whole UNIX seconds, not scaled), with no bound on retries; at the
scale its sleeps are real seconds, about ${args.timeScale}x longer in tenant time than on a real tenant, while the
buckets it then finds hold ${args.timeScale}x more. Its throughput still follows the refill rate, but it sends fewer
429s per call than it would against Auth0 (there, each sleep of about a second is followed by about
3 successful reads before the next 429 of each of Terraform's ${PARALLELISM} workers).

"limits, time scale 1" is the same limits unscaled: Auth0's own refill, what a pipeline's plan waits for
against a real tenant, and where the goals for the plan at the limits are judged.

Reproduce: \`AUTH0ROLES_OFFICIAL_PROVIDER=<path> npm run bench:official -- --write\` (\`npm run engines\` builds the
official provider and prints its path; options: \`--sizes ${args.sizes.join(",")} --runs ${args.runs} --time-scale ${args.timeScale}\`).
Machine: ${machine(tfVersion)}. Measured ${today()}.

${results}

${ratios}

Start-up (spawn -> the go-plugin handshake line, clean environment: \`PATH\`, \`HOME\` and Terraform's plugin
variables only; this provider as Terraform runs it, the launcher in the plugin mirror):

${start}

${goals}
`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
