import { type Emulator, startEmulator } from "../../src/emulator";
import { TerraformWorkspace } from "../support/terraform";
import { MEMBER_ROLES_SCOPES, memberRolesConfig } from "./fixtures";

// Through the real terraform binary: ids that would address another endpoint are refused by name at
// plan and at import, and a mistyped role id fails before anything is revoked.
jest.setTimeout(180_000);

const ORG = "org_acme000000000001";
const ALICE = "auth0|alice";
const [ADMIN, BILLING, VIEWER] = ["rol_admin00000000001", "rol_billing000000001", "rol_viewer0000000001"];
const TYPO = "rol_bilIing000000001";
const SECRET = "client-secret-that-must-never-leak-42";
const ADDRESS = "auth0roles_organization_member_roles.alice";

/** Terraform frames and wraps diagnostics; the text is compared without that layout. */
const flat = (text: string) => text.replace(/[│╷╵]/g, " ").replace(/\s+/g, " ");

let emu: Emulator;
let tf: TerraformWorkspace;

beforeAll(async () => {
  emu = await startEmulator({
    rateLimits: false,
    seed: {
      clients: [{ clientId: "terraform-ci", clientSecret: SECRET, scopes: MEMBER_ROLES_SCOPES }],
      roles: [ADMIN, BILLING, VIEWER].map((id) => ({ id, name: id })),
      users: [{ user_id: ALICE }],
      organizations: [{ id: ORG, name: "acme", members: [{ user_id: ALICE, roles: [ADMIN] }] }],
    },
  });
  tf = new TerraformWorkspace({
    AUTH0_DOMAIN: emu.url,
    AUTH0_CLIENT_ID: "terraform-ci",
    AUTH0_CLIENT_SECRET: SECRET,
  });
  tf.writeConfig(memberRolesConfig({ alice: { organization_id: ORG, user_id: ALICE, roles: [ADMIN] } }));
  await tf.init();
});

afterAll(async () => {
  tf?.dispose();
  await emu?.stop();
});

beforeEach(() => emu.clearRequests());

const apiRequests = () => emu.requests.filter((r) => r.path.startsWith("/api/"));

test("terraform import '..::..' fails with the named error and reads nothing", async () => {
  const imported = await tf.run(["import", "-no-color", "-input=false", ADDRESS, "..::.."]);
  expect(imported.code).toBe(1);
  const text = flat(imported.stderr);
  expect(text).toContain("Invalid import id");
  expect(text).toContain('organization_id ".." is not an id');
  expect(text).toContain('user_id ".." is not an id');
  expect(apiRequests()).toEqual([]);
  expect((await tf.run(["state", "list"])).stdout.trim()).toBe("");
});

test.each([".", ".."])("user_id %p fails at plan with the named error and sends nothing", async (userId) => {
  tf.writeConfig(memberRolesConfig({ alice: { organization_id: ORG, user_id: userId, roles: [ADMIN] } }));
  const plan = await tf.plan();
  expect(plan.code).toBe(1);
  expect(flat(plan.stderr)).toContain(`user_id "${userId}" is not an id`);
  expect(apiRequests()).toEqual([]);
});

test("a mistyped role id fails on the grant, nothing is revoked, and the error names it", async () => {
  tf.writeConfig(
    memberRolesConfig({ alice: { organization_id: ORG, user_id: ALICE, roles: [ADMIN, BILLING] } }),
  );
  await tf.apply();
  expect(emu.tenant.memberRoles(ORG, ALICE)).toEqual([ADMIN, BILLING]);

  // The pull request meant to swap admin for viewer and mistyped billing.
  tf.writeConfig(
    memberRolesConfig({ alice: { organization_id: ORG, user_id: ALICE, roles: [TYPO, VIEWER] } }),
  );
  emu.clearRequests();
  const failed = await tf.run(["apply", "-no-color", "-auto-approve", "-input=false"]);
  expect(failed.code).toBe(1);
  const text = flat(failed.stderr);
  expect(text).toContain(`does not exist in this tenant: ${TYPO}, ${VIEWER}`);
  expect(text).toContain("Nothing was revoked: the member keeps every role held before.");
  expect(apiRequests().filter((r) => r.method === "DELETE")).toEqual([]);
  expect(emu.tenant.memberRoles(ORG, ALICE)).toEqual([ADMIN, BILLING]);

  tf.writeConfig(
    memberRolesConfig({ alice: { organization_id: ORG, user_id: ALICE, roles: [BILLING, VIEWER] } }),
  );
  await tf.apply();
  expect(emu.tenant.memberRoles(ORG, ALICE).sort()).toEqual([BILLING, VIEWER]);
  expect((await tf.plan()).code).toBe(0);
});

test("terraform import of an organization resource with id '..' fails with the named error and reads nothing", async () => {
  tf.writeConfig({
    terraform: { required_providers: { auth0roles: { source: "terraform.local/rolesascode/auth0roles" } } },
    resource: { auth0roles_organization_roles: { acme: { organization_id: ORG, members: {} } } },
  });
  const imported = await tf.run([
    "import",
    "-no-color",
    "-input=false",
    "auth0roles_organization_roles.acme",
    "..",
  ]);
  expect(imported.code).toBe(1);
  const text = flat(imported.stderr);
  expect(text).toContain("Invalid import id");
  expect(text).toContain('organization_id ".." is not an id');
  expect(apiRequests()).toEqual([]);
});
