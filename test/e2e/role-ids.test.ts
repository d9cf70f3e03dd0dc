import type { SeedData } from "../../src/emulator";
import { apiWrites, clientEnv, emulatedTenant, flat, MEMBER_ROLES_SCOPES, PROVIDER_HCL } from "./fixtures";

// Role ids are checked at plan where the token has read:roles: a typo fails `terraform plan`, not
// the apply after merge. Organization-scoped roles may share a name: a name never picks one silently.
jest.setTimeout(180_000);

const ORG = "org_acme000000000001";
const OTHER_ORG = "org_globex0000000001";
const BOB = "auth0|bob";
const [ADMIN, VIEWER] = ["rol_admin00000000001", "rol_viewer0000000001"];
const [ACME_OPS, GLOBEX_OPS] = ["rol_opsacme000000001", "rol_opsglobex0000001"];
const TYPO = "rol_admn00000000001";

const seed: SeedData = {
  clients: [
    { clientId: "ci", clientSecret: "ci-secret-123", scopes: [...MEMBER_ROLES_SCOPES, "read:roles"] },
    { clientId: "no-roles", clientSecret: "no-roles-secret-123", scopes: MEMBER_ROLES_SCOPES },
  ],
  roles: [
    { id: ADMIN, name: "admin" },
    { id: VIEWER, name: "viewer" },
    { id: ACME_OPS, name: "ops", type: "organization", owner_id: ORG },
    { id: GLOBEX_OPS, name: "ops", type: "organization", owner_id: OTHER_ORG },
  ],
  users: [{ user_id: BOB }],
  organizations: [
    { id: ORG, name: "acme", members: [{ user_id: BOB }] },
    { id: OTHER_ORG, name: "globex" },
  ],
};

const memberBlock = (roles: readonly string[], name = "bob") => `
resource "auth0roles_organization_member_roles" "${name}" {
  organization_id = "${ORG}"
  user_id         = "${BOB}"
  roles           = ${JSON.stringify(roles)}
}
`;

describe("role ids are checked at plan", () => {
  const tenant = emulatedTenant(seed);

  async function plan(config: string, client = "ci") {
    const tf = await tenant.workspace(PROVIDER_HCL + config, clientEnv(client));
    const emu = tenant.emu;
    emu.clearRequests();
    const result = await tf.plan();
    const listings = emu.requests.filter((r) => r.path === "/api/v2/roles" && r.query.page === "0");
    return { ...result, out: flat(result.stdout + result.stderr), writes: apiWrites(emu), listings, tf };
  }

  test("a typo'd role id fails the plan, naming the closest ids with their names", async () => {
    const { code, out, writes } = await plan(memberBlock([TYPO, VIEWER]));
    expect(code).toBe(1);
    expect(out).toContain(`Error: Unknown role id "${TYPO}"`);
    expect(out).toContain("with auth0roles_organization_member_roles.bob,");
    expect(out).toContain(`The closest role ids: ${ADMIN} (admin).`);
    expect(out).not.toContain(`Unknown role id "${VIEWER}"`);
    expect(writes).toEqual([]);
  });

  test("the same for a member of auth0roles_organization_roles, at its entry in members", async () => {
    const { code, out } = await plan(`
resource "auth0roles_organization_roles" "acme" {
  organization_id = "${ORG}"
  exclusive       = false
  members         = { "${BOB}" = ["${TYPO}"] }
}
`);
    expect(code).toBe(1);
    expect(out).toContain(`Error: Unknown role id "${TYPO}"`);
    expect(out).toContain(`members["${BOB}"] lists`);
  });

  test("a role name where an id belongs is named as such; a name several roles carry lists their ids", async () => {
    const named = await plan(memberBlock(["admin"]));
    expect(named.code).toBe(1);
    expect(named.out).toContain(
      `"admin", which is the name of the role ${ADMIN} (admin), not a role id: use "${ADMIN}"`,
    );

    const shared = await plan(memberBlock(["ops"]));
    expect(shared.code).toBe(1);
    expect(shared.out).toContain(
      `the name of 2 roles: ${ACME_OPS} (ops, organization ${ORG}), ${GLOBEX_OPS} (ops, organization ${OTHER_ORG}). Use the id of the one you mean.`,
    );
  });

  test("the roles data source refuses a name that several organization-scoped roles carry, naming them", async () => {
    const { code, out } = await plan(`
data "auth0roles_roles" "all" {
  names = ["ops"]
}
`);
    expect(code).toBe(1);
    expect(out).toContain('Error: Role name "ops" is not unique');
    expect(out).toContain(`${ACME_OPS} (organization ${ORG}), ${GLOBEX_OPS} (organization ${OTHER_ORG})`);
  });

  test("one role listing per plan, shared by the data source and every resource", async () => {
    const { code, listings } = await plan(`
data "auth0roles_roles" "all" {
  names = ["viewer"]
}
${memberBlock([ADMIN])}
resource "auth0roles_organization_roles" "globex" {
  organization_id = "${OTHER_ORG}"
  exclusive       = false
  members         = {}
}
resource "auth0roles_organization_member_roles" "named" {
  organization_id = "${OTHER_ORG}"
  user_id         = "${BOB}"
  roles           = [data.auth0roles_roles.all.roles["viewer"]]
}
`);
    expect(code).toBe(2);
    expect(listings).toHaveLength(1);
  });

  test("without read:roles nothing is checked and nothing is said: the plan passes", async () => {
    const { code, out, listings } = await plan(memberBlock([TYPO]), "no-roles");
    expect(code).toBe(2);
    expect(out).not.toContain("Unknown role id");
    expect(listings).toEqual([]);
  });
});
