import { type Emulator, type SeedData, startEmulator } from "../../src/emulator";
import { TerraformWorkspace } from "../support/terraform";
import { MEMBER_ROLES_SCOPES, memberRolesConfig } from "./fixtures";

// Write scopes are checked against the token before the first write of an apply: a token that may
// grant but not revoke must not grant, then fail the revoke. Plans never fail for lacking them.
jest.setTimeout(180_000);

const ORG = "org_acme000000000001";
const BOB = "auth0|bob";
const [ADMIN, VIEWER] = ["rol_admin00000000001", "rol_viewer0000000001"];
const READ = "read:organization_member_roles";
const GRANT = "create:organization_member_roles";
const REVOKE = "delete:organization_member_roles";

const seed: SeedData = {
  clients: [
    { clientId: "full", clientSecret: "full-secret-123", scopes: MEMBER_ROLES_SCOPES },
    { clientId: "grant-only", clientSecret: "grant-only-secret-123", scopes: [READ, GRANT] },
    { clientId: "read-only", clientSecret: "read-only-secret-123", scopes: [READ] },
    { clientId: "revoke-only", clientSecret: "revoke-only-secret-123", scopes: [READ, REVOKE] },
  ],
  roles: [
    { id: ADMIN, name: "admin" },
    { id: VIEWER, name: "viewer" },
  ],
  users: [{ user_id: BOB }],
  organizations: [{ id: ORG, name: "acme", members: [{ user_id: BOB, roles: [VIEWER] }] }],
};

const flat = (text: string) => text.replace(/\s+/g, " ");
const writes = (emu: Emulator) =>
  emu.requests.filter((r) => r.method !== "GET" && r.path.startsWith("/api/"));

const bobConfig = (roles: string[]) =>
  memberRolesConfig({ bob: { organization_id: ORG, user_id: BOB, roles } });

const organizationConfig = (roles: string[]) => ({
  terraform: { required_providers: { auth0roles: { source: "terraform.local/rolesascode/auth0roles" } } },
  provider: { auth0roles: {} },
  resource: {
    auth0roles_organization_roles: {
      acme: { organization_id: ORG, members: { [BOB]: roles }, exclusive: false },
    },
  },
});

describe("write scopes are checked before the first write", () => {
  let emu: Emulator;
  const workspaces: TerraformWorkspace[] = [];

  beforeEach(async () => {
    emu = await startEmulator({ seed, rateLimits: false });
  });
  afterEach(async () => {
    for (const tf of workspaces.splice(0)) tf.dispose();
    await emu.stop();
  });

  async function workspace(config: object, env: Record<string, string>): Promise<TerraformWorkspace> {
    const tf = new TerraformWorkspace({ AUTH0_DOMAIN: emu.url, ...env });
    workspaces.push(tf);
    tf.writeConfig(config);
    await tf.init();
    return tf;
  }

  const client = (id: string) => ({ AUTH0_CLIENT_ID: id, AUTH0_CLIENT_SECRET: `${id}-secret-123` });

  test("an apply that grants and revokes with a token lacking the revoke scope changes nothing", async () => {
    const tf = await workspace(bobConfig([ADMIN]), client("grant-only"));
    emu.clearRequests();
    const apply = await tf.run(["apply", "-no-color", "-auto-approve", "-input=false"]);
    expect(apply.code).toBe(1);
    const out = flat(apply.stdout + apply.stderr);
    expect(out).toContain(`Missing Management API scope ${REVOKE}`);
    expect(out).toContain(`This change needs ${GRANT} and ${REVOKE}`);
    expect(out).toContain("Nothing was changed");
    expect(out).toContain(
      "Applications > APIs > Auth0 Management API > Machine to Machine Applications, expand the application, tick delete:organization_member_roles",
    );
    expect(writes(emu)).toEqual([]);
    expect(emu.tenant.memberRoles(ORG, BOB)).toEqual([VIEWER]);
  });

  test("the same for the whole-organization resource", async () => {
    const tf = await workspace(organizationConfig([ADMIN]), client("grant-only"));
    emu.clearRequests();
    const apply = await tf.run(["apply", "-no-color", "-auto-approve", "-input=false"]);
    expect(apply.code).toBe(1);
    expect(flat(apply.stdout + apply.stderr)).toContain(`Missing Management API scope ${REVOKE}`);
    expect(writes(emu)).toEqual([]);
    expect(emu.tenant.memberRoles(ORG, BOB)).toEqual([VIEWER]);
  });

  test("an api_token's scope claim is read the same way, and each missing scope is named", async () => {
    const token = emu.issueToken({ scopes: [READ] });
    const tf = await workspace(bobConfig([ADMIN]), { AUTH0_API_TOKEN: token });
    emu.clearRequests();
    const apply = await tf.run(["apply", "-no-color", "-auto-approve", "-input=false"]);
    expect(apply.code).toBe(1);
    const out = flat(apply.stdout + apply.stderr);
    expect(out).toContain(`Missing Management API scopes ${GRANT}, ${REVOKE}`);
    expect(out).toContain(`The api_token (AUTH0_API_TOKEN) lacks the scopes ${GRANT}, ${REVOKE}`);
    expect(out).not.toContain(token);
    expect(writes(emu)).toEqual([]);
  });

  test("a plan with a read-only token does not fail for lacking write scopes", async () => {
    const tf = await workspace(bobConfig([ADMIN]), client("read-only"));
    const plan = await tf.plan();
    expect(plan.code).toBe(2);
    expect(plan.stdout + plan.stderr).not.toContain("Missing Management API scope");
  });

  test("a grant-only change needs only the grant scope, and destroy only the revoke scope", async () => {
    const tf = await workspace(bobConfig([ADMIN, VIEWER]), client("grant-only"));
    await tf.apply();
    expect(emu.tenant.memberRoles(ORG, BOB).sort()).toEqual([ADMIN, VIEWER]);
    const destroy = await tf.ok(
      ["destroy", "-no-color", "-auto-approve", "-input=false"],
      client("revoke-only"),
    );
    expect(destroy.stdout).toContain("Destroy complete");
    expect(emu.tenant.memberRoles(ORG, BOB)).toEqual([]);
  });
});
