import { type Emulator, type SeedData, startEmulator } from "../../src/emulator";
import { TerraformWorkspace } from "../support/terraform";
import { MEMBER_ROLES_SCOPES } from "./fixtures";

// `data "auth0roles_roles"` from HCL, with the real terraform binary against the emulator.
jest.setTimeout(180_000);

const ORG = "org_acme000000000001";
const ALICE = "auth0|alice";
// More roles than one page of 100, so every page must be read.
const EXTRA = Array.from({ length: 120 }, (_, i) => ({
  id: `rol_extra${String(i).padStart(11, "0")}`,
  name: `extra-${i}`,
}));

const seed: SeedData = {
  clients: [
    {
      clientId: "with-read-roles",
      clientSecret: "secret-with-read-roles",
      scopes: [...MEMBER_ROLES_SCOPES, "read:roles"],
    },
    { clientId: "no-read-roles", clientSecret: "secret-no-read-roles", scopes: MEMBER_ROLES_SCOPES },
  ],
  roles: [
    { id: "rol_billing000000001", name: "billing" },
    { id: "rol_viewer0000000001", name: "viewer" },
    ...EXTRA,
  ],
  users: [{ user_id: ALICE }],
  organizations: [{ id: ORG, name: "acme", members: [{ user_id: ALICE }] }],
};

const HCL = `
terraform {
  required_providers {
    auth0roles = { source = "terraform.local/rolesascode/auth0roles" }
  }
}

provider "auth0roles" {}

data "auth0roles_roles" "all" {}

resource "auth0roles_organization_member_roles" "alice" {
  organization_id = "${ORG}"
  user_id         = "${ALICE}"
  roles           = [data.auth0roles_roles.all.roles["billing"], data.auth0roles_roles.all.roles["extra-119"]]
}

output "role_count" {
  value = length(data.auth0roles_roles.all.roles)
}
`;

const rolesListings = (emu: Emulator) =>
  emu.requests.filter((r) => r.method === "GET" && r.path === "/api/v2/roles");

describe("data source auth0roles_roles", () => {
  let emu: Emulator;

  beforeAll(async () => {
    emu = await startEmulator({ seed, rateLimits: false });
  });
  afterAll(() => emu.stop());

  function workspace(clientId: string, secret: string): TerraformWorkspace {
    const tf = new TerraformWorkspace({
      AUTH0_DOMAIN: emu.url,
      AUTH0_CLIENT_ID: clientId,
      AUTH0_CLIENT_SECRET: secret,
    });
    tf.writeConfig(HCL);
    return tf;
  }

  test("resolves role names to ids from every page, one listing per plan, and the next plan is empty", async () => {
    const tf = workspace("with-read-roles", "secret-with-read-roles");
    try {
      await tf.init();
      emu.clearRequests();
      await tf.apply();
      expect(emu.tenant.memberRoles(ORG, ALICE)).toEqual([EXTRA[119]?.id, "rol_billing000000001"].sort());
      // 122 roles at 100 a page: two pages, read once by the plan's process (the data source and the
      // check of the role ids granted share it), once more by the process that applies, which plans
      // each resource again and checks the ids it grants.
      expect(rolesListings(emu).map((r) => r.query.page)).toEqual(["0", "1", "0", "1"]);
      const output = await tf.ok(["output", "-json", "role_count"]);
      expect(JSON.parse(output.stdout)).toBe(122);

      emu.clearRequests();
      const plan = await tf.plan();
      expect(plan.code).toBe(0);
      expect(rolesListings(emu)).toHaveLength(2);
    } finally {
      tf.dispose();
    }
  });

  test("a name listed in names that no role carries fails the plan, naming the closest names", async () => {
    const tf = workspace("with-read-roles", "secret-with-read-roles");
    try {
      tf.writeConfig(
        HCL.replace(
          'data "auth0roles_roles" "all" {}',
          'data "auth0roles_roles" "all" {\n  names = ["billing", "viewr"]\n}',
        ),
      );
      await tf.init();
      const plan = await tf.plan();
      expect(plan.code).toBe(1);
      const output = plan.stderr.replace(/\s+/g, " ");
      expect(output).toContain('Error: Unknown role name "viewr"');
      expect(output).toContain('The closest role names: "viewer".');
      expect(output).not.toContain('Unknown role name "billing"');
    } finally {
      tf.dispose();
    }
  });

  test("without read:roles the plan fails with an error naming the scope and where to grant it", async () => {
    const tf = workspace("no-read-roles", "secret-no-read-roles");
    try {
      await tf.init();
      const plan = await tf.plan();
      expect(plan.code).toBe(1);
      const output = plan.stderr.replace(/\s+/g, " ");
      expect(output).toContain("Could not list the tenant's roles");
      expect(output).toContain("lacks the scope read:roles");
      expect(output).toContain("Machine to Machine Applications");
      expect(output).not.toContain("secret-no-read-roles");
    } finally {
      tf.dispose();
    }
  });
});
