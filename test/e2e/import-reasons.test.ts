import { type Emulator, startEmulator } from "../../src/emulator";
import { TerraformWorkspace } from "../support/terraform";
import { flat, PROVIDER_HCL } from "./fixtures";

// `terraform import` of something the tenant does not have says why, instead of Terraform's generic
// "Cannot import non-existent remote object".
jest.setTimeout(180_000);

const ACME = "org_acme000000000001";
const NO_ORG = "org_nope000000000001";
const DAVE = "google-oauth2|dave"; // a member of globex, not of acme

const CONFIG = `${PROVIDER_HCL}resource "auth0roles_organization_member_roles" "dave" {
  organization_id = "${ACME}"
  user_id         = "${DAVE}"
  roles           = []
}
resource "auth0roles_organization_roles" "nope" {
  organization_id = "${NO_ORG}"
  members         = {}
}
`;

describe("terraform import of what does not exist", () => {
  let emu: Emulator;
  let tf: TerraformWorkspace;

  beforeAll(async () => {
    emu = await startEmulator({ rateLimits: false });
    tf = new TerraformWorkspace({
      AUTH0_DOMAIN: emu.url,
      AUTH0_CLIENT_ID: "emulator-client",
      AUTH0_CLIENT_SECRET: "emulator-secret",
    });
    tf.writeConfig(CONFIG);
    await tf.init();
  });
  afterAll(async () => {
    tf.dispose();
    await emu.stop();
  });

  test("a user who is not a member: the provider's reason", async () => {
    const result = await tf.run([
      "import",
      "-no-color",
      "auth0roles_organization_member_roles.dave",
      `${ACME}::${DAVE}`,
    ]);
    expect(result.code).toBe(1);
    const out = flat(result.stdout + result.stderr);
    expect(out).toContain(`Error: Cannot import: ${DAVE} is not a member of ${ACME}`);
    expect(out).toContain("There are no member roles to import");
    expect(out).not.toContain("Cannot import non-existent remote object");
  });

  test("an organization that does not exist: the provider's reason", async () => {
    const result = await tf.run(["import", "-no-color", "auth0roles_organization_roles.nope", NO_ORG]);
    expect(result.code).toBe(1);
    const out = flat(result.stdout + result.stderr);
    expect(out).toContain(`Error: Cannot import: Organization ${NO_ORG} does not exist`);
    expect(out).not.toContain("Cannot import non-existent remote object");
  });
});
