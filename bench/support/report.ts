import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release } from "node:os";
import { resolve } from "node:path";
import { parseArgs } from "node:util";

export interface BenchArgs {
  /** Resource counts, e.g. [100, 1000]. */
  sizes: number[];
  /** Measured runs per configuration (median reported). */
  runs: number;
  /** Rate-limit buckets refill this many times faster than Auth0's. */
  timeScale: number;
  /** Passed to the provider as max_requests_per_second when set. */
  maxRps: number | undefined;
  /** Terraform's -parallelism values to measure (benchmarks that support it). */
  parallelism: number[];
  /** Update this benchmark's section of BENCHMARKS.md. */
  write: boolean;
  /** Another build's dist/ directory, measured beside this one (benchmarks that support it). */
  baseline: string | undefined;
}

/** `--sizes 100,1000 --runs 3 --time-scale 10 --max-rps 30 --parallelism 10,50 --baseline DIR --write`; defaults per benchmark. */
export function parseBenchArgs(defaults: {
  sizes: number[];
  runs: number;
  timeScale?: number;
  parallelism?: number[];
}): BenchArgs {
  const { values } = parseArgs({
    options: {
      sizes: { type: "string" },
      runs: { type: "string" },
      "time-scale": { type: "string" },
      "max-rps": { type: "string" },
      parallelism: { type: "string" },
      write: { type: "boolean", default: false },
      baseline: { type: "string" },
    },
  });
  const positive = (name: string, text: string | undefined, fallback: number): number => {
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!(value > 0) || !Number.isFinite(value)) throw new Error(`--${name} must be a positive number.`);
    return value;
  };
  return {
    sizes: values.sizes
      ? values.sizes.split(",").map((s) => Math.round(positive("sizes", s, 0)))
      : defaults.sizes,
    runs: Math.round(positive("runs", values.runs, defaults.runs)),
    timeScale: positive("time-scale", values["time-scale"], defaults.timeScale ?? 10),
    maxRps: values["max-rps"] === undefined ? undefined : positive("max-rps", values["max-rps"], 0),
    parallelism: values.parallelism
      ? values.parallelism.split(",").map((s) => Math.round(positive("parallelism", s, 0)))
      : (defaults.parallelism ?? [10]),
    write: values.write ?? false,
    baseline: values.baseline,
  };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export const seconds = (ms: number): string => (ms / 1000).toFixed(2);
export const ratio = (x: number): string => (Number.isFinite(x) ? `${x.toFixed(x >= 10 ? 0 : 2)}x` : "n/a");

/** A GitHub-flavoured Markdown table, which also reads well on a terminal. */
export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? "").length)));
  const line = (r: readonly string[]) =>
    `| ${r.map((cell, c) => cell.padEnd(widths[c] as number)).join(" | ")} |`;
  const rule = `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`;
  return [line(header), rule, ...cells.slice(1).map(line)].join("\n");
}

/** "2 cores (Intel Xeon ...), Linux 6.x, Node v20.x, Terraform 1.11.4". */
export function machine(terraformVersion: string): string {
  const cores = cpus();
  const model = cores[0]?.model.replace(/\s+/g, " ").trim() ?? "unknown CPU";
  // Other jobs on the machine (e.g. test suites) slow the wall times: the load says how busy it was.
  const load = loadavg()[0]?.toFixed(2) ?? "?";
  return `${cores.length} cores (${model}), Linux ${release()}, Node ${process.version}, Terraform ${terraformVersion}; 1-minute load average ${load} when the runs ended`;
}

const BENCHMARKS_FILE = resolve("BENCHMARKS.md");
const PREAMBLE =
  "# Benchmarks\n\nEach section is written by its script in bench/ (`npm run bench:* -- --write`); the command to reproduce it is in the section.\n";

/**
 * Replaces the `## {title}` section of BENCHMARKS.md (up to the next `## ` heading) with `body`, or
 * appends it. Every other section is left byte for byte as it was.
 */
export function writeSection(title: string, body: string): void {
  const text = existsSync(BENCHMARKS_FILE) ? readFileSync(BENCHMARKS_FILE, "utf8") : PREAMBLE;
  const section = `## ${title}\n\n${body.trim()}\n`;
  const lines = text.split("\n");
  const start = lines.findIndex((l) => l.trim() === `## ${title}`);
  let next: string;
  if (start < 0) {
    next = `${text.trimEnd()}\n\n${section}`;
  } else {
    let end = lines.findIndex((l, i) => i > start && l.startsWith("## "));
    if (end < 0) end = lines.length;
    const before = lines.slice(0, start).join("\n");
    const after = lines.slice(end).join("\n");
    next = `${before}${before ? "\n" : ""}${section}${after ? `\n${after}` : ""}`;
  }
  writeFileSync(BENCHMARKS_FILE, next.endsWith("\n") ? next : `${next}\n`);
  console.log(`Updated section "${title}" of ${BENCHMARKS_FILE}.`);
}

/** "≥ 50x fewer calls at N = 1000: 67x, met" - a target of the issue against what was measured. */
export function target(goal: string, measured: string, met: boolean): string {
  return `- ${goal}: ${measured} (${met ? "met" : "NOT met"})`;
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}
