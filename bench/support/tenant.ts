import {
  ALL_SCOPES,
  type Emulator,
  type RateLimitOptions,
  type SeedData,
  startEmulator,
} from "../../src/emulator";

/** One organization holding exactly N members, each member meant to hold the same roles. */
export const ORG_ID = "org_bench00000000001";
export const ROLE_IDS = ["rol_bench00000000001", "rol_bench00000000002"] as const;
/** Throwaway credentials of the loopback emulator. */
export const CLIENT_ID = "bench-client";
export const CLIENT_SECRET = "bench-client-secret";

export function userId(i: number): string {
  return `auth0|bench-${String(i).padStart(5, "0")}`;
}

export function userIds(n: number): string[] {
  return Array.from({ length: n }, (_, i) => userId(i + 1));
}

/**
 * The tenant of one benchmark: the organization with exactly `n` members. `rolesHeld` seeds every
 * member with ROLE_IDS already assigned (a tenant that matches an applied configuration).
 */
export function benchSeed(n: number, rolesHeld: boolean): SeedData {
  const users = userIds(n);
  return {
    clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, scopes: [...ALL_SCOPES] }],
    roles: ROLE_IDS.map((id, i) => ({ id, name: `bench-role-${i + 1}` })),
    users: users.map((user_id) => ({ user_id })),
    organizations: [
      {
        id: ORG_ID,
        name: "bench",
        members: users.map((user_id) => (rolesHeld ? { user_id, roles: [...ROLE_IDS] } : { user_id })),
      },
    ],
  };
}

/** The provider's credentials for `emu`, as environment variables (the provider block stays free of them). */
export function providerEnv(emu: Emulator): Record<string, string> {
  return { AUTH0_DOMAIN: emu.url, AUTH0_CLIENT_ID: CLIENT_ID, AUTH0_CLIENT_SECRET: CLIENT_SECRET };
}

/** Runs `body` against a fresh emulator (fresh, full rate-limit buckets), always stopping it. */
export async function withEmulator<T>(
  seed: SeedData,
  rateLimits: RateLimitOptions | false,
  body: (emu: Emulator) => Promise<T>,
): Promise<T> {
  const emu = await startEmulator({ seed, rateLimits });
  try {
    return await body(emu);
  } finally {
    await emu.stop();
  }
}

/** Every member of the organization holds exactly ROLE_IDS. */
export function allMembersHoldRoles(emu: Emulator, n: number): boolean {
  const expected = [...ROLE_IDS].sort().join(",");
  return userIds(n).every((u) => emu.tenant.memberRoles(ORG_ID, u).join(",") === expected);
}

/** The benchmark organization with `n` members, member i (1-based) holding `rolesOf(i)`. */
export function organizationSeed(n: number, rolesOf: (i: number) => readonly string[]): SeedData {
  const seed = benchSeed(n, false);
  const [org] = seed.organizations ?? [];
  if (!org) throw new Error("benchSeed has no organization.");
  return {
    ...seed,
    organizations: [
      { ...org, members: userIds(n).map((user_id, i) => ({ user_id, roles: [...rolesOf(i + 1)] })) },
    ],
  };
}
