import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { summarizeCalls } from "./support/calls";
import { memberRolesConfig } from "./support/config";
import { profilingShim, reportProfiles } from "./support/cpu-profile";
import { machine, parseBenchArgs, seconds, today, writeSection } from "./support/report";
import { benchSeed, providerEnv, withEmulator } from "./support/tenant";
import {
  builtProvider,
  expectExit,
  initWorkspace,
  terraformVersion,
  timedApply,
  timedPlan,
} from "./support/terraform";

/**
 * Where a plan's provider CPU time goes: one `terraform plan` of N applied member-roles resources
 * (emulator without rate limits) with every provider process Terraform starts under V8's sampling
 * profiler (`node --cpu-prof`, through a `node` shim first on Terraform's PATH: Node 20 refuses
 * --cpu-prof in NODE_OPTIONS). Samples are attributed to source files through the bundle's
 * source map and grouped: this provider's code by module, each dependency as a whole, Node's own
 * JavaScript, and V8's garbage collector and native code.
 *
 * Run: `npm run bench:plan-profile` (options: `--sizes 1000 --parallelism 10 --write`).
 */

const args = parseBenchArgs({ sizes: [1000], runs: 1, parallelism: [10] });

async function main(): Promise<void> {
  const provider = builtProvider();
  const bundle = join(provider, "..", "provider-bundle.js");
  const n = args.sizes[0] ?? 1000;
  const parallelism = args.parallelism[0] ?? 10;
  const profiles = mkdtempSync(join(tmpdir(), "plan-profile-"));
  let summary = "";
  let tfVersion = "";
  try {
    await withEmulator(benchSeed(n, true), false, async (emu) => {
      const env = providerEnv(emu);
      const ws = await initWorkspace(memberRolesConfig(n));
      try {
        tfVersion = await terraformVersion(ws);
        expectExit(await timedApply(ws, env), `apply of N=${n} (setup)`);
        emu.clearRequests();
        const run = await timedPlan(
          ws,
          { ...env, PATH: `${profilingShim(profiles)}:${process.env.PATH ?? ""}` },
          parallelism,
        );
        expectExit(run, `profiled plan of N=${n}`);
        summary = `One \`terraform plan\` of N = ${n} at -parallelism=${parallelism}: ${seconds(run.ms)} s wall with the profiler on, ${summarizeCalls(emu.requests).api} API calls.`;
      } finally {
        ws.dispose();
      }
    });
    const tables = reportProfiles(profiles, bundle);
    console.log(`${summary}\n\n${tables}`);
    if (args.write) {
      writeSection(
        "Provider CPU during a plan",
        [
          "Where the provider's CPU time goes in one `terraform plan` of N applied member-roles resources",
          "(emulator without rate limits, provider defaults): every provider process Terraform starts runs",
          "under V8's sampling profiler (`node --cpu-prof`), and each sample's self time is attributed through",
          "the bundle's source map to this provider's source files, a dependency's package, Node.js's own",
          "JavaScript by module, or V8 (garbage collector, native code, and protobufjs's generated",
          "functions, which V8 reports without a file). The profiler slows everything down, so read shares,",
          "not milliseconds.",
          "",
          `Reproduce: \`npm run bench:plan-profile -- --write\` (options: \`--sizes ${n} --parallelism ${parallelism}\`).`,
          `Machine: ${machine(tfVersion)}. Measured ${today()}.`,
          "",
          summary,
          "",
          tables,
        ].join("\n"),
      );
    }
  } finally {
    rmSync(profiles, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
