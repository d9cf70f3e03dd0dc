import { type Emulator, type SeedData, startEmulator } from "../../../src/emulator";
import type { Logger } from "../../../src/provider/plugin/logger";
import type { TfObject } from "../../../src/provider/protocol/values";
import { Auth0RolesProvider } from "../../../src/provider/provider";
import { BULK_THRESHOLD, PAGES_PER_REFRESH } from "../../../src/provider/resources/bulk-refresh";

const TYPE = "auth0roles_organization_member_roles";
const ORG = "org_bulk000000000001";
const ROLES = Array.from({ length: 60 }, (_, i) => `rol_bulk${String(i).padStart(12, "0")}`);
const role = (i: number): string => ROLES[i] as string;
const MEMBER_SCOPES = [
  "read:organization_member_roles",
  "create:organization_member_roles",
  "delete:organization_member_roles",
];

/** 150 members (two pages of the listing, then the empty one): ids with `|` and `/`, 0 to 50 roles. */
const MEMBERS: { user_id: string; roles: string[] }[] = Array.from({ length: 150 }, (_, i) => ({
  user_id: i % 3 === 0 ? `samlp|corp|dept/user-${i}` : `auth0|user-${String(i).padStart(3, "0")}`,
  roles: i === 0 ? ROLES.slice(0, 50) : i === 1 ? [] : [role(i % 7), role(10 + (i % 5))],
}));

const seed: SeedData = {
  clients: [
    {
      clientId: "bulk",
      clientSecret: "bulk-secret-0123456789",
      scopes: [...MEMBER_SCOPES, "read:organization_members"],
    },
    { clientId: "no-members-scope", clientSecret: "narrow-secret-0123456789", scopes: MEMBER_SCOPES },
  ],
  roles: ROLES.map((id, i) => ({ id, name: `role-${i}` })),
  users: [...MEMBERS.map((m) => ({ user_id: m.user_id })), { user_id: "auth0|newcomer" }],
  organizations: [{ id: ORG, name: "bulk", members: MEMBERS }],
};

interface Recorded {
  provider: Auth0RolesProvider;
  debug: string[];
}

async function configured(emu: Emulator, extra: TfObject = {}, clientId = "bulk"): Promise<Recorded> {
  const debug: string[] = [];
  const ignore = (): void => {};
  const logger: Logger = {
    trace: ignore,
    debug: (message, fields) => debug.push(`${message} ${JSON.stringify(fields ?? {})}`),
    info: ignore,
    warn: ignore,
    error: ignore,
  };
  const provider = new Auth0RolesProvider({ logger, env: {} });
  const secret = seed.clients?.find((c) => c.clientId === clientId)?.clientSecret ?? "";
  const diagnostics = await provider.configureProvider(
    { domain: emu.url, client_id: clientId, client_secret: secret, ...extra },
    "1.9.0",
  );
  expect(diagnostics).toEqual([]);
  return { provider, debug };
}

function stateOf(userId: string, roles: readonly string[] | null): TfObject {
  return {
    id: `${ORG}::${userId}`,
    organization_id: ORG,
    user_id: userId,
    roles: roles === null ? null : [...roles],
  };
}

/** Refreshes, as Terraform's plan does, every given member from its prior state (all at once). */
function refresh(provider: Auth0RolesProvider, states: readonly TfObject[]) {
  return Promise.all(states.map((currentState) => provider.readResource({ typeName: TYPE, currentState })));
}

const truth = (emu: Emulator, userId: string): string[] => [...emu.tenant.memberRoles(ORG, userId)].sort();
const listingCalls = (emu: Emulator) =>
  emu.requests.filter((r) => r.method === "GET" && r.path === `/api/v2/organizations/${ORG}/members`);
const memberCalls = (emu: Emulator) =>
  emu.requests.filter((r) => r.method === "GET" && r.path.endsWith("/roles"));

/** The first 30 members, their prior state equal to the tenant: among them 50 roles, 0 roles, `|` and `/`. */
const FIRST_30 = MEMBERS.slice(0, 30);

let emu: Emulator;

beforeEach(async () => {
  emu = await startEmulator({ seed, rateLimits: false });
});

afterEach(async () => {
  await emu.stop();
});

