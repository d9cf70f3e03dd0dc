/**
 * Reading V8 CPU profiles (`node --cpu-prof`) of the provider: every sample's self time attributed
 * through the bundle's source map to this provider's source files or a dependency's package, Node's
 * own JavaScript by module, and V8's garbage collector and native code.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { table } from "./report";

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

export interface Origin {
  /** A dependency's package, or one of our source files. */
  readonly group: string;
  /** The original file and line where the sampled function starts. */
  readonly at: string;
}

/** Maps a function's start in the bundle to where it comes from, through the bundle's source map. */
export function sourceLocator(mapFile: string): (line: number, column: number) => Origin {
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

export type Locator = (line: number, column: number) => Origin;

function origin(frame: CallFrame, bundle: string, locate: Locator): Origin {
  const at = `${frame.url}:${frame.lineNumber + 1}`;
  if (frame.url === "") return { group: `V8/native ${frame.functionName || "(anonymous)"}`, at };
  if (frame.url.startsWith("node:")) {
    return { group: `Node.js ${frame.url.replace(/^node:(internal\/)?/, "").split("/")[0]}`, at };
  }
  if (basename(frame.url) === basename(bundle)) return locate(frame.lineNumber, frame.columnNumber);
  return { group: `other ${basename(frame.url)}`, at };
}

/**
 * The .cpuprofile files in `dir` as Markdown tables: per process (for one run), per group, and our
 * hottest functions. With `runs` > 1 the profiles are that many runs of the same thing, and times are
 * per run.
 */
export function reportProfiles(dir: string, bundle: string, runs = 1, map = `${bundle}.map`): string {
  const locate: Locator = existsSync(map)
    ? sourceLocator(map)
    : () => ({ group: "ours (no source map)", at: "?" });
  const totals = new Map<string, number>();
  const ownFunctions = new Map<string, number>();
  const add = (into: Map<string, number>, key: string, ms: number) =>
    into.set(key, (into.get(key) ?? 0) + ms / runs);
  const processRows: string[][] = [];
  let all = 0;
  const files = readdirSync(dir).filter((name) => name.endsWith(".cpuprofile"));
  for (const file of files.sort()) {
    const profile = JSON.parse(readFileSync(join(dir, file), "utf8")) as Profile;
    const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
    let busy = 0;
    profile.samples.forEach((id, i) => {
      const frame = frames.get(id);
      const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
      if (frame === undefined || frame.functionName === "(idle)") return;
      busy += ms;
      const { group, at } = origin(frame, bundle, locate);
      add(totals, group, ms);
      if (group.startsWith("ours ")) add(ownFunctions, at, ms);
    });
    all += busy / runs;
    processRows.push([file, ((profile.endTime - profile.startTime) / 1000).toFixed(0), busy.toFixed(0)]);
  }
  const unit = runs > 1 ? "ms per run" : "ms, all processes";
  const parts: string[] = [];
  if (runs === 1) {
    parts.push(table(["provider process (profile)", "lifetime ms", "busy (not idle) ms"], processRows));
  }
  const share = (ms: number) => `${((ms / all) * 100).toFixed(1)}%`;
  const digits = runs > 1 ? 1 : 0;
  const rows = [...totals]
    .sort((a, b) => b[1] - a[1])
    .filter(([, ms]) => ms / all >= 0.005)
    .map(([key, ms]) => [key, ms.toFixed(digits), share(ms)]);
  rows.push(["all (busy, not idle)", all.toFixed(digits), "100%"]);
  parts.push(table(["where (self time)", unit, "share of busy time"], rows));
  const own = [...ownFunctions]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([at, ms]) => [at, ms.toFixed(digits), share(ms)]);
  parts.push(table(["this provider's functions (start line), self time", unit, "share"], own));
  return parts.join("\n\n");
}

/**
 * A directory holding a `node` that runs the real one under the profiler, writing into `profiles`:
 * put first on PATH, it profiles whatever a launcher starts as `node` (Node 20 refuses --cpu-prof
 * in NODE_OPTIONS).
 */
export function profilingShim(profiles: string): string {
  const dir = join(profiles, "shim");
  mkdirSync(dir, { recursive: true });
  const shim = join(dir, "node");
  const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
  writeFileSync(
    shim,
    `#!/bin/sh\nexec ${quote(process.execPath)} --cpu-prof --cpu-prof-dir=${quote(profiles)} "$@"\n`,
  );
  chmodSync(shim, 0o755);
  return dir;
}
