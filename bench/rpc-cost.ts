import { readFileSync } from "node:fs";
import { encodeDynamicValue } from "../src/provider/protocol/codec";
import { memberRolesSchema } from "../src/provider/schema";
import { ProviderProcess } from "../test/support/terraform-client";
import { machine, median, parseBenchArgs, table, today, writeSection } from "./support/report";
import { builtProvider } from "./support/terraform";

/**
 * Per-call cost of the plugin transport: the provider's CPU time per RPC, read from /proc (Linux).
 * GetMetadata is answered UNIMPLEMENTED by grpc-js itself, so it is the transport alone (HTTP/2 over
 * TLS, grpc-js); ValidateResourceConfig adds our codec and validation. Calls go 10 at a time, like
 * Terraform's default parallelism, over real mTLS.
 *
 * Whatever runs first in a process also pays for V8 compiling and optimizing the code paths both call
 * types share, so each run starts two fresh processes, one per order, and every call type is
 * reported both as the first batch of its process and as the second.
 */

const CALLS = 2_000;
const CONCURRENCY = 10;
const args = parseBenchArgs({ sizes: [CALLS], runs: 5 });

type CallType = "GetMetadata" | "ValidateResourceConfig";
type Position = "first" | "second";

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

function caller(provider: ProviderProcess, type: CallType): () => Promise<unknown> {
  if (type === "GetMetadata") return () => provider.client.call("GetMetadata", {}).catch(() => {});
  const config = encodeDynamicValue(
    {
      id: null,
      organization_id: "org_bench00000000001",
      user_id: "auth0|bench",
      roles: ["rol_bench00000000001"],
    },
    memberRolesSchema.block,
  );
  return () =>
    provider.client.call("ValidateResourceConfig", {
      type_name: "auth0roles_organization_member_roles",
      config,
    });
}

/** One fresh provider process (as Terraform starts it) measuring `order`, one batch per call type. */
async function measureOrder(order: readonly CallType[]): Promise<Map<CallType, number>> {
  const provider = await ProviderProcess.start({
    command: ["node", builtProvider()],
    // As a user's machine would run it; the transport cost does not depend on it either way.
    env: { NODE_EXTRA_CA_CERTS: undefined, NODE_OPTIONS: undefined },
  });
  try {
    // Terraform's first call to every provider process.
    await provider.client.call("GetProviderSchema", {});
    const results = new Map<CallType, number>();
    for (const type of order) results.set(type, await measure(provider, caller(provider, type)));
    await provider.client.shutdown();
    return results;
  } finally {
    await provider.kill();
  }
}

const LABELS: Record<CallType, string> = {
  GetMetadata: "GetMetadata (UNIMPLEMENTED: transport only)",
  ValidateResourceConfig: "ValidateResourceConfig (transport + codec + validation)",
};

async function main(): Promise<void> {
  const samples = new Map<string, number[]>();
  const add = (type: CallType, position: Position, ms: number) => {
    const key = `${type}:${position}`;
    samples.set(key, [...(samples.get(key) ?? []), ms]);
  };
  const orders: CallType[][] = [
    ["GetMetadata", "ValidateResourceConfig"],
    ["ValidateResourceConfig", "GetMetadata"],
  ];
  for (let run = 0; run < args.runs; run++) {
    // Alternate which order goes first, so machine drift does not favour one.
    for (const order of run % 2 === 0 ? orders : [...orders].reverse()) {
      const results = await measureOrder(order);
      for (const [i, type] of order.entries()) {
        add(type, i === 0 ? "first" : "second", results.get(type) as number);
      }
    }
  }
  const at = (type: CallType, position: Position) => median(samples.get(`${type}:${position}`) ?? []);
  const share = (position: Position) =>
    `${((at("GetMetadata", position) / at("ValidateResourceConfig", position)) * 100).toFixed(0)}%`;
  const rows = (["GetMetadata", "ValidateResourceConfig"] as const).map((type) => [
    LABELS[type],
    at(type, "first").toFixed(3),
    at(type, "second").toFixed(3),
  ]);
  rows.push([
    "transport share of ValidateResourceConfig (GetMetadata / it)",
    share("first"),
    share("second"),
  ]);
  const result = table(
    [
      "call",
      "CPU ms per call, first batch in a fresh process (median)",
      "CPU ms per call, after the other call's batch (median)",
    ],
    rows,
  );
  console.log(result);
  if (!args.write) return;
  writeSection(
    "Per-call cost of the plugin transport",
    [
      "Provider CPU time per RPC, from `/proc/PID/stat` (Linux; 10 ms ticks, so each batch is long), over",
      `real mTLS with ${CONCURRENCY} calls in flight (Terraform's default parallelism), batches of ${CALLS} calls.`,
      "GetMetadata is answered UNIMPLEMENTED by @grpc/grpc-js itself, so it measures the transport alone:",
      "HTTP/2 over TLS and grpc-js. ValidateResourceConfig adds this provider's codec and validation.",
      "",
      "The first batch in a process also pays for V8 compiling and optimizing the code both call types",
      "share, so order matters: each run starts two fresh provider processes (clean environment, a",
      "GetProviderSchema call first, as Terraform makes), one measuring GetMetadata then",
      `ValidateResourceConfig, the other the reverse; ${args.runs} runs, which order starts alternating; medians.`,
      "The first column is what a call type costs as the first thing a process does; the second, once",
      "the process is warm. Terraform makes five calls per resource in a plan (ValidateResourceConfig in",
      "two processes, UpgradeResourceState, ReadResource, PlanResourceChange), each process starting cold.",
      "",
      `Reproduce: \`npm run bench:rpc -- --write\` (options: \`--runs ${args.runs}\`).`,
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
