import { type Emulator, startEmulator } from "../../src/emulator";
import { ManagementClient } from "../../src/management";
import { readHeldRoles } from "../../src/review/held-roles";
import type { MemberChange } from "../../src/review/plan";
import { ManagementTenantReader, NoTenantReader } from "../../src/review/tenant";

// Which calls the review makes to learn what created members hold, against the emulator over HTTP.

const ORG = "org_acme000000000001";
const ROLE = "rol_viewer0000000001";
const OTHER = "rol_billing000000001";
const USERS = Array.from({ length: 25 }, (_, i) => `auth0|user${String(i).padStart(2, "0")}`);
const FULL = { clientId: "full", clientSecret: "full-secret-0123456789" };
const NO_LISTING = { clientId: "no-listing", clientSecret: "no-listing-secret-0123456789" };

const create = (
  userId: string,
  address = `auth0roles_organization_member_roles.${userId.slice(6)}`,
): MemberChange => ({
  address,
  action: "create",
  organizationId: ORG,
  userId,
  before: null,
  after: [ROLE],
});

describe("readHeldRoles", () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({
      rateLimits: false,
      seed: {
        clients: [
          { ...FULL, scopes: ["read:organization_member_roles", "read:organization_members"] },
          { ...NO_LISTING, scopes: ["read:organization_member_roles"] },
        ],
        roles: [
          { id: ROLE, name: "viewer" },
          { id: OTHER, name: "billing" },
        ],
        users: USERS.map((user_id) => ({ user_id })),
        // Every third member holds billing.
        organizations: [
          {
            id: ORG,
            name: "acme",
            members: USERS.map((user_id, i) => (i % 3 === 0 ? { user_id, roles: [OTHER] } : { user_id })),
          },
        ],
      },
    });
  });
  afterAll(() => emu.stop());
  beforeEach(() => emu.clearRequests());

  const reader = (c: { clientId: string; clientSecret: string }) =>
    new ManagementTenantReader(
      new ManagementClient({ domain: emu.url, credentials: { kind: "client-credentials", ...c } }),
    );
  const apiPaths = () => emu.requests.filter((r) => r.path.startsWith("/api/")).map((r) => r.path);
  const listing = `/api/v2/organizations/${ORG}/members`;

  it("reads a few created members on their own endpoints", async () => {
    const changes = [create(USERS[0] as string), create(USERS[1] as string)];
    const notes: string[] = [];
    const { held, unlisted } = await readHeldRoles(changes, [], reader(FULL), notes);
    expect(changes.map((c) => held.get(c))).toEqual([[OTHER], []]);
    expect(unlisted).toEqual([]);
    expect(apiPaths().sort()).toEqual(
      changes.map((c) => `${listing}/${encodeURIComponent(c.userId)}/roles`).sort(),
    );
    expect(notes).toEqual([]);
  });

  it("reads many created members of one organization from one walk of its listing", async () => {
    const changes = USERS.slice(0, 21).map((u) => create(u));
    const { held } = await readHeldRoles(changes, [], reader(FULL), []);
    expect(changes.filter((c) => (held.get(c) ?? []).includes(OTHER))).toHaveLength(7);
    expect(new Set(apiPaths())).toEqual(new Set([listing]));
  });

  it("falls back to one read per member when the listing is not allowed", async () => {
    const changes = USERS.slice(0, 21).map((u) => create(u));
    const notes: string[] = [];
    const { held } = await readHeldRoles(changes, [], reader(NO_LISTING), notes);
    expect(changes.filter((c) => (held.get(c) ?? []).includes(OTHER))).toHaveLength(7);
    expect(apiPaths().filter((p) => p.endsWith("/roles"))).toHaveLength(21);
    expect(notes).toEqual([]);
  });

  it("finds the members an exclusive organization resource does not list, even when it lists nobody", async () => {
    const address = "auth0roles_organization_roles.acme";
    const declared = create(USERS[0] as string, address);
    const one = await readHeldRoles(
      [declared],
      [{ address, action: "create", organizationId: ORG }],
      reader(FULL),
      [],
    );
    expect(one.held.get(declared)).toEqual([OTHER]);
    const holders = USERS.filter((_, i) => i % 3 === 0);
    expect(one.unlisted.map((c) => [c.address, c.userId, c.after])).toEqual(
      holders.slice(1).map((u) => [address, u, []]),
    );
    const none = await readHeldRoles(
      [],
      [{ address, action: "create", organizationId: ORG }],
      reader(FULL),
      [],
    );
    expect(none.unlisted.map((c) => c.userId)).toEqual(holders);
  });

  it("says so when the members an exclusive resource revokes cannot be listed, or nothing can be read", async () => {
    const address = "auth0roles_organization_roles.acme";
    const notes: string[] = [];
    await readHeldRoles([], [{ address, action: "create", organizationId: ORG }], reader(NO_LISTING), notes);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain(
      `Roles held today could not be read for: the members of ${ORG} (${address}): `,
    );
    expect(notes[0]).toContain("read:organization_members");
    const later: string[] = [];
    emu.clearRequests();
    await readHeldRoles(
      [create("(known after apply)", "auth0roles_organization_member_roles.later")],
      [],
      reader(FULL),
      later,
    );
    expect(later).toEqual([
      "auth0roles_organization_member_roles.later: the member is known only after apply, so the roles it holds today could not be read.",
    ]);
    expect(apiPaths()).toEqual([]);
    const offline: string[] = [];
    await readHeldRoles(
      [create(USERS[0] as string)],
      [],
      new NoTenantReader("no Auth0 credentials"),
      offline,
    );
    expect(offline).toEqual([
      "Roles held today by the member this plan creates were not read (no Auth0 credentials), so roles apply revokes from them are not shown.",
    ]);
    const offlineExclusive: string[] = [];
    await readHeldRoles(
      [],
      [{ address, action: "create", organizationId: ORG }],
      new NoTenantReader("no Auth0 credentials"),
      offlineExclusive,
    );
    expect(offlineExclusive).toEqual([
      `${address} revokes the roles of every member of ${ORG} it does not declare; who they are was not read (no Auth0 credentials).`,
    ]);
  });
});
