import type { FaultSpec } from "./types";

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
];

/** Checks a fault before it is armed, so a typo fails at `injectFault` and not as a puzzling test. */
export function validateFault(spec: FaultSpec): void {
  if (!KINDS.includes(spec.kind)) {
    throw new Error(`Fault kind must be one of ${KINDS.join(", ")} (got ${JSON.stringify(spec.kind)}).`);
  }
  if (
    spec.kind === "status" &&
    !(Number.isInteger(spec.status) && (spec.status as number) >= 400 && (spec.status as number) <= 599)
  ) {
    throw new Error(
      `A "status" fault needs status, an HTTP error code 400-599 (got ${JSON.stringify(spec.status)}).`,
    );
  }
  if (spec.kind === "latency" && !(typeof spec.latencyMs === "number" && spec.latencyMs >= 0)) {
    throw new Error(`A "latency" fault needs latencyMs >= 0 (got ${JSON.stringify(spec.latencyMs)}).`);
  }
  if (
    spec.kind === "malformed-body" &&
    spec.status !== undefined &&
    !(Number.isInteger(spec.status) && spec.status >= 200 && spec.status <= 599)
  ) {
    throw new Error(
      `A "malformed-body" fault's status must be 200-599 (got ${JSON.stringify(spec.status)}).`,
    );
  }
  if (spec.kind === "malformed-body" && typeof spec.body !== "string") {
    throw new Error(
      `A "malformed-body" fault needs body, the response text (got ${JSON.stringify(spec.body)}).`,
    );
  }
  if (
    spec.kind === "repeated-page" &&
    spec.total !== undefined &&
    !(Number.isInteger(spec.total) && spec.total >= 0)
  ) {
    throw new Error(
      `A "repeated-page" fault's total must be a whole number >= 0 (got ${JSON.stringify(spec.total)}).`,
    );
  }
  if (spec.times !== undefined && !(spec.times >= 1)) {
    throw new Error(`Fault times must be at least 1 (got ${JSON.stringify(spec.times)}).`);
  }
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