describe("bulk refresh", () => {
  it("answers 30 reads of one organization from one listing: threshold per-member calls + the listing's pages", async () => {
    const { provider } = await configured(emu);
    const results = await refresh(
      provider,
      FIRST_30.map((m) => stateOf(m.user_id, m.roles)),
    );
    results.forEach((result, i) => {
      const member = FIRST_30[i] as (typeof FIRST_30)[number];
      expect(result.diagnostics).toEqual([]);
      expect(result.newState).toEqual(stateOf(member.user_id, [...member.roles].sort()));
    });
    expect(results[0]?.newState?.roles).toHaveLength(50);
    expect(results[1]?.newState?.roles).toEqual([]);
    expect(memberCalls(emu)).toHaveLength(BULK_THRESHOLD);
    // 150 members at 100 a page: 2 pages, then the empty page that ends the walk.
    expect(listingCalls(emu).map((r) => r.query)).toEqual([
      { fields: "user_id,roles", include_fields: "true", take: "100" },
      expect.objectContaining({ from: expect.any(String), take: "100" }),
      expect.objectContaining({ from: expect.any(String), take: "100" }),
    ]);
  });

  it("reads few members of an organization one by one", async () => {
    const { provider } = await configured(emu);
    await refresh(
      provider,
      MEMBERS.slice(0, BULK_THRESHOLD).map((m) => stateOf(m.user_id, m.roles)),
    );
    expect(memberCalls(emu)).toHaveLength(BULK_THRESHOLD);
    expect(listingCalls(emu)).toHaveLength(0);
  });

  it("confirms with the member's own endpoint when the listing disagrees with the state, so drift still shows", async () => {
    const drifted = FIRST_30[10] as (typeof FIRST_30)[number];
    emu.tenant.assignRoles(ORG, drifted.user_id, [role(40)]);
    const { provider, debug } = await configured(emu);
    const results = await refresh(
      provider,
      FIRST_30.map((m) => stateOf(m.user_id, m.roles)),
    );
    expect(results[10]?.newState?.roles).toEqual(truth(emu, drifted.user_id));
    expect(results[10]?.newState?.roles).toContain(role(40));
    expect(memberCalls(emu)).toHaveLength(BULK_THRESHOLD + 1);
    expect(memberCalls(emu).at(-1)?.path).toBe(
      `/api/v2/organizations/${ORG}/members/${encodeURIComponent(drifted.user_id)}/roles`,
    );
    expect(debug.some((l) => l.startsWith("member list differs from state"))).toBe(true);
  });

  it("a listing that lags behind the tenant cannot hide a change: the state disagrees, the member is read", async () => {
    const { provider } = await configured(emu);
    await refresh(
      provider,
      FIRST_30.map((m) => stateOf(m.user_id, m.roles)),
    );
    // Changed after the listing was read (as if the listing lagged): the state already says so.
    const member = FIRST_30[20] as (typeof FIRST_30)[number];
    emu.tenant.assignRoles(ORG, member.user_id, [role(41)]);
    emu.clearRequests();
    const [result] = await refresh(provider, [stateOf(member.user_id, truth(emu, member.user_id))]);
    expect(result?.newState?.roles).toEqual(truth(emu, member.user_id));
    expect(memberCalls(emu)).toHaveLength(1);
    expect(listingCalls(emu)).toHaveLength(0);
  });

  it("reads a member missing from the listing on its own: a membership gone, or too fresh to be listed", async () => {
    const gone = FIRST_30[5] as (typeof FIRST_30)[number];
    emu.tenant.removeMember(ORG, gone.user_id);
    const { provider } = await configured(emu);
    const results = await refresh(
      provider,
      FIRST_30.map((m) => stateOf(m.user_id, m.roles)),
    );
    expect(results[5]?.newState).toBeNull();
    expect(results[5]?.diagnostics[0]?.summary).toBe("Organization member no longer exists");
    expect(memberCalls(emu)).toHaveLength(BULK_THRESHOLD + 1);

    // Added after the listing was read, as if the listing lagged behind a fresh membership.
    emu.tenant.addMember(ORG, "auth0|newcomer");
    emu.tenant.assignRoles(ORG, "auth0|newcomer", [role(3)]);
    emu.clearRequests();
    const [fresh] = await refresh(provider, [stateOf("auth0|newcomer", [role(3)])]);
    expect(fresh?.newState?.roles).toEqual([role(3)]);
    expect(memberCalls(emu)).toHaveLength(1);
  });

  it("reads each member when the state holds no roles to compare with (just imported)", async () => {
    const { provider } = await configured(emu);
    const states = FIRST_30.map((m, i) => stateOf(m.user_id, i === 12 ? null : m.roles));
    const results = await refresh(provider, states);
    const member = FIRST_30[12] as (typeof FIRST_30)[number];
    expect(results[12]?.newState?.roles).toEqual([...member.roles].sort());
    expect(memberCalls(emu)).toHaveLength(BULK_THRESHOLD + 1);
  });

  it("falls back to per-member reads, silently, when the credentials lack read:organization_members", async () => {
    const { provider, debug } = await configured(emu, {}, "no-members-scope");
    const results = await refresh(
      provider,
      FIRST_30.map((m) => stateOf(m.user_id, m.roles)),
    );
    results.forEach((result, i) => {
      expect(result.diagnostics).toEqual([]);
      expect(result.newState?.roles).toEqual([...(FIRST_30[i]?.roles ?? [])].sort());
    });
    expect(listingCalls(emu).map((r) => r.status)).toEqual([403]);
    expect(memberCalls(emu)).toHaveLength(30);
    expect(debug.some((l) => l.includes("could not list the organization's members"))).toBe(true);
  });

  it("the listing and the per-member fallback share one operation deadline: a hung API costs one, not two", async () => {
    const { provider } = await configured(emu, { operation_timeout: "1s" });
    const firstFour = MEMBERS.slice(0, BULK_THRESHOLD);
    for (const member of firstFour) await refresh(provider, [stateOf(member.user_id, member.roles)]);
    emu.clearRequests();
    emu.injectFault({ kind: "hang", method: "GET", times: Number.POSITIVE_INFINITY });

    const fifth = MEMBERS[BULK_THRESHOLD] as (typeof MEMBERS)[number];
    const [result] = await refresh(provider, [stateOf(fifth.user_id, fifth.roles)]);
    expect(result?.diagnostics).toHaveLength(1);
    expect(result?.diagnostics[0]?.detail).toMatch(
      /had not answered when the operation's 1\.0 s deadline \(operation_timeout, AUTH0_OPERATION_TIMEOUT\) passed/,
    );
    // The listing hung until the deadline; the fallback to the member's own endpoint then found the
    // operation's time spent and sent nothing (it used to start over with a fresh deadline).
    expect(listingCalls(emu)).toHaveLength(1);
    expect(memberCalls(emu)).toHaveLength(0);
  });

  it("bulk_refresh = false reads each member separately, like the official provider", async () => {
    const { provider } = await configured(emu, { bulk_refresh: false });
    await refresh(
      provider,
      FIRST_30.map((m) => stateOf(m.user_id, m.roles)),
    );
    expect(memberCalls(emu)).toHaveLength(30);
    expect(listingCalls(emu)).toHaveLength(0);
  });

  it("a write to the organization drops its listing, so a later read cannot be confirmed by data older than the write", async () => {
    const { provider } = await configured(emu);
    await refresh(
      provider,
      FIRST_30.map((m) => stateOf(m.user_id, m.roles)),
    );
    const bystander = FIRST_30[25] as (typeof FIRST_30)[number];
    emu.tenant.assignRoles(ORG, bystander.user_id, [role(42)]);
    const writer = FIRST_30[26] as (typeof FIRST_30)[number];
    const planned = stateOf(writer.user_id, [...writer.roles, role(43)].sort());
    const applied = await provider.applyResourceChange({
      typeName: TYPE,
      priorState: stateOf(writer.user_id, writer.roles),
      plannedState: planned,
      config: planned,
    });
    expect(applied.diagnostics).toEqual([]);
    emu.clearRequests();
    const [result] = await refresh(provider, [stateOf(bystander.user_id, bystander.roles)]);
    expect(result?.newState?.roles).toContain(role(42));
    // A new listing (the old one would have confirmed the stale state), then the confirming read.
    expect(listingCalls(emu)).toHaveLength(3);
    expect(memberCalls(emu)).toHaveLength(1);
  });

  it("abandons the listing of an organization far larger than what is refreshed, for per-member reads", async () => {
    const huge = "org_huge000000000001";
    const crowd = Array.from({ length: 3_000 }, (_, i) => ({ user_id: `auth0|crowd-${i}` }));
    emu.tenant.seed({ users: crowd, organizations: [{ id: huge, name: "huge", members: crowd }] });
    const managed = crowd.slice(0, BULK_THRESHOLD + 1);
    const { provider, debug } = await configured(emu);
    const results = await Promise.all(
      managed.map((m) =>
        provider.readResource({
          typeName: TYPE,
          currentState: { id: `${huge}::${m.user_id}`, organization_id: huge, user_id: m.user_id, roles: [] },
        }),
      ),
    );
    for (const result of results) expect(result.newState?.roles).toEqual([]);
    const pages = emu.requests.filter((r) => r.path === `/api/v2/organizations/${huge}/members`);
    // 30 pages would list everyone; the walk stops at its budget and every read goes to its member.
    expect(pages).toHaveLength(PAGES_PER_REFRESH * managed.length);
    expect(memberCalls(emu)).toHaveLength(managed.length);
    expect(debug.some((line) => line.includes("abandoned"))).toBe(true);
  });
});
