import type { Emulator, SeedData } from "../../src/emulator";
import { startEmulator } from "../../src/emulator";
import {
  type ManagementApiError,
  ManagementClient,
  type ManagementClientOptions,
} from "../../src/management";

export const ORG = "org_acme000000000001";
export const OTHER_ORG = "org_globex0000000001";
export const ALICE = "auth0|alice";
/** A user id with both characters that must be percent-encoded in a path segment. */
export const SLASHED_USER = "auth0|x/y";
export const OUTSIDER = "auth0|outsider";
export const CLIENT_ID = "client-under-test";
export const CLIENT_SECRET = "client-secret-do-not-leak-0123456789";
export const ALL_SCOPES = [
  "read:organization_member_roles",
  "create:organization_member_roles",
  "delete:organization_member_roles",
];

/** 60 role ids, more than fit in one call. */
export const ROLE_IDS = Array.from({ length: 60 }, (_, i) => `rol_test${String(i).padStart(12, "0")}`);

export function seed(): SeedData {
  return {
    clients: [
      { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, scopes: ALL_SCOPES },
      {
        clientId: "reader-only",
        clientSecret: "reader-secret-do-not-leak-0123",
        scopes: [ALL_SCOPES[0] as string],
      },
    ],
    roles: ROLE_IDS.map((id, i) => ({ id, name: `role-${i}` })),
    users: [{ user_id: ALICE }, { user_id: SLASHED_USER }, { user_id: OUTSIDER }],
    organizations: [
      {
        id: ORG,
        name: "acme",
        members: [
          { user_id: ALICE, roles: [ROLE_IDS[0] as string, ROLE_IDS[1] as string] },
          { user_id: SLASHED_USER, roles: [ROLE_IDS[2] as string] },
        ],
      },
      { id: OTHER_ORG, name: "globex" },
    ],
  };
}

/** Small waits so retries finish in milliseconds; the deadline is generous unless a test says otherwise. */
export const FAST_RETRY = { maxAttempts: 4, deadlineMs: 10_000, baseDelayMs: 5, maxDelayMs: 20 };

export async function startTestEmulator(): Promise<Emulator> {
  return startEmulator({ seed: seed(), rateLimits: false });
}

/** A fresh emulator for each test of the calling file, handed to `use`, and stopped after the test. */
export function useTestEmulator(use: (emu: Emulator) => void): void {
  let current: Emulator | undefined;
  beforeEach(async () => {
    current = await startTestEmulator();
    use(current);
  });
  afterEach(async () => {
    await current?.stop();
    current = undefined;
  });
}

export function clientFor(emu: Emulator, overrides: Partial<ManagementClientOptions> = {}): ManagementClient {
  return new ManagementClient({
    domain: emu.url,
    credentials: { kind: "client-credentials", clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
    retry: FAST_RETRY,
    ...overrides,
  });
}

export function tokenRequests(emu: Emulator): number {
  return emu.requests.filter((r) => r.path === "/oauth/token").length;
}

export function apiRequests(emu: Emulator, method?: string): Emulator["requests"] {
  return emu.requests.filter(
    (r) => r.path.startsWith("/api/v2/") && (method === undefined || r.method === method),
  );
}

/**
 * Awaits a call that must fail with ManagementApiError and checks, as every provoked error must,
 * that no secret shows in its message, String(), JSON or stack. JWTs (all access tokens) start "eyJ".
 */
export async function failure(
  call: Promise<unknown>,
  secrets: readonly string[] = [CLIENT_SECRET],
): Promise<ManagementApiError> {
  const error: unknown = await call.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (e: unknown) => e,
  );
  if (!(error instanceof Error) || error.name !== "ManagementApiError") throw error;
  expectNoSecrets(renderings(error), secrets);
  return error as ManagementApiError;
}

function renderings(error: Error): string[] {
  return [
    error.message,
    String(error),
    JSON.stringify(error),
    error.stack ?? "",
    JSON.stringify(Object.entries(error)),
  ];
}

export function expectNoSecrets(texts: readonly string[], secrets: readonly string[]): void {
  for (const text of texts) {
    expect(text).not.toContain("eyJ");
    expect(text).not.toMatch(/Bearer/i);
    for (const secret of secrets) expect(text).not.toContain(secret);
  }
}

/** A logger that keeps every line, so tests can check that no secret was logged. */
export function recordingLogger(): {
  lines: string[];
  logger: { debug: (m: string, f?: object) => void; warn: (m: string, f?: object) => void };
} {
  const lines: string[] = [];
  const record = (level: string) => (message: string, fields?: object) => {
    lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  };
  return { lines, logger: { debug: record("debug"), warn: record("warn") } };
}
