import { resolve } from "node:path";
import { type Emulator, startEmulator } from "../../src/emulator";
import { decodeDynamicValue, encodeDynamicValue } from "../../src/provider/protocol/codec";
import type { DiagnosticMessage } from "../../src/provider/protocol/messages";
import type { TfObject } from "../../src/provider/protocol/values";
import { memberRolesSchema, providerSchema } from "../../src/provider/schema";
import { ProviderProcess } from "../support/terraform-client";

// Terraform core validates and plans before it applies, but the provider must not rely on it: these
// requests come over gRPC with mTLS straight to ApplyResourceChange (and Read, Import), and every
// one must be refused before any request reaches the tenant.
const EXECUTABLE = resolve(__dirname, "../../bin/terraform-provider-auth0roles");
const TYPE = "auth0roles_organization_member_roles";
const ORG = "org_acme000000000001";
const ALICE = "auth0|alice";
const REAL_ROLES = Array.from({ length: 60 }, (_, i) => `rol_real${String(i).padStart(12, "0")}`);
const [ADMIN, BILLING] = REAL_ROLES as [string, string];
const SCOPES = [
  "read:organization_member_roles",
  "create:organization_member_roles",
  "delete:organization_member_roles",
];

let emu: Emulator;
let provider: ProviderProcess;

beforeAll(async () => {
  emu = await startEmulator({
    rateLimits: false,
    seed: {
      clients: [{ clientId: "ci", clientSecret: "ci-secret-0123456789", scopes: SCOPES }],
      roles: REAL_ROLES.map((id) => ({ id, name: id })),
      users: [{ user_id: ALICE }, { user_id: ".." }, { user_id: "." }],
      organizations: [{ id: ORG, name: "acme", members: [{ user_id: ALICE, roles: [ADMIN, BILLING] }] }],
    },
  });
  provider = await ProviderProcess.start({ command: [EXECUTABLE] });
  const configured = await provider.client.call("ConfigureProvider", {
    config: encodeDynamicValue(
      { domain: emu.url, client_id: "ci", client_secret: "ci-secret-0123456789" },
      providerSchema.block,
    ),
    terraform_version: "1.11.4",
  });
  expect(configured.diagnostics ?? []).toEqual([]);
});

afterAll(async () => {
  await provider?.kill();
  await emu?.stop();
});

beforeEach(() => emu.clearRequests());

const member = (roles: readonly string[], org = ORG, user = ALICE): TfObject => ({
  id: `${org}::${user}`,
  organization_id: org,
  user_id: user,
  roles: [...roles],
});
const encode = (value: TfObject | null) => encodeDynamicValue(value, memberRolesSchema.block);
const decode = (value: Parameters<typeof decodeDynamicValue>[0]) =>
  decodeDynamicValue(value, memberRolesSchema.block);
const errors = (diagnostics: DiagnosticMessage[] | undefined) =>
  (diagnostics ?? []).filter((d) => d.severity === "ERROR");

async function applyOverGrpc(prior: TfObject | null, planned: TfObject | null) {
  const response = await provider.client.call("ApplyResourceChange", {
    type_name: TYPE,
    prior_state: encode(prior),
    planned_state: encode(planned),
    config: encode(planned),
  });
  return { newState: decode(response.new_state), errors: errors(response.diagnostics) };
}

const apiRequests = () => emu.requests.filter((r) => r.path.startsWith("/api/v2/"));

