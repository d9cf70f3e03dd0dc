import { OPERATION_TIMEOUT, resolveOperationTimeout, validateOperationTimeout } from "./operation-timeout";
import { attributePath, type Diagnostic, errorDiag } from "./protocol/diagnostics";
import { isUnknown, type TfObject } from "./protocol/values";

/**
 * How the provider spends the tenant's rate limits and its own time: the `max_requests_per_second`,
 * `bulk_refresh` and `operation_timeout` attributes.
 */
export interface RequestTuning {
  /** Undefined: no cap beyond the tenant's own limits. */
  readonly maxRequestsPerSecond: number | undefined;
  readonly bulkRefresh: boolean;
  /** One Terraform operation (an RPC), with its retries, waits and read-backs, ends by then. */
  readonly operationTimeoutMs: number;
}

type Env = Readonly<Record<string, string | undefined>>;

const MAX_RATE = "max_requests_per_second";
const MAX_RATE_ENV = "AUTH0_MAX_REQUESTS_PER_SECOND";
export const TUNING_ATTRIBUTES = [MAX_RATE, "bulk_refresh", OPERATION_TIMEOUT] as const;

function isValidRate(value: number): boolean {
  return Number.isFinite(value) && value > 0;
}

function invalidRate(shown: string, from: "config" | "env"): Diagnostic {
  return from === "config"
    ? errorDiag(
        `Invalid \`${MAX_RATE}\``,
        `\`${MAX_RATE}\` must be a number greater than 0 (requests per second, e.g. 10 or 0.5), got ${shown}. ` +
          "Remove it to pace by the tenant's rate limits alone.",
        attributePath(MAX_RATE),
      )
    : errorDiag(
        `Invalid ${MAX_RATE_ENV}`,
        `The ${MAX_RATE_ENV} environment variable (the fallback for \`${MAX_RATE}\`) must be a number greater ` +
          `than 0, got ${JSON.stringify(shown)}. Unset it or fix its value.`,
        attributePath(MAX_RATE),
      );
}

/** Checks of the provider block alone. */
export function validateTuning(config: TfObject): Diagnostic[] {
  const rate = config[MAX_RATE];
  const diagnostics =
    typeof rate === "number" && !isValidRate(rate) ? [invalidRate(String(rate), "config")] : [];
  return [...diagnostics, ...validateOperationTimeout(config)];
}

/** The block wins over the environment. Callers check for unknown values first (tuningUnknown). */
export function resolveTuning(
  config: TfObject,
  env: Env,
): { ok: true; tuning: RequestTuning } | { ok: false; diagnostics: Diagnostic[] } {
  const bulk = config.bulk_refresh;
  const bulkRefresh = typeof bulk === "boolean" ? bulk : true;
  const rate = resolveRate(config, env);
  const timeout = resolveOperationTimeout(config, env);
  if (!rate.ok || !timeout.ok) {
    return {
      ok: false,
      diagnostics: [...(rate.ok ? [] : rate.diagnostics), ...(timeout.ok ? [] : timeout.diagnostics)],
    };
  }
  return {
    ok: true,
    tuning: { maxRequestsPerSecond: rate.rate, bulkRefresh, operationTimeoutMs: timeout.ms },
  };
}

function resolveRate(
  config: TfObject,
  env: Env,
): { ok: true; rate: number | undefined } | { ok: false; diagnostics: Diagnostic[] } {
  const rate = config[MAX_RATE];
  if (typeof rate === "number") {
    return isValidRate(rate)
      ? { ok: true, rate }
      : { ok: false, diagnostics: [invalidRate(String(rate), "config")] };
  }
  const fromEnv = env[MAX_RATE_ENV]?.trim();
  if (fromEnv === undefined || fromEnv === "") return { ok: true, rate: undefined };
  const parsed = Number(fromEnv);
  return isValidRate(parsed)
    ? { ok: true, rate: parsed }
    : { ok: false, diagnostics: [invalidRate(fromEnv, "env")] };
}

export function tuningUnknown(config: TfObject): boolean {
  return TUNING_ATTRIBUTES.some((name) => isUnknown(config[name] ?? null));
}
