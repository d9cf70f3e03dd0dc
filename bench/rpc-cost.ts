import { readFileSync } from "node:fs";
import { encodeDynamicValue } from "../src/provider/protocol/codec";
import { memberRolesSchema } from "../src/provider/schema";
import { ProviderProcess } from "../test/support/terraform-client";
import { machine, median, parseBenchArgs, table, today, writeSection } from "./support/report";
import { builtProvider } from "./support/terraform";

/**
 * Per-call cost of the plugin transport: the provider's CPU time per RPC, read from /proc (Linux),
 * for calls Terraform makes per resource. GetMetadata is answered UNIMPLEMENTED by grpc-js itself,
 * so it is the transport alone (HTTP/2 over TLS, grpc-js); ValidateResourceConfig adds our codec and
 * validation. Calls go 10 at a time, like Terraform's default parallelism, over real mTLS.
 */

const CALLS = 2_000;
const CONCURRENCY = 10;
const args = parseBenchArgs({ sizes: [CALLS], runs: 3 });

function cpuMs(pid: number): number {
  // utime and stime, fields 14 and 15 of /proc/PID/stat, in clock ticks (100 per second on Linux).
  const fields = (readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1] ?? "").split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

async function measure(provider: ProviderProcess, call: () => Promise<unknown>): Promise<number> {
  const pid = provider.pid;
  if (pid === undefined) throw new Error("The provider has no pid.");
  const before = cpuMs(pid);
  let started = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (started++ < CALLS) await call();
    }),
  );
  return (cpuMs(pid) - before) / CALLS;
}

async function main(): Promise<void> {
  const config = encodeDynamicValue(
    {
      id: null,
      organization_id: "org_bench00000000001",
      user_id: "auth0|bench",
      roles: ["rol_bench00000000001"],
    },
    memberRolesSchema.block,
  );
  const samples = { transport: [] as number[], validate: [] as number[] };
  for (let run = 0; run < args.runs; run++) {
    const provider = await ProviderProcess.start({ command: ["node", builtProvider()] });
    try {
      await provider.client.call("GetProviderSchema", {});
      samples.transport.push(
        await measure(provider, () => provider.client.call("GetMetadata", {}).catch(() => {})),
      );
      samples.validate.push(
        await measure(provider, () =>
          provider.client.call("ValidateResourceConfig", {
            type_name: "auth0roles_organization_member_roles",
            config,
          }),
        ),
      );
      await provider.client.shutdown();
    } finally {
      await provider.kill();
    }
  }
  const transport = median(samples.transport);
  const validate = median(samples.validate);
  const rows = [
    ["GetMetadata (UNIMPLEMENTED: transport only)", transport.toFixed(3), "100%"],
    [
      "ValidateResourceConfig (transport + codec + validation)",
      validate.toFixed(3),
      `${((transport / validate) * 100).toFixed(0)}% transport`,
    ],
  ];
  const result = table(["call", "provider CPU ms per call (median)", "share"], rows);
  console.log(result);
  if (!args.write) return;
  writeSection(
    "Per-call cost of the plugin transport",
    [
      "Provider CPU time per RPC, from `/proc/PID/stat` (Linux), over real mTLS with 10 calls in flight",
      `(Terraform's default parallelism), ${CALLS} calls per run, ${args.runs} runs, medians. GetMetadata is answered`,
      "UNIMPLEMENTED by @grpc/grpc-js itself, so it measures the transport alone: HTTP/2 over TLS and grpc-js.",
      "Terraform makes 4-5 such calls per resource in a plan (ValidateResourceConfig in two processes,",
      'UpgradeResourceState, ReadResource, PlanResourceChange), which is what the "Plan vs terraform_data"',
      "ratio at N = 1,000 pays for.",
      "",
      "Reproduce: `npm run bench:rpc -- --write`.",
      `Machine: ${machine("(not used here)")}. Measured ${today()}.`,
      "",
      result,
    ].join("\n"),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
