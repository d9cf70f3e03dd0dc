import { attributePath, type Diagnostic, errorDiag } from "./protocol/diagnostics";
import type { TfObject } from "./protocol/values";

type Env = Readonly<Record<string, string | undefined>>;

export const OPERATION_TIMEOUT = "operation_timeout";
export const OPERATION_TIMEOUT_ENV = "AUTH0_OPERATION_TIMEOUT";
/** Long enough for a large plan to queue behind the tenant's rate limit, short enough that a hung API fails a run. */
export const DEFAULT_OPERATION_TIMEOUT_MS = 5 * 60_000;
const MIN_MS = 1_000;
const MAX_MS = 24 * 60 * 60_000;

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/**
 * "300" (seconds), or a duration as Terraform's own timeouts write it: "90s", "5m", "1h30m", "1.5m".
 * Undefined when the text is neither.
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1_000);
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(trimmed)) return undefined;
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(amount) * (UNIT_MS[unit as string] as number);
  }
  return Math.round(total);
}

function invalid(shown: string, from: "config" | "env"): Diagnostic {
  const what = `a duration from 1s to 24h, in seconds ("300") or with units ("90s", "5m", "1h30m")`;
  return from === "config"
    ? errorDiag(
        `Invalid \`${OPERATION_TIMEOUT}\``,
        `\`${OPERATION_TIMEOUT}\` must be ${what}, got ${JSON.stringify(shown)}. Remove it for the default of ${DEFAULT_OPERATION_TIMEOUT_MS / 60_000}m.`,
        attributePath(OPERATION_TIMEOUT),
      )
    : errorDiag(
        `Invalid ${OPERATION_TIMEOUT_ENV}`,
        `The ${OPERATION_TIMEOUT_ENV} environment variable (the fallback for \`${OPERATION_TIMEOUT}\`) must be ` +
          `${what}, got ${JSON.stringify(shown)}. Unset it or fix its value.`,
        attributePath(OPERATION_TIMEOUT),
      );
}

function inRange(ms: number | undefined): ms is number {
  return ms !== undefined && ms >= MIN_MS && ms <= MAX_MS;
}

/** Checks of the provider block alone. */
export function validateOperationTimeout(config: TfObject): Diagnostic[] {
  const value = config[OPERATION_TIMEOUT];
  return typeof value === "string" && !inRange(parseDuration(value)) ? [invalid(value, "config")] : [];
}

/** Milliseconds; the block wins over the environment. Callers check for unknown values first. */
export function resolveOperationTimeout(
  config: TfObject,
  env: Env,
): { ok: true; ms: number } | { ok: false; diagnostics: Diagnostic[] } {
  const value = config[OPERATION_TIMEOUT];
  if (typeof value === "string") {
    const ms = parseDuration(value);
    return inRange(ms) ? { ok: true, ms } : { ok: false, diagnostics: [invalid(value, "config")] };
  }
  const fromEnv = env[OPERATION_TIMEOUT_ENV]?.trim();
  if (fromEnv === undefined || fromEnv === "") return { ok: true, ms: DEFAULT_OPERATION_TIMEOUT_MS };
  const ms = parseDuration(fromEnv);
  return inRange(ms) ? { ok: true, ms } : { ok: false, diagnostics: [invalid(fromEnv, "env")] };
}
