import type { Credentials } from "../management";
import { PLAN_CHECKS, type PlanChecks, resolvePlanChecks, validatePlanChecks } from "./plan-checks";
import { type AttributePath, attributePath, type Diagnostic, errorDiag } from "./protocol/diagnostics";
import { isUnknown, type TfObject, type TfValue } from "./protocol/values";
import { type RequestTuning, resolveTuning, tuningUnknown, validateTuning } from "./request-tuning";

/** What the provider needs to reach one tenant, resolved from the provider block and the environment. */
export interface ProviderSettings {
  readonly domain: string;
  readonly credentials: Credentials;
  readonly tuning: RequestTuning;
  readonly planChecks: PlanChecks;
}

export type SettingsResult =
  | { readonly ok: true; readonly settings: ProviderSettings }
  | { readonly ok: false; readonly diagnostics: Diagnostic[] }
  /** Part of the provider block depends on values known only after apply (e.g. another resource's output). */
  | { readonly ok: "deferred" };

type Env = Readonly<Record<string, string | undefined>>;

/** Each setting, the environment variable users know from the official Auth0 provider. */
const ENV = {
  domain: "AUTH0_DOMAIN",
  client_id: "AUTH0_CLIENT_ID",
  client_secret: "AUTH0_CLIENT_SECRET",
  api_token: "AUTH0_API_TOKEN",
  audience: "AUTH0_AUDIENCE",
} as const;

type Setting = keyof typeof ENV;

interface Resolved {
  readonly value: string;
  readonly from: "config" | "env";
}

function describe(setting: Setting, from: Resolved["from"]): string {
  return from === "config" ? `\`${setting}\`` : `the ${ENV[setting]} environment variable`;
}

/** Checks that need only the provider block itself; environment variables are consulted at configure time. */
export function validateProviderBlock(config: TfObject): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const setting of Object.keys(ENV) as Setting[]) {
    const value = config[setting];
    if (typeof value === "string" && value.trim() === "") {
      diagnostics.push(
        errorDiag(
          `Empty \`${setting}\``,
          `\`${setting}\` is set to an empty string. Remove it to use ${ENV[setting]}, or give it a value.`,
          attributePath(setting),
        ),
      );
    }
  }
  const tokenSet = isSet(config.api_token);
  for (const clientSetting of ["client_id", "client_secret"] as const) {
    if (tokenSet && isSet(config[clientSetting])) {
      diagnostics.push(conflict(clientSetting, "config"));
    }
  }
  diagnostics.push(...validateTuning(config), ...validatePlanChecks(config));
  return diagnostics;
}

function isSet(value: TfValue | undefined): boolean {
  return value !== null && value !== undefined && value !== "";
}

function conflict(clientSetting: "client_id" | "client_secret", from: Resolved["from"]): Diagnostic {
  return errorDiag(
    "Conflicting Auth0 credentials",
    `${describe("api_token", from)} conflicts with ${describe(clientSetting, from)}: use either an API token or ` +
      "client credentials (client_id and client_secret), not both.",
    from === "config" ? attributePath(clientSetting) : undefined,
  );
}

/**
 * Resolves the provider block against the environment. A setting in the block wins over its
 * environment variable, so that a pipeline's leftover AUTH0_API_TOKEN cannot override explicit
 * client credentials (and the other way round).
 */
export function resolveProviderSettings(config: TfObject, env: Env): SettingsResult {
  if (
    [...Object.keys(ENV), PLAN_CHECKS].some((setting) => isUnknown(config[setting] ?? null)) ||
    tuningUnknown(config)
  ) {
    return { ok: "deferred" };
  }
  const blockErrors = validateProviderBlock(config);
  if (blockErrors.length > 0) return { ok: false, diagnostics: blockErrors };

  const get = (setting: Setting): Resolved | undefined => {
    const fromConfig = config[setting];
    if (typeof fromConfig === "string" && fromConfig !== "") return { value: fromConfig, from: "config" };
    const fromEnv = env[ENV[setting]];
    return fromEnv ? { value: fromEnv, from: "env" } : undefined;
  };

  const diagnostics: Diagnostic[] = [];
  const domain = get("domain");
  if (!domain) {
    diagnostics.push(
      errorDiag(
        "Missing Auth0 domain",
        "Set `domain` in the provider block or the AUTH0_DOMAIN environment variable, e.g. `example.eu.auth0.com`.",
        attributePath("domain"),
      ),
    );
  }

  const credentials = resolveCredentials(config, get, diagnostics);
  const tuning = resolveTuning(config, env);
  if (!tuning.ok) diagnostics.push(...tuning.diagnostics);
  if (!domain || !credentials || !tuning.ok || diagnostics.length > 0) return { ok: false, diagnostics };
  return {
    ok: true,
    settings: {
      domain: domain.value,
      credentials,
      tuning: tuning.tuning,
      planChecks: resolvePlanChecks(config),
    },
  };
}

function resolveCredentials(
  config: TfObject,
  get: (setting: Setting) => Resolved | undefined,
  diagnostics: Diagnostic[],
): Credentials | undefined {
  const configHasClient = isSet(config.client_id) || isSet(config.client_secret);
  const apiToken = configHasClient ? undefined : get("api_token");
  const clientId = apiToken?.from === "config" ? undefined : get("client_id");
  const clientSecret = apiToken?.from === "config" ? undefined : get("client_secret");

  if (apiToken) {
    const clashing = [clientId, clientSecret].some((c) => c !== undefined);
    if (!clashing) return { kind: "api-token", token: apiToken.value };
    for (const [setting, value] of [
      ["client_id", clientId],
      ["client_secret", clientSecret],
    ] as const) {
      if (value) diagnostics.push(conflict(setting, value.from));
    }
    return undefined;
  }

  if (clientId && clientSecret) {
    const audience = get("audience");
    return {
      kind: "client-credentials",
      clientId: clientId.value,
      clientSecret: clientSecret.value,
      ...(audience ? { audience: audience.value } : {}),
    };
  }

  const missing: Setting = clientId ? "client_secret" : "client_id";
  const path: AttributePath = attributePath(missing);
  diagnostics.push(
    errorDiag(
      "Missing Auth0 credentials",
      clientId || clientSecret
        ? `\`${missing}\` is not set: set it in the provider block or the ${ENV[missing]} environment variable.`
        : "Set `client_id` and `client_secret` (or AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET) for a machine-to-machine " +
            "application authorized for the Management API, or set `api_token` (AUTH0_API_TOKEN).",
      path,
    ),
  );
  return undefined;
}
