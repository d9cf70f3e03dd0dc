import { type Emulator, type SeedData, startEmulator } from "../../src/emulator";
import { TerraformWorkspace } from "../support/terraform";
import { MEMBER_ROLES_SCOPES, type MemberRolesArgs, memberRolesConfig } from "./fixtures";

// Bad input must fail with a message naming the field or scope, change nothing, and leak no secret.
jest.setTimeout(180_000);

const ORG = "org_acme0000000000001";
const ALICE = "auth0|alice";
const ADMIN = "rol_admin00000000001";
const SECRET = "client-secret-that-must-never-leak-42";
const READ_ONLY_SECRET = "read-only-secret-that-must-never-leak-7";

function config(alice: MemberRolesArgs, provider: Record<string, unknown> = {}) {
  return memberRolesConfig({ alice }, provider);
}

const manyRoles = Array.from({ length: 51 }, (_, i) => `rol_many${String(i).padStart(12, "0")}`);

/** A pipeline client, a read-only one, and enough roles to go past the 50-role cap. */
const seed: SeedData = {
  clients: [
    { clientId: "terraform-ci", clientSecret: SECRET, scopes: MEMBER_ROLES_SCOPES },
    { clientId: "read-only", clientSecret: READ_ONLY_SECRET, scopes: ["read:organization_member_roles"] },
  ],
  roles: [{ id: ADMIN, name: "admin" }, ...manyRoles.map((id) => ({ id, name: id }))],
  users: [{ user_id: ALICE }],
  organizations: [{ id: ORG, name: "acme", members: [{ user_id: ALICE }] }],
};

describe("bad input gives a readable error and changes nothing", () => {
  let emu: Emulator;
  let tf: TerraformWorkspace;

  beforeAll(async () => {
    emu = await startEmulator({
      rateLimits: false,
      seed,
    });
    tf = new TerraformWorkspace({
      AUTH0_DOMAIN: emu.url,
      AUTH0_CLIENT_ID: "terraform-ci",
      AUTH0_CLIENT_SECRET: SECRET,
    });
    tf.writeConfig(config({ organization_id: ORG, user_id: ALICE, roles: [ADMIN] }));
    await tf.init();
  });

  afterAll(async () => {
    tf?.dispose();
    await emu?.stop();
  });

  beforeEach(() => emu.clearRequests());

  afterEach(() => {
    expect(emu.tenant.memberRoles(ORG, ALICE)).toEqual([]);
    const writes = emu.requests.filter((r) => r.method !== "GET" && r.path.startsWith("/api/"));
    expect(writes.filter((r) => r.status < 300)).toEqual([]);
  });

  test("an empty organization_id names the field", async () => {
    tf.writeConfig(config({ organization_id: "", user_id: ALICE, roles: [ADMIN] }));
    const plan = await tf.plan();
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain("organization_id is empty");
    expect(plan.stderr).toContain("organization_id");
  });

  test("an empty user_id names the field", async () => {
    tf.writeConfig(config({ organization_id: ORG, user_id: " ", roles: [ADMIN] }));
    const plan = await tf.plan();
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain("user_id is empty");
  });

  test("51 roles are refused before any call", async () => {
    tf.writeConfig(config({ organization_id: ORG, user_id: ALICE, roles: manyRoles }));
    const plan = await tf.plan();
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain("at most 50 roles");
  });

  test("a wrong client secret says which credential to check and shows no secret", async () => {
    tf.writeConfig(config({ organization_id: ORG, user_id: ALICE, roles: [ADMIN] }));
    const result = await tf.run(["apply", "-no-color", "-auto-approve"], {
      AUTH0_CLIENT_SECRET: "wrong-secret-value",
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/client_secret|AUTH0_CLIENT_SECRET/);
    expect(result.stderr + result.stdout).not.toContain("wrong-secret-value");
  });

  test("a missing scope names the scope to grant", async () => {
    tf.writeConfig(config({ organization_id: ORG, user_id: ALICE, roles: [ADMIN] }));
    const result = await tf.run(["apply", "-no-color", "-auto-approve"], {
      AUTH0_CLIENT_ID: "read-only",
      AUTH0_CLIENT_SECRET: READ_ONLY_SECRET,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("create:organization_member_roles");
    expect(result.stderr + result.stdout).not.toContain(READ_ONLY_SECRET);
  });

  test("conflicting credentials in the provider block name both settings", async () => {
    tf.writeConfig(
      config(
        { organization_id: ORG, user_id: ALICE, roles: [ADMIN] },
        { api_token: "tok", client_id: "terraform-ci" },
      ),
    );
    const plan = await tf.plan();
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain("`api_token` conflicts with `client_id`");
  });

  test("http:// to a non-loopback host is refused and names domain", async () => {
    tf.writeConfig(
      config(
        { organization_id: ORG, user_id: ALICE, roles: [ADMIN] },
        { domain: "http://tenant.example.com" },
      ),
    );
    const plan = await tf.plan();
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain("domain");
    expect(plan.stderr).toMatch(/https/i);
  });
});

describe("no secret reaches the logs at TF_LOG=TRACE", () => {
  test("apply and destroy logs hold neither the client secret nor a token", async () => {
    const emu = await startEmulator({
      rateLimits: false,
      seed,
    });
    const tf = new TerraformWorkspace({
      AUTH0_DOMAIN: emu.url,
      AUTH0_CLIENT_ID: "terraform-ci",
      AUTH0_CLIENT_SECRET: SECRET,
    });
    try {
      tf.writeConfig(config({ organization_id: ORG, user_id: ALICE, roles: [ADMIN] }));
      await tf.init();
      const trace = { TF_LOG: "TRACE" };
      const applied = await tf.ok(["apply", "-no-color", "-auto-approve"], trace);
      const destroyed = await tf.ok(["destroy", "-no-color", "-auto-approve"], trace);
      const logs = applied.stdout + applied.stderr + destroyed.stdout + destroyed.stderr;
      // The provider's own lines are there, so the check looks at what it logs.
      expect(logs).toContain("reconciling member roles");
      expect(logs).not.toContain(SECRET);
      expect(logs).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./); // a JWT
      expect(logs).not.toMatch(/Bearer [A-Za-z0-9]/);
    } finally {
      tf.dispose();
      await emu.stop();
    }
  });
});
