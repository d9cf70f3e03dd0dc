import type { Credentials } from "./types";

type Env = Readonly<Record<string, string | undefined>>;

export type EnvConnection =
  | { ok: true; domain: string; credentials: Credentials }
  /** `missing` says which variables to set, for the caller's message. */
  | { ok: false; missing: string };

/**
 * Domain and credentials from the AUTH0_* variables the provider and the official Auth0 provider
 * read, for the command-line tools. Client credentials win over AUTH0_API_TOKEN when both are set.
 */
export function connectionFromEnv(env: Env): EnvConnection {
  const domain = env.AUTH0_DOMAIN?.trim();
  if (!domain) return { ok: false, missing: "AUTH0_DOMAIN is not set" };
  const clientId = env.AUTH0_CLIENT_ID;
  const clientSecret = env.AUTH0_CLIENT_SECRET;
  if (clientId && clientSecret) {
    const audience = env.AUTH0_AUDIENCE;
    return {
      ok: true,
      domain,
      credentials: { kind: "client-credentials", clientId, clientSecret, ...(audience ? { audience } : {}) },
    };
  }
  if (env.AUTH0_API_TOKEN)
    return { ok: true, domain, credentials: { kind: "api-token", token: env.AUTH0_API_TOKEN } };
  return { ok: false, missing: "set AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET, or AUTH0_API_TOKEN" };
}
