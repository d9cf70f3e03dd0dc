import { type Emulator, startEmulator } from "../../src/emulator";
import { readOrganization } from "../../src/export";
import { ManagementClient } from "../../src/management";

// What export reads from the tenant, against the emulator over HTTP: members with roles, and role
// names where the credentials may read them.

const ORG = "org_acme000000000001";
const VIEWER = "rol_viewer0000000001";
const BILLING = "rol_billing000000001";
const MEMBER_SCOPES = ["read:organization_members", "read:organization_member_roles"];
const NAMES = { clientId: "names", clientSecret: "names-secret-0123456789" };
const NO_NAMES = { clientId: "no-names", clientSecret: "no-names-secret-0123456789" };

describe("readOrganization", () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({
      rateLimits: false,
      seed: {
        clients: [
          { ...NAMES, scopes: [...MEMBER_SCOPES, "read:roles"] },
          { ...NO_NAMES, scopes: MEMBER_SCOPES },
        ],
        roles: [
          { id: VIEWER, name: "viewer" },
          { id: BILLING, name: "billing" },
        ],
        users: [{ user_id: "auth0|bob" }, { user_id: "auth0|alice" }, { user_id: "auth0|carol" }],
        organizations: [
          {
            id: ORG,
            name: "acme",
            members: [
              { user_id: "auth0|bob", roles: [VIEWER, BILLING] },
              { user_id: "auth0|alice", roles: [VIEWER] },
              { user_id: "auth0|carol" },
            ],
          },
        ],
      },
    });
  });
  afterAll(() => emu.stop());
  beforeEach(() => emu.clearRequests());

  const client = (c: { clientId: string; clientSecret: string }) =>
    new ManagementClient({ domain: emu.url, credentials: { kind: "client-credentials", ...c } });

  it("lists members with roles, sorted, and reads each role's name once", async () => {
    const org = await readOrganization(client(NAMES), ORG);
    expect(org.members).toEqual([
      { userId: "auth0|alice", roles: [VIEWER] },
      { userId: "auth0|bob", roles: [BILLING, VIEWER] },
    ]);
    expect(Object.fromEntries(org.roleNames)).toEqual({ [VIEWER]: "viewer", [BILLING]: "billing" });
    expect(org.notes).toEqual([]);
    const roleReads = emu.requests.filter((r) => r.path.startsWith("/api/v2/roles/"));
    expect(roleReads.map((r) => r.path).sort()).toEqual([
      `/api/v2/roles/${BILLING}`,
      `/api/v2/roles/${VIEWER}`,
    ]);
  });

  it("leaves names out with a note naming the scope when the credentials lack read:roles", async () => {
    const org = await readOrganization(client(NO_NAMES), ORG);
    expect(org.members).toHaveLength(2);
    expect(org.roleNames.size).toBe(0);
    expect(org.notes).toHaveLength(1);
    expect(org.notes[0]).toContain("read:roles");
  });
});
