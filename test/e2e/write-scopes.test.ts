import type { SeedData } from "../../src/emulator";
import {
  apiWrites,
  clientEnv,
  emulatedTenant,
  flat,
  MEMBER_ROLES_SCOPES,
  memberRolesConfig,
  organizationRolesConfig,
} from "./fixtures";

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

const bobConfig = (roles: string[]) =>
  memberRolesConfig({ bob: { organization_id: ORG, user_id: BOB, roles } });

const organizationConfig = (roles: string[]) =>
  organizationRolesConfig({ acme: { organization_id: ORG, members: { [BOB]: roles }, exclusive: false } });

describe("write scopes are checked before the first write", () => {
  const tenant = emulatedTenant(seed, { perTest: true });

  test("an apply that grants and revokes with a token lacking the revoke scope changes nothing", async () => {
    const tf = await tenant.workspace(bobConfig([ADMIN]), clientEnv("grant-only"));
    tenant.emu.clearRequests();
    const apply = await tf.run(["apply", "-no-color", "-auto-approve", "-input=false"]);
    expect(apply.code).toBe(1);
    const out = flat(apply.stdout + apply.stderr);
    expect(out).toContain(`Missing Management API scope ${REVOKE}`);
    expect(out).toContain(`This change needs ${GRANT} and ${REVOKE}`);
    expect(out).toContain("Nothing was changed");
    expect(out).toContain(
      "Applications > APIs > Auth0 Management API > Machine to Machine Applications, expand the application, tick delete:organization_member_roles",
    );
    expect(apiWrites(tenant.emu)).toEqual([]);
    expect(tenant.emu.tenant.memberRoles(ORG, BOB)).toEqual([VIEWER]);
  });

  test("the same for the whole-organization resource", async () => {
    const tf = await tenant.workspace(organizationConfig([ADMIN]), clientEnv("grant-only"));
    tenant.emu.clearRequests();
    const apply = await tf.run(["apply", "-no-color", "-auto-approve", "-input=false"]);
    expect(apply.code).toBe(1);
    expect(flat(apply.stdout + apply.stderr)).toContain(`Missing Management API scope ${REVOKE}`);
    expect(apiWrites(tenant.emu)).toEqual([]);
    expect(tenant.emu.tenant.memberRoles(ORG, BOB)).toEqual([VIEWER]);
  });

  test("an api_token's scope claim is read the same way, and each missing scope is named", async () => {
    const token = tenant.emu.issueToken({ scopes: [READ] });
    const tf = await tenant.workspace(bobConfig([ADMIN]), { AUTH0_API_TOKEN: token });
    tenant.emu.clearRequests();
    const apply = await tf.run(["apply", "-no-color", "-auto-approve", "-input=false"]);
    expect(apply.code).toBe(1);
    const out = flat(apply.stdout + apply.stderr);
    expect(out).toContain(`Missing Management API scopes ${GRANT}, ${REVOKE}`);
    expect(out).toContain(`The api_token (AUTH0_API_TOKEN) lacks the scopes ${GRANT}, ${REVOKE}`);
    expect(out).not.toContain(token);
    expect(apiWrites(tenant.emu)).toEqual([]);
  });

  test("a plan with a read-only token does not fail for lacking write scopes", async () => {
    const tf = await tenant.workspace(bobConfig([ADMIN]), clientEnv("read-only"));
    const plan = await tf.plan();
    expect(plan.code).toBe(2);
    expect(plan.stdout + plan.stderr).not.toContain("Missing Management API scope");
  });

  test("a grant-only change needs only the grant scope, and destroy only the revoke scope", async () => {
    const tf = await tenant.workspace(bobConfig([ADMIN, VIEWER]), clientEnv("grant-only"));
    await tf.apply();
    expect(tenant.emu.tenant.memberRoles(ORG, BOB).sort()).toEqual([ADMIN, VIEWER]);
    const destroy = await tf.ok(
      ["destroy", "-no-color", "-auto-approve", "-input=false"],
      clientEnv("revoke-only"),
    );
    expect(destroy.stdout).toContain("Destroy complete");
    expect(tenant.emu.tenant.memberRoles(ORG, BOB)).toEqual([]);
  });
});
