import type { SeedData } from "../../src/emulator";
import { apiWrites, clientEnv, emulatedTenant, flat, MEMBER_ROLES_SCOPES, PROVIDER_HCL } from "./fixtures";

// One member in two resources of one configuration undoes itself on every apply; the plan fails
// instead, with an error on each resource involved, before anything is written. Real terraform, HCL.
jest.setTimeout(180_000);

const ORG = "org_acme000000000001";
const [BOB, CAROL] = ["auth0|bob", "auth0|carol"];
const [ADMIN, VIEWER] = ["rol_admin00000000001", "rol_viewer0000000001"];

const seed: SeedData = {
  clients: [
    {
      clientId: "ci",
      clientSecret: "ci-secret-123",
      scopes: [...MEMBER_ROLES_SCOPES, "read:organization_members", "read:roles"],
    },
  ],
  roles: [
    { id: ADMIN, name: "admin" },
    { id: VIEWER, name: "viewer" },
  ],
  users: [{ user_id: BOB }, { user_id: CAROL }],
  organizations: [{ id: ORG, name: "acme", members: [{ user_id: BOB }, { user_id: CAROL }] }],
};

const count = (text: string, part: string) => text.split(part).length - 1;
/** An auth0roles_organization_member_roles block for a member of ORG. */
const memberHcl = (name: string, user: string, roles: readonly string[]) => `
resource "auth0roles_organization_member_roles" "${name}" {
  organization_id = "${ORG}"
  user_id         = "${user}"
  roles           = ${JSON.stringify(roles)}
}
`;

describe("a member managed by two resources fails the plan", () => {
  const tenant = emulatedTenant(seed);

  async function plan(config: string) {
    const tf = await tenant.workspace(PROVIDER_HCL + config, clientEnv("ci"));
    tenant.emu.clearRequests();
    const result = await tf.plan();
    return { ...result, out: flat(result.stdout + result.stderr), writes: apiWrites(tenant.emu), tf };
  }

  test("two member blocks for one member: an error on each", async () => {
    const { code, out, writes } = await plan(
      memberHcl("bob", BOB, [ADMIN]) +
        memberHcl("bob_again", BOB, [VIEWER]) +
        memberHcl("carol", CAROL, [VIEWER]),
    );
    expect(code).toBe(1);
    expect(count(out, `Error: Managed by two resources: ${BOB} in ${ORG}`)).toBe(2);
    expect(out).toContain("with auth0roles_organization_member_roles.bob,");
    expect(out).toContain("with auth0roles_organization_member_roles.bob_again,");
    expect(out).not.toContain("with auth0roles_organization_member_roles.carol,");
    expect(out).toContain(
      `${BOB} in ${ORG} is also managed by an auth0roles_organization_member_roles in this configuration`,
    );
    expect(out).toContain("each revokes what the other grants");
    expect(writes).toEqual([]);
  });

  test("identical copies of one block are caught as well", async () => {
    const { code, out } = await plan(memberHcl("one", BOB, [ADMIN]) + memberHcl("two", BOB, [ADMIN]));
    expect(code).toBe(1);
    expect(count(out, `Error: Managed by two resources: ${BOB} in ${ORG}`)).toBe(2);
  });

  test("a member block for a member an organization_roles lists: an error on both", async () => {
    const { code, out, writes } = await plan(`
resource "auth0roles_organization_roles" "acme" {
  organization_id = "${ORG}"
  exclusive       = false
  members = {
    "${BOB}"   = ["${ADMIN}"]
    "${CAROL}" = []
  }
}
${memberHcl("bob", BOB, [VIEWER])}
`);
    expect(code).toBe(1);
    expect(count(out, `Error: Managed by two resources: ${BOB} in ${ORG}`)).toBe(2);
    expect(out).toContain("with auth0roles_organization_roles.acme,");
    expect(out).toContain("with auth0roles_organization_member_roles.bob,");
    expect(out).toContain(
      `also managed by an auth0roles_organization_roles in this configuration (${BOB} in ${ORG})`,
    );
    expect(writes).toEqual([]);
  });

  test("with exclusive, any member block of that organization conflicts", async () => {
    const { code, out } = await plan(`
resource "auth0roles_organization_roles" "acme" {
  organization_id = "${ORG}"
  members         = { "${BOB}" = ["${ADMIN}"] }
}
${memberHcl("carol", CAROL, [VIEWER])}
`);
    expect(code).toBe(1);
    expect(out).toContain(`(every member of ${ORG} (exclusive))`);
    expect(out).toContain("with auth0roles_organization_member_roles.carol,");
    expect(out).toContain("with auth0roles_organization_roles.acme,");
  });

  test("for_each instances known only at plan: the plan fails naming the member", async () => {
    const { code, out, writes } = await plan(`
variable "people" {
  default = { first = "${BOB}", second = "${BOB}", third = "${CAROL}" }
}
resource "auth0roles_organization_member_roles" "each" {
  for_each        = var.people
  organization_id = "${ORG}"
  user_id         = each.value
  roles           = ["${VIEWER}"]
}
`);
    expect(code).toBe(1);
    expect(out).toContain(`Error: Managed by two resources: ${BOB} in ${ORG}`);
    expect(out).toMatch(/with auth0roles_organization_member_roles\.each\["(first|second)"\]/);
    expect(out).not.toContain(`two resources: ${CAROL}`);
    expect(writes).toEqual([]);
  });

  test("one resource per member plans, applies and re-plans with no error", async () => {
    const carolEach = `
resource "auth0roles_organization_member_roles" "each" {
  for_each        = toset(["${CAROL}"])
  organization_id = "${ORG}"
  user_id         = each.value
  roles           = ["${VIEWER}"]
}
`;
    const { code, out, tf } = await plan(memberHcl("bob", BOB, [ADMIN]) + carolEach);
    expect(code).toBe(2);
    expect(out).not.toContain("Managed by two resources");
    await tf.apply();
    // A replacement plans the same instance twice in one process (destroy half, then create half).
    tf.writeConfig(
      `${PROVIDER_HCL}
resource "auth0roles_organization_member_roles" "bob" {
  organization_id = "org_globex0000000001"
  user_id         = "${BOB}"
  roles           = []
}
${carolEach}`,
    );
    const replan = await tf.plan();
    expect(flat(replan.stdout + replan.stderr)).not.toContain("Managed by two resources");
    expect(replan.stdout).toContain("must be replaced");
  });
});
