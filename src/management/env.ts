import type { Credentials } from "./types";

type Env = Readonly<Record<string, string | undefined>>;

export type EnvConnection =
  | { ok: true; domain: string; credentials: Credentials }
  /** `problem` says what to set or unset, for the caller's message. */
  | { ok: false; problem: string };

/**
 * Domain and credentials from the AUTH0_* variables the provider and the official Auth0 provider
 * read, for the command-line tools. Resolved as the provider resolves the same variables: an API
 * token together with client credentials is a conflict, not a silent choice.
 */
export function connectionFromEnv(env: Env): EnvConnection {
  const domain = env.AUTH0_DOMAIN?.trim();
  if (!domain) return { ok: false, problem: "AUTH0_DOMAIN is not set" };
  const clientId = env.AUTH0_CLIENT_ID;
  const clientSecret = env.AUTH0_CLIENT_SECRET;
  const token = env.AUTH0_API_TOKEN;
  const client = [clientId && "AUTH0_CLIENT_ID", clientSecret && "AUTH0_CLIENT_SECRET"].filter(Boolean);
  if (token) {
    if (client.length > 0) {
      return {
        ok: false,
        problem: `AUTH0_API_TOKEN conflicts with ${client.join(" and ")}; unset either the token or the client credentials`,
      };
    }
    return { ok: true, domain, credentials: { kind: "api-token", token } };
  }
  if (clientId && clientSecret) {
    const audience = env.AUTH0_AUDIENCE;
    return {
      ok: true,
      domain,
      credentials: { kind: "client-credentials", clientId, clientSecret, ...(audience ? { audience } : {}) },
    };
  }
  if (client.length === 1) {
    const other = clientId ? "AUTH0_CLIENT_SECRET" : "AUTH0_CLIENT_ID";
    return { ok: false, problem: `${client[0]} is set but ${other} is not; set both` };
  }
  return { ok: false, problem: "set AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET, or AUTH0_API_TOKEN" };
}
