import { type Emulator, type SeedData, startEmulator } from "../../src/emulator";
import { BULK_THRESHOLD } from "../../src/provider/resources/bulk-refresh";
import { TerraformWorkspace } from "../support/terraform";
import { MEMBER_ROLES_SCOPES, type MemberRolesArgs, memberRolesConfig } from "./fixtures";

// No hidden revocation: a plan that creates (or imports) a member's roles warns about the roles
// apply will revoke. Real terraform plans against the emulator.
jest.setTimeout(180_000);

const ORG = "org_globex0000000001";
const DAVE = "google-oauth2|dave";
const ALICE = "auth0|alice";
const [ADMIN, BILLING, VIEWER] = ["rol_admin00000000001", "rol_billing000000001", "rol_viewer0000000001"];
const CROWD = Array.from({ length: 12 }, (_, i) => `auth0|crowd-${String(i).padStart(2, "0")}`);
// Two of the crowd hold a role their configuration below does not list.
const CROWD_HOLDING = new Set([CROWD[3], CROWD[9]]);

const seed: SeedData = {
  clients: [
    {
      clientId: "reviewer",
      clientSecret: "reviewer-secret-123",
      scopes: [...MEMBER_ROLES_SCOPES, "read:roles", "read:organization_members"],
    },
    { clientId: "no-names", clientSecret: "no-names-secret-123", scopes: MEMBER_ROLES_SCOPES },
  ],
  roles: [
    { id: ADMIN, name: "admin" },
    { id: BILLING, name: "billing" },
    { id: VIEWER, name: "viewer" },
  ],
  users: [{ user_id: DAVE }, { user_id: ALICE }, ...CROWD.map((user_id) => ({ user_id }))],
  organizations: [
    {
      id: ORG,
      name: "globex",
      members: [
        { user_id: DAVE, roles: [BILLING, VIEWER] },
        { user_id: ALICE },
        ...CROWD.map((user_id) => ({
          user_id,
          roles: CROWD_HOLDING.has(user_id) ? [ADMIN, VIEWER] : [VIEWER],
        })),
      ],
    },
  ],
};

function importConfig(roles: readonly string[]): string {
  return `
terraform {
  required_providers {
    auth0roles = { source = "terraform.local/rolesascode/auth0roles" }
  }
}
provider "auth0roles" {}
import {
  to = auth0roles_organization_member_roles.dave
  id = "${ORG}::${DAVE}"
}
resource "auth0roles_organization_member_roles" "dave" {
  organization_id = "${ORG}"
  user_id         = "${DAVE}"
  roles           = ${JSON.stringify(roles)}
}
`;
}

const member = (user_id: string, roles: string[]): MemberRolesArgs => ({
  organization_id: ORG,
  user_id,
  roles,
});

/** Terraform's plan output on one line per diagnostic paragraph, for matching across its wrapping. */
const flat = (text: string) => text.replace(/\s+/g, " ");
const writes = (emu: Emulator) =>
  emu.requests.filter((r) => r.method !== "GET" && r.path.startsWith("/api/"));

describe("plan warnings about roles apply will revoke", () => {
  let emu: Emulator;
  const workspaces: TerraformWorkspace[] = [];

  beforeAll(async () => {
    emu = await startEmulator({ seed, rateLimits: false });
  });
  afterAll(async () => {
    for (const tf of workspaces) tf.dispose();
    await emu.stop();
  });

  async function workspace(config: string | object, client = "reviewer"): Promise<TerraformWorkspace> {
    const tf = new TerraformWorkspace({
      AUTH0_DOMAIN: emu.url,
      AUTH0_CLIENT_ID: client,
      AUTH0_CLIENT_SECRET: `${client}-secret-123`,
    });
    workspaces.push(tf);
    tf.writeConfig(config);
    await tf.init();
    return tf;
  }

  test("a create over held roles warns, naming the resource, the member and the roles by name", async () => {
    const tf = await workspace(memberRolesConfig({ dave: member(DAVE, [VIEWER]) }));
    emu.clearRequests();
    const plan = await tf.plan();
    expect(plan.code).toBe(2);
    const out = flat(plan.stdout + plan.stderr);
    expect(out).toContain(`Warning: Apply revokes 1 role ${DAVE} holds today`);
    expect(out).toContain("with auth0roles_organization_member_roles.dave");
    expect(out).toContain(`who holds billing (${BILLING}) now`);
    expect(out).not.toContain("viewer (");
    // The plan itself shows only additions.
    expect(plan.stdout).toContain(`+ "${VIEWER}"`);
    expect(writes(emu)).toEqual([]);
  });

  test("no warning for a member who holds nothing the configuration does not list", async () => {
    const tf = await workspace(
      memberRolesConfig({ alice: member(ALICE, [VIEWER]), dave: member(DAVE, [BILLING, VIEWER]) }),
    );
    const plan = await tf.plan();
    expect(plan.code).toBe(2);
    expect(plan.stdout + plan.stderr).not.toContain("Warning");
  });

  test("without read:roles the warning shows ids and says how to get names", async () => {
    const tf = await workspace(memberRolesConfig({ dave: member(DAVE, []) }), "no-names");
    const plan = await tf.plan();
    const out = flat(plan.stdout + plan.stderr);
    expect(out).toContain(`Apply revokes 2 roles ${DAVE} holds today`);
    expect(out).toContain(`who holds ${BILLING}, ${VIEWER} now`);
    expect(out).toContain("Role names need the Management API scope read:roles");
  });

  test("an import whose configuration drops a held role warns once, by name, next to Terraform's diff", async () => {
    const tf = await workspace(importConfig([VIEWER]));
    const plan = await tf.plan();
    expect(plan.code).toBe(2);
    const out = flat(plan.stdout + plan.stderr);
    expect(plan.stdout).toContain(`- "${BILLING}"`);
    expect(out.split("Apply revokes 1 role").length - 1).toBe(1);
    expect(out).toContain("roles does not list billing, which they hold now");
    expect(out).toContain("with auth0roles_organization_member_roles.dave");

    // Nothing to warn about once the configuration keeps what is held: the import plans no change.
    tf.writeConfig(importConfig([BILLING, VIEWER]));
    const kept = await tf.plan();
    expect(kept.stdout).toContain("1 to import, 0 to add, 0 to change, 0 to destroy");
    expect(kept.stdout + kept.stderr).not.toContain("Warning");
  });

  test("many creates in one organization read its member listing, and confirm only the members that hold more", async () => {
    const resources = Object.fromEntries(CROWD.map((user, i) => [`crowd_${i}`, member(user, [VIEWER])]));
    const tf = await workspace(memberRolesConfig(resources));
    emu.clearRequests();
    const plan = await tf.plan();
    expect(plan.code).toBe(2);
    const out = flat(plan.stdout + plan.stderr);
    for (const user of CROWD) {
      const warned = out.includes(`Apply revokes 1 role ${user} holds today`);
      expect([user, warned]).toEqual([user, CROWD_HOLDING.has(user)]);
    }
    const listings = emu.requests.filter((r) => r.path === `/api/v2/organizations/${ORG}/members`);
    const memberReads = emu.requests.filter((r) => /\/members\/[^/]+\/roles$/.test(r.path));
    expect(listings.length).toBeGreaterThan(0);
    // The first reads go to each member until the listing pays; after it, only the two to confirm.
    expect(memberReads.length).toBeLessThanOrEqual(BULK_THRESHOLD + CROWD_HOLDING.size);
    expect(writes(emu)).toEqual([]);
  });
});