describe("ApplyResourceChange repeats every check of validate and plan before any write", () => {
  const bigId = `rol_${"x".repeat(1024 * 1024)}`;
  const tooMany = (n: number) =>
    Array.from({ length: n }, (_, i) => `rol_many${String(i).padStart(12, "0")}`);
  it.each([
    ["an empty role id", [""], /empty role id/],
    ["51 roles", tooMany(51), /51 roles.*at most 50/],
    ["10,000 roles", tooMany(10_000), /10000 roles.*at most 50/],
    ["a 1 MB role id", [bigId], /1048580 characters long.*at most 255 characters/],
    ["60 roles that exist in the tenant", REAL_ROLES, /60 roles.*at most 50/],
  ])("%s: refused on create and update, and nothing is sent to the tenant", async (_what, roles, message) => {
    for (const prior of [null, member([ADMIN, BILLING])]) {
      const result = await applyOverGrpc(prior, member(roles));
      expect(result.errors.map((d) => d.summary)).toContain("Invalid roles");
      expect(result.errors.map((d) => d.detail).join("\n")).toMatch(message);
      expect(result.newState).toEqual(prior);
    }
    expect(apiRequests()).toEqual([]);
    expect(emu.tenant.memberRoles(ORG, ALICE)).toEqual([ADMIN, BILLING]);
  });

  it("refuses roles that are null (not a set), which plan also refuses", async () => {
    const result = await applyOverGrpc(member([ADMIN, BILLING]), { ...member([]), roles: null });
    expect(result.errors.map((d) => d.summary)).toEqual(["Invalid roles"]);
    expect(apiRequests()).toEqual([]);
  });

  it("the same checks answer ValidateResourceConfig, naming the limit", async () => {
    const response = await provider.client.call("ValidateResourceConfig", {
      type_name: TYPE,
      config: encode({ ...member([bigId]), id: null }),
    });
    expect(errors(response.diagnostics).map((d) => [d.summary, d.attribute])).toEqual([
      ["Invalid roles", { steps: [expect.objectContaining({ attribute_name: "roles" })] }],
    ]);
    expect(errors(response.diagnostics)[0]?.detail).toMatch(/at most 255 characters/);
  });
});

describe("ids cannot address another endpoint", () => {
  it.each([
    ["..", ".."],
    [ORG, "."],
    [ORG, ".."],
    [".", ALICE],
    [ORG, "auth0|alice\n"],
  ])("organization %p and user %p: apply, delete and read send nothing", async (org, user) => {
    const planned = member([ADMIN], org, user);
    const created = await applyOverGrpc(null, planned);
    expect(created.errors.map((d) => d.summary)).toEqual([
      expect.stringMatching(/^Invalid (organization_id|user_id)$/),
      ...(org === ".." ? ["Invalid user_id"] : []),
    ]);
    expect(created.newState).toBeNull();

    const deleted = await applyOverGrpc(planned, null);
    expect(deleted.errors).toHaveLength(created.errors.length);
    expect(deleted.newState).toEqual(planned);

    const read = await provider.client.call("ReadResource", {
      type_name: TYPE,
      current_state: encode(planned),
    });
    expect(errors(read.diagnostics)).toHaveLength(created.errors.length);
    expect(decode(read.new_state)).toEqual(planned);

    expect(apiRequests()).toEqual([]);
  });

  it.each([
    ["..::..", /organization_id "\.\." is not an id/],
    [`${ORG}::.`, /user_id "\." is not an id/],
    [`${ORG}::..`, /user_id "\.\." is not an id/],
  ])("ImportResourceState %p fails with the named error", async (id, message) => {
    const response = await provider.client.call("ImportResourceState", { type_name: TYPE, id });
    expect(response.imported_resources ?? []).toEqual([]);
    const [first] = errors(response.diagnostics);
    expect(first?.summary).toBe("Invalid import id");
    expect(first?.detail).toMatch(message);
  });
});

describe("grant before revoke, over gRPC", () => {
  it("a mistyped role id fails on POST before anything is revoked, and the error names it", async () => {
    const typo = "rol_real00000000000O2";
    const result = await applyOverGrpc(member([ADMIN, BILLING]), member([ADMIN, typo]));
    // Read, the refused grant, and the read-back that records what the member holds.
    expect(apiRequests().map((r) => r.method)).toEqual(["GET", "POST", "GET"]);
    expect(emu.tenant.memberRoles(ORG, ALICE)).toEqual([ADMIN, BILLING]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.detail).toContain(`does not exist in this tenant: ${typo}`);
    expect(result.errors[0]?.detail).toContain("Nothing was revoked");
    expect(result.newState).toEqual(member([ADMIN, BILLING]));
  });
});
