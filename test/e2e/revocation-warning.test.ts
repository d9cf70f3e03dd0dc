import type { SeedData } from "../../src/emulator";
import { BULK_THRESHOLD } from "../../src/provider/resources/bulk-refresh";
import {
  apiWrites,
  clientEnv,
  emulatedTenant,
  flat,
  MEMBER_ROLES_SCOPES,
  type MemberRolesArgs,
  memberRolesConfig,
  organizationRolesConfig,
  PROVIDER_HCL,
} from "./fixtures";

// No hidden revocation: a plan that creates (or imports) a member's roles warns about the roles
// apply will revoke. Real terraform plans against the emulator.
jest.setTimeout(180_000);

const ORG = "org_globex0000000001";
const DAVE = "google-oauth2|dave";
const ALICE = "auth0|alice";
/** A user of the tenant who is not a member of the organization. */
const ERIN = "auth0|erin";
const NO_ORG = "org_nonexistent00001";
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
    {
      clientId: "writes-only",
      clientSecret: "writes-only-secret-123",
      scopes: ["create:organization_member_roles", "delete:organization_member_roles", "read:roles"],
    },
  ],
  roles: [
    { id: ADMIN, name: "admin" },
    { id: BILLING, name: "billing" },
    { id: VIEWER, name: "viewer" },
  ],
  users: [{ user_id: DAVE }, { user_id: ALICE }, { user_id: ERIN }, ...CROWD.map((user_id) => ({ user_id }))],
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
  return `${PROVIDER_HCL}import {
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

function organizationConfig(members: Record<string, readonly string[]>, exclusive: boolean, org = ORG) {
  return organizationRolesConfig({ globex: { organization_id: org, members, exclusive } });
}

function organizationImportConfig(members: Record<string, readonly string[]>): string {
  return `${PROVIDER_HCL}import {
  to = auth0roles_organization_roles.globex
  id = "${ORG}"
}
resource "auth0roles_organization_roles" "globex" {
  organization_id = "${ORG}"
  exclusive       = false
  members         = ${JSON.stringify(members)}
}
`;
}

const member = (user_id: string, roles: string[]): MemberRolesArgs => ({
  organization_id: ORG,
  user_id,
  roles,
});

describe("plan warnings about roles apply will revoke", () => {
  const tenant = emulatedTenant(seed);
  const workspace = (config: string | object, client = "reviewer", secret?: string) =>
    tenant.workspace(config, clientEnv(client, secret));

  test("a create over held roles warns, naming the resource, the member and the roles by name", async () => {
    const tf = await workspace(memberRolesConfig({ dave: member(DAVE, [VIEWER]) }));
    tenant.emu.clearRequests();
    const plan = await tf.plan();
    expect(plan.code).toBe(2);
    const out = flat(plan.stdout + plan.stderr);
    expect(out).toContain(`Warning: Apply revokes 1 role ${DAVE} holds today`);
    expect(out).toContain("with auth0roles_organization_member_roles.dave");
    expect(out).toContain(`who holds billing (${BILLING}) now`);
    expect(out).not.toContain("viewer (");
    // The plan itself shows only additions.
    expect(plan.stdout).toContain(`+ "${VIEWER}"`);
    expect(apiWrites(tenant.emu)).toEqual([]);
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
    tenant.emu.clearRequests();
    const plan = await tf.plan();
    expect(plan.code).toBe(2);
    const out = flat(plan.stdout + plan.stderr);
    for (const user of CROWD) {
      const warned = out.includes(`Apply revokes 1 role ${user} holds today`);
      expect([user, warned]).toEqual([user, CROWD_HOLDING.has(user)]);
    }
    const listings = tenant.emu.requests.filter((r) => r.path === `/api/v2/organizations/${ORG}/members`);
    const memberReads = tenant.emu.requests.filter((r) => /\/members\/[^/]+\/roles$/.test(r.path));
    expect(listings.length).toBeGreaterThan(0);
    // The first reads go to each member until the listing pays; after it, only the two to confirm.
    expect(memberReads.length).toBeLessThanOrEqual(BULK_THRESHOLD + CROWD_HOLDING.size);
    expect(apiWrites(tenant.emu)).toEqual([]);
  });

  describe("auth0roles_organization_roles", () => {
    for (const exclusive of [false, true]) {
      test(`a create (exclusive = ${exclusive}) warns per listed member about held roles it does not list, by name`, async () => {
        const tf = await workspace(organizationConfig({ [DAVE]: [BILLING], [ALICE]: [VIEWER] }, exclusive));
        tenant.emu.clearRequests();
        const plan = await tf.plan();
        expect(plan.code).toBe(2);
        const out = flat(plan.stdout + plan.stderr);
        expect(out.split(`Apply revokes 1 role ${DAVE} holds today`).length - 1).toBe(1);
        expect(out).toContain(`who holds viewer (${VIEWER}) now`);
        expect(out).toContain(`add it to members["${DAVE}"]`);
        expect(out).toContain("with auth0roles_organization_roles.globex");
        expect(out).not.toContain(`holds today ${ALICE}`);
        expect(out).not.toContain(`role ${ALICE} holds today`);
        // exclusive also strips the crowd, which the other warning counts.
        expect(out.includes("Exclusive: 12 members not in members")).toBe(exclusive);
        expect(apiWrites(tenant.emu)).toEqual([]);
      });
    }

    test("without read:organization_members or read:roles, each member is read on its own and roles are shown by id", async () => {
      const tf = await workspace(organizationConfig({ [DAVE]: [BILLING] }, true), "no-names");
      const plan = await tf.plan();
      expect(plan.code).toBe(2);
      const out = flat(plan.stdout + plan.stderr);
      expect(out).toContain(`Apply revokes 1 role ${DAVE} holds today`);
      expect(out).toContain(`who holds ${VIEWER} now`);
      expect(out).toContain("Role names need the Management API scope read:roles");
      expect(out).toContain("Exclusive: other members' roles will be revoked");
    });

    test("an exclusive create names, per member not in members, the roles they lose, by name", async () => {
      const tf = await workspace(organizationConfig({ [DAVE]: [BILLING, VIEWER] }, true));
      const plan = await tf.plan();
      expect(plan.code).toBe(2);
      const out = flat(plan.stdout + plan.stderr);
      expect(out).toContain(`Exclusive: ${CROWD.length} members not in members will lose all their roles`);
      expect(out).toContain(`"${CROWD[0]}" loses viewer (${VIEWER})`);
      expect(out).toContain(`"${CROWD[3]}" loses admin (${ADMIN}), viewer (${VIEWER})`);
      expect(out).toContain("and 2 more.");
      expect(apiWrites(tenant.emu)).toEqual([]);
    });

    test("an import whose members drop a held role shows it in the diff, without a second warning", async () => {
      const tf = await workspace(organizationImportConfig({ [DAVE]: [BILLING] }));
      const plan = await tf.plan();
      expect(plan.code).toBe(2);
      expect(plan.stdout).toContain(`- "${VIEWER}"`);
      expect(plan.stdout + plan.stderr).not.toContain("holds today");
    });

    test("a member who is not in the organization, or an organization that does not exist, is a plan warning", async () => {
      const tf = await workspace(organizationConfig({ [ERIN]: [VIEWER] }, false));
      const plan = await tf.plan();
      expect(plan.code).toBe(2);
      const out = flat(plan.stdout + plan.stderr);
      expect(out).toContain(`Warning: ${ERIN} is not a member of ${ORG}`);
      expect(out).toContain(`apply fails unless ${ERIN} is added to ${ORG} first`);
      expect(out).toContain(
        "That is expected when this configuration creates the membership in the same apply, e.g. by the official provider's auth0_organization_member",
      );

      tf.writeConfig(organizationConfig({ [DAVE]: [VIEWER] }, true, NO_ORG));
      const gone = await tf.plan();
      expect(gone.code).toBe(2);
      const goneOut = flat(gone.stdout + gone.stderr);
      expect(goneOut).toContain(`Warning: Organization ${NO_ORG} does not exist`);
      expect(goneOut).toContain(
        "apply fails unless the organization is created and each member added to it first",
      );
      expect(goneOut).toContain("check organization_id and domain (AUTH0_DOMAIN). Set plan_checks");
      expect(goneOut).not.toContain(").).");
    });

    test("rejected credentials or a missing read scope fail the plan; a transient failure warns", async () => {
      const config = organizationConfig({ [DAVE]: [BILLING] }, false);
      const bad = await (await workspace(config, "reviewer", "wrong-secret-123")).plan();
      expect(bad.code).toBe(1);
      expect(flat(bad.stderr)).toContain(`Error: Could not read the roles ${DAVE} holds`);
      expect(bad.stdout + bad.stderr).not.toContain("wrong-secret-123");

      const unscoped = await (await workspace(config, "writes-only")).plan();
      expect(unscoped.code).toBe(1);
      expect(flat(unscoped.stderr)).toContain("read:organization_member_roles");

      const tf = await workspace(config);
      tenant.emu.injectFault({ kind: "status", status: 503, path: /\/members\/[^/]+\/roles$/, times: 100 });
      try {
        const flaky = await tf.plan();
        expect(flaky.code).toBe(2);
        expect(flat(flaky.stdout + flaky.stderr)).toContain(
          `Warning: Could not check which roles ${DAVE} holds now`,
        );
      } finally {
        tenant.emu.clearFaults();
      }
    });
  });

  describe("auth0roles_organization_member_roles", () => {
    test("a member who is not in the organization, or an organization that does not exist, is a plan warning", async () => {
      const tf = await workspace(
        memberRolesConfig({
          erin: member(ERIN, [VIEWER]),
          nowhere: { organization_id: NO_ORG, user_id: DAVE, roles: [VIEWER] },
        }),
      );
      const plan = await tf.plan();
      expect(plan.code).toBe(2);
      const out = flat(plan.stdout + plan.stderr);
      expect(out).toContain(`Warning: ${ERIN} is not a member of ${ORG}`);
      expect(out).toContain(`apply fails unless ${ERIN} is added to ${ORG} first`);
      expect(out).toContain(`Warning: Organization ${NO_ORG} does not exist`);
      expect(out).toContain(
        'Set plan_checks = "error" in the provider block to fail plans for this instead.',
      );
      expect(out).not.toContain(").).");
    });

    test('plan_checks = "error" fails such a plan, with an error for each finding', async () => {
      const resources = {
        erin: member(ERIN, [VIEWER]),
        nowhere: { organization_id: NO_ORG, user_id: DAVE, roles: [VIEWER] },
        dave: member(DAVE, [BILLING, VIEWER]),
      };
      const tf = await workspace(memberRolesConfig(resources, { plan_checks: "error" }));
      const plan = await tf.plan();
      expect(plan.code).toBe(1);
      const out = flat(plan.stdout + plan.stderr);
      expect(out).toContain(`Error: ${ERIN} is not a member of ${ORG}`);
      expect(out).toContain(`Error: Organization ${NO_ORG} does not exist`);
      expect(out).toContain('The provider\'s plan_checks = "error" makes this fail the plan.');
      expect(apiWrites(tenant.emu)).toEqual([]);

      tf.writeConfig(memberRolesConfig(resources, { plan_checks: "strict" }));
      const invalid = await tf.plan();
      expect(invalid.code).toBe(1);
      expect(flat(invalid.stderr)).toContain("Error: Invalid `plan_checks`");
      expect(flat(invalid.stderr)).toContain('must be "warn"');
    });

    test("rejected credentials or a missing read scope fail a plan of only creates", async () => {
      const config = memberRolesConfig({ dave: member(DAVE, [VIEWER]) });
      const bad = await (await workspace(config, "reviewer", "wrong-secret-123")).plan();
      expect(bad.code).toBe(1);
      expect(flat(bad.stderr)).toContain(`Error: Could not read the roles ${DAVE} holds`);
      const unscoped = await (await workspace(config, "writes-only")).plan();
      expect(unscoped.code).toBe(1);
      expect(flat(unscoped.stderr)).toContain("read:organization_member_roles");

      const tokenTf = await tenant.workspace(config, { AUTH0_API_TOKEN: "not-a-real-token" });
      const badToken = await tokenTf.plan();
      expect(badToken.code).toBe(1);
      expect(flat(badToken.stderr)).toContain(`Error: Could not read the roles ${DAVE} holds`);
      expect(badToken.stdout + badToken.stderr).not.toContain("not-a-real-token");
    });
  });
});
