import { type Emulator, type SeedData, startEmulator } from "../../src/emulator";
import { TerraformWorkspace } from "../support/terraform";
import { MEMBER_ROLES_SCOPES, memberRolesConfig } from "./fixtures";

// The real terraform binary against an API that answers 429 storms or hangs.
jest.setTimeout(180_000);

const ORG = "org_faults0000000001";
const ROLES = ["rol_faults0000000001", "rol_faults0000000002"];
const EXTRA_ROLE = "rol_faults0000000003";
const SECRET = "faults-e2e-secret-9d8e7f";
const MEMBERS = Array.from({ length: 6 }, (_, i) => `auth0|storm-${i}`);

const seed: SeedData = {
  clients: [{ clientId: "terraform-ci", clientSecret: SECRET, scopes: MEMBER_ROLES_SCOPES }],
  roles: [...ROLES, EXTRA_ROLE].map((id) => ({ id, name: id })),
  users: MEMBERS.map((user_id) => ({ user_id })),
  organizations: [{ id: ORG, name: "faults", members: MEMBERS.map((user_id) => ({ user_id })) }],
};

const resources = Object.fromEntries(
  MEMBERS.map((user_id, i) => [`member_${i}`, { organization_id: ORG, user_id, roles: ROLES }]),
);

describe("faults with terraform", () => {
  let emu: Emulator;
  let tf: TerraformWorkspace;

  beforeAll(async () => {
    emu = await startEmulator({ seed });
    tf = new TerraformWorkspace({
      AUTH0_DOMAIN: emu.url,
      AUTH0_CLIENT_ID: "terraform-ci",
      AUTH0_CLIENT_SECRET: SECRET,
    });
    tf.writeConfig(memberRolesConfig(resources));
    await tf.init();
  });

  afterAll(async () => {
    tf?.dispose();
    await emu?.stop();
  });

  afterEach(() => emu.clearFaults());

  test("6 resources, 12 429s with Retry-After: 1 on the roles endpoints: the apply succeeds", async () => {
    emu.injectFault({ kind: "rate-limit", path: /\/roles$/, times: 12, retryAfterSeconds: 1 });
    const apply = await tf.run(["apply", "-no-color", "-auto-approve"]);
    expect(apply.stderr).toBe("");
    expect(apply.code).toBe(0);
    expect(emu.requests.filter((r) => r.status === 429)).toHaveLength(12);
    for (const member of MEMBERS) expect(emu.tenant.memberRoles(ORG, member)).toEqual(ROLES);
  });

  test("a POST answered 503 after it took effect and one reset before: the apply succeeds, nothing sent twice", async () => {
    const roles = [...ROLES, EXTRA_ROLE];
    tf.writeConfig(
      memberRolesConfig(
        Object.fromEntries(
          MEMBERS.map((user_id, i) => [`member_${i}`, { organization_id: ORG, user_id, roles }]),
        ),
      ),
    );
    emu.injectFault({ kind: "after-apply", status: 503, method: "POST" });
    emu.injectFault({ kind: "drop", method: "POST" });
    emu.clearRequests();
    const apply = await tf.run(["apply", "-no-color", "-auto-approve"]);
    expect(apply.stderr).toBe("");
    expect(apply.code).toBe(0);
    for (const member of MEMBERS) expect(emu.tenant.memberRoles(ORG, member)).toEqual(roles);
    const posts = emu.requests.filter((r) => r.method === "POST" && r.path.startsWith("/api/v2/"));
    // One POST per member, plus one re-send for the POST that was reset before it took effect.
    expect(posts.map((r) => r.status).sort()).toEqual([0, 204, 204, 204, 204, 204, 503]);
    expect(posts.every((r) => JSON.stringify(r.body) === JSON.stringify({ roles: [EXTRA_ROLE] }))).toBe(true);
    const plan = await tf.run(["plan", "-no-color", "-detailed-exitcode"]);
    expect(plan.code).toBe(0);
  });

  test("a hung API fails a plan's refresh at operation_timeout, naming the setting", async () => {
    tf.writeConfig(memberRolesConfig(resources, { operation_timeout: "2s" }));
    emu.injectFault({ kind: "hang", method: "GET", times: Number.POSITIVE_INFINITY });
    const plan = await tf.run(["plan", "-no-color"]);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain("Could not read organization member roles");
    expect(plan.stderr).toMatch(
      /operation's 2\.0 s deadline\s+\(operation_timeout,\s+AUTH0_OPERATION_TIMEOUT\)/,
    );
  });
});
