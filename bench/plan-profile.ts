import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { summarizeCalls } from "./support/calls";
import { memberRolesConfig } from "./support/config";
import { parseBenchArgs, seconds, table } from "./support/report";
import { benchSeed, providerEnv, withEmulator } from "./support/tenant";
import { builtProvider, expectExit, initWorkspace, timedApply, timedPlan } from "./support/terraform";

/**
 * Where a plan's provider CPU time goes: one `terraform plan` of N applied member-roles resources
 * (emulator without rate limits) with every provider process Terraform starts under V8's sampling
 * profiler (`node --cpu-prof`, through a `node` shim first on Terraform's PATH: Node 20 refuses
 * --cpu-prof in NODE_OPTIONS). Samples are attributed to source files through the bundle's
 * source map and grouped: this provider's code by module, each dependency as a whole, Node's own
 * JavaScript, and V8's garbage collector and native code.
 *
 * Run: `npm run bench:plan-profile` (options: `--sizes 1000 --parallelism 10`).
 */

const args = parseBenchArgs({ sizes: [1000], runs: 1, parallelism: [10] });

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
  readonly columnNumber: number;
}
interface Profile {
  readonly nodes: readonly { id: number; callFrame: CallFrame }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** A mapping segment: generated column, source index, original line (0-based). */
type Segment = [number, number, number];

/** Per generated line, its segments, from a source map's VLQ mappings. */
function decodeMappings(mappings: string): Segment[][] {
  const lines: Segment[][] = [];
  let source = 0;
  let originalLine = 0;
  for (const line of mappings.split(";")) {
    const segments: Segment[] = [];
    let column = 0;
    for (const segment of line.split(",")) {
      if (segment === "") continue;
      const values: number[] = [];
      let value = 0;
      let shift = 0;
      for (const char of segment) {
        const digit = BASE64.indexOf(char);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          values.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += values[0] ?? 0;
      if (values.length > 1) {
        source += values[1] ?? 0;
        originalLine += values[2] ?? 0;
      }
      segments.push([column, source, originalLine]);
    }
    lines.push(segments);
  }
  return lines;
}

interface Origin {
  /** A dependency's package, or one of our source files. */
  readonly group: string;
  /** The original file and line where the sampled function starts. */
  readonly at: string;
}

/** Maps a function's start in the bundle to where it comes from, through the bundle's source map. */
function sourceLocator(mapFile: string): (line: number, column: number) => Origin {
  const map = JSON.parse(readFileSync(mapFile, "utf8")) as { sources: string[]; mappings: string };
  const lines = decodeMappings(map.mappings);
  return (line, column) => {
    let found: Segment | undefined;
    for (const segment of lines[line] ?? []) {
      if (segment[0] > column) break;
      found = segment;
    }
    const source = found === undefined ? "?" : (map.sources[found[1]] ?? "?").replace(/^(\.\.\/)+/, "");
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
    return {
      group: pkg ? `dependency ${pkg[1]}` : `ours ${source}`,
      at: `${source}:${(found?.[2] ?? -1) + 1}`,
    };
  };
}

type Locator = (line: number, column: number) => Origin;

function origin(frame: CallFrame, bundle: string, locate: Locator): Origin {
  const at = `${frame.url}:${frame.lineNumber + 1}`;
  if (frame.url === "") return { group: `V8/native ${frame.functionName || "(anonymous)"}`, at };
  if (frame.url.startsWith("node:")) {
    return { group: `Node.js ${frame.url.replace(/^node:(internal\/)?/, "").split("/")[0]}`, at };
  }
  if (basename(frame.url) === basename(bundle)) return locate(frame.lineNumber, frame.columnNumber);
  return { group: `other ${basename(frame.url)}`, at };
}

/** A directory holding a `node` that runs the real one under the profiler, writing into `profiles`. */
function profilingShim(profiles: string): string {
  const dir = join(profiles, "shim");
  mkdirSync(dir);
  const shim = join(dir, "node");
  const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
  writeFileSync(
    shim,
    `#!/bin/sh\nexec ${quote(process.execPath)} --cpu-prof --cpu-prof-dir=${quote(profiles)} "$@"\n`,
  );
  chmodSync(shim, 0o755);
  return dir;
}

async function main(): Promise<void> {
  const provider = builtProvider();
  const bundle = join(provider, "..", "provider-bundle.js");
  const locate = sourceLocator(`${bundle}.map`);
  const n = args.sizes[0] ?? 1000;
  const parallelism = args.parallelism[0] ?? 10;
  const profiles = mkdtempSync(join(tmpdir(), "plan-profile-"));
  try {
    await withEmulator(benchSeed(n, true), false, async (emu) => {
      const env = providerEnv(emu);
      const ws = await initWorkspace(memberRolesConfig(n));
      try {
        expectExit(await timedApply(ws, env), `apply of N=${n} (setup)`);
        emu.clearRequests();
        const run = await timedPlan(
          ws,
          { ...env, PATH: `${profilingShim(profiles)}:${process.env.PATH ?? ""}` },
          parallelism,
        );
        expectExit(run, `profiled plan of N=${n}`);
        console.log(
          `plan of N=${n} at -parallelism=${parallelism}: ${seconds(run.ms)} s wall (profiler on), ${summarizeCalls(emu.requests).api} API calls`,
        );
      } finally {
        ws.dispose();
      }
    });
    report(profiles, bundle, locate);
  } finally {
    rmSync(profiles, { recursive: true, force: true });
  }
}

function report(dir: string, bundle: string, locate: Locator): void {
  const totals = new Map<string, number>();
  const ownFunctions = new Map<string, number>();
  const processRows: string[][] = [];
  let all = 0;
  for (const file of readdirSync(dir)
    .filter((name) => name.endsWith(".cpuprofile"))
    .sort()) {
    const profile = JSON.parse(readFileSync(join(dir, file), "utf8")) as Profile;
    const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
    let busy = 0;
    profile.samples.forEach((id, i) => {
      const frame = frames.get(id);
      const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
      if (frame === undefined || frame.functionName === "(idle)") return;
      busy += ms;
      const { group, at } = origin(frame, bundle, locate);
      totals.set(group, (totals.get(group) ?? 0) + ms);
      if (group.startsWith("ours ")) ownFunctions.set(at, (ownFunctions.get(at) ?? 0) + ms);
    });
    all += busy;
    processRows.push([file, ((profile.endTime - profile.startTime) / 1000).toFixed(0), busy.toFixed(0)]);
  }
  console.log(
    `\n${table(["provider process (profile)", "lifetime ms", "busy (not idle) ms"], processRows)}\n`,
  );
  const rows = [...totals]
    .sort((a, b) => b[1] - a[1])
    .filter(([, ms]) => ms / all >= 0.005)
    .map(([key, ms]) => [key, ms.toFixed(0), `${((ms / all) * 100).toFixed(1)}%`]);
  console.log(table(["where (self time)", "ms, all processes", "share of busy time"], rows));
  const own = [...ownFunctions]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([at, ms]) => [at, ms.toFixed(0), `${((ms / all) * 100).toFixed(1)}%`]);
  console.log(`\n${table(["this provider's functions (start line), self time", "ms", "share"], own)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
