import type { FaultSpec, RandomFaultSpec } from "./types";

interface ArmedFault {
  spec: FaultSpec;
  remaining: number;
}

const KINDS: readonly FaultSpec["kind"][] = [
  "status",
  "drop",
  "latency",
  "rate-limit",
  "hang",
  "malformed-body",
  "repeated-page",
  "after-apply",
];

/** Checks a fault before it is armed, so a typo fails at `injectFault` and not as a puzzling test. */
export function validateFault(spec: FaultSpec): void {
  if (!KINDS.includes(spec.kind)) {
    throw new Error(`Fault kind must be one of ${KINDS.join(", ")} (got ${JSON.stringify(spec.kind)}).`);
  }
  if (spec.kind === "status" && !wholeNumberIn(spec.status, 400, 599)) {
    throw new Error(
      `A "status" fault needs status, an HTTP error code 400-599 (got ${JSON.stringify(spec.status)}).`,
    );
  }
  if (spec.kind === "after-apply" && spec.status !== undefined && !wholeNumberIn(spec.status, 400, 599)) {
    throw new Error(
      `An "after-apply" fault's status must be an HTTP error code 400-599, or absent to drop the connection (got ${JSON.stringify(spec.status)}).`,
    );
  }
  if (spec.kind === "latency" && !(typeof spec.latencyMs === "number" && spec.latencyMs >= 0)) {
    throw new Error(`A "latency" fault needs latencyMs >= 0 (got ${JSON.stringify(spec.latencyMs)}).`);
  }
  if (spec.kind === "malformed-body" && spec.status !== undefined && !wholeNumberIn(spec.status, 200, 599)) {
    throw new Error(
      `A "malformed-body" fault's status must be 200-599 (got ${JSON.stringify(spec.status)}).`,
    );
  }
  if (spec.kind === "malformed-body" && typeof spec.body !== "string") {
    throw new Error(
      `A "malformed-body" fault needs body, the response text (got ${JSON.stringify(spec.body)}).`,
    );
  }
  if (spec.kind === "repeated-page" && spec.total !== undefined && !wholeNumberIn(spec.total, 0, Infinity)) {
    throw new Error(
      `A "repeated-page" fault's total must be a whole number >= 0 (got ${JSON.stringify(spec.total)}).`,
    );
  }
  if (spec.times !== undefined && !(spec.times >= 1)) {
    throw new Error(`Fault times must be at least 1 (got ${JSON.stringify(spec.times)}).`);
  }
}

function wholeNumberIn(value: unknown, min: number, max: number): boolean {
  return Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
}

/**
 * Faults armed by tests, matched in the order they were injected. Without a path a fault matches
 * every `/api/v2` request; with one it can also target `/oauth/token`.
 */
export class FaultInjector {
  private faults: ArmedFault[] = [];

  add(spec: FaultSpec): void {
    validateFault(spec);
    this.faults.push({ spec, remaining: spec.times ?? 1 });
  }

  clear(): void {
    this.faults = [];
  }

  /** The first armed fault matching this request, counted as used; undefined if none. */
  take(method: string, rawPath: string, decodedPath: string): FaultSpec | undefined {
    if (this.faults.length === 0) return undefined;
    const index = this.faults.findIndex((f) => matches(f.spec, method, rawPath, decodedPath));
    if (index < 0) return undefined;
    const fault = this.faults[index] as ArmedFault;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults.splice(index, 1);
    return fault.spec;
  }
}

function matches(spec: FaultSpec, method: string, rawPath: string, decodedPath: string): boolean {
  if (spec.method !== undefined && spec.method.toUpperCase() !== method) return false;
  const { path } = spec;
  if (path === undefined) return rawPath.startsWith("/api/v2/");
  if (typeof path === "string") return path === rawPath || path === decodedPath;
  path.lastIndex = 0;
  if (path.test(rawPath)) return true;
  path.lastIndex = 0;
  return path.test(decodedPath);
}

const PROBABILITIES = ["rateLimit", "serverError", "reset", "latency"] as const;

/** Checks a random-fault spec up front, naming the field. */
function validateRandomFaults(spec: RandomFaultSpec): void {
  if (!Number.isInteger(spec.seed))
    throw new Error(`Random faults need an integer seed (got ${JSON.stringify(spec.seed)}).`);
  let total = 0;
  for (const field of PROBABILITIES) {
    const p = spec[field] ?? 0;
    if (!(p >= 0 && p <= 1))
      throw new Error(`Random fault ${field} must be a probability from 0 to 1 (got ${JSON.stringify(p)}).`);
    total += p;
  }
  if (total > 1) throw new Error(`Random fault probabilities add up to ${total}, more than 1.`);
  if (spec.afterApply !== undefined && !(spec.afterApply >= 0 && spec.afterApply <= 1)) {
    throw new Error(
      `Random fault afterApply must be a share from 0 to 1 (got ${JSON.stringify(spec.afterApply)}).`,
    );
  }
  if (spec.maxLatencyMs !== undefined && !(spec.maxLatencyMs >= 0)) {
    throw new Error(`Random fault maxLatencyMs must be >= 0 (got ${JSON.stringify(spec.maxLatencyMs)}).`);
  }
}

const SERVER_ERRORS = [502, 503, 504] as const;

/** One fault (or none) per Management API request, drawn from a seeded generator (mulberry32). */
export class RandomFaults {
  private state: number;

  constructor(private readonly spec: RandomFaultSpec) {
    validateRandomFaults(spec);
    this.state = spec.seed >>> 0;
  }

  draw(): FaultSpec | undefined {
    let roll = this.next();
    const pick = (p: number | undefined): boolean => {
      roll -= p ?? 0;
      return roll < 0;
    };
    if (pick(this.spec.rateLimit)) return { kind: "rate-limit", retryAfterSeconds: 1 };
    if (pick(this.spec.serverError)) {
      const status = SERVER_ERRORS[Math.floor(this.next() * SERVER_ERRORS.length)] as number;
      return this.afterApply() ? { kind: "after-apply", status } : { kind: "status", status };
    }
    if (pick(this.spec.reset)) return this.afterApply() ? { kind: "after-apply" } : { kind: "drop" };
    if (pick(this.spec.latency)) {
      return { kind: "latency", latencyMs: Math.round(this.next() * (this.spec.maxLatencyMs ?? 500)) };
    }
    return undefined;
  }

  /** Whether this 5xx or reset comes after the request was served. (No draw without afterApply.) */
  private afterApply(): boolean {
    return this.spec.afterApply !== undefined && this.next() < this.spec.afterApply;
  }

  /** A float in [0, 1). */
  private next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }
}
