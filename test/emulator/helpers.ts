import { ALL_SCOPES, type Emulator } from "../../src/emulator";

export const ACME = "org_acme000000000001";
export const GLOBEX = "org_globex0000000001";
export const ADMIN = "rol_admin00000000001";
export const BILLING = "rol_billing000000001";
export const VIEWER = "rol_viewer0000000001";
export const SUPPORT = "rol_support000000001";
export const AUDITOR = "rol_auditor000000001";
export const ALICE = "auth0|alice";

export interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: test replies are inspected field by field.
  body: any;
  headers: Headers;
}

/** One HTTP exchange with the emulator; `path` is sent as written (keep user ids percent-encoded). */
export async function call(
  emu: Emulator,
  method: string,
  path: string,
  opts: { token?: string | null; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
  signal?: AbortSignal,
): Promise<Reply> {
  const headers: Record<string, string> = { ...opts.headers };
  const token = opts.token === undefined ? emu.issueToken({ scopes: [...ALL_SCOPES] }) : opts.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers["content-type"] ??= "application/json";
  const res = await fetch(`${emu.url}${path}`, { method, headers, body, ...(signal ? { signal } : {}) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text === "" ? undefined : JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

export function memberRolesPath(org: string, userId: string, query = ""): string {
  return `/api/v2/organizations/${org}/members/${encodeURIComponent(userId)}/roles${query}`;
}

export async function clientToken(emu: Emulator, extra: Record<string, string> = {}): Promise<Reply> {
  return call(emu, "POST", "/oauth/token", {
    token: null,
    body: {
      grant_type: "client_credentials",
      client_id: "emulator-client",
      client_secret: "emulator-secret",
      audience: emu.audience,
      ...extra,
    },
  });
}
