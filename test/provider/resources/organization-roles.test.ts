import { type Emulator, type SeedData, startEmulator } from "../../../src/emulator";
import type { Logger } from "../../../src/provider/plugin/logger";
import { type TfObject, UNKNOWN } from "../../../src/provider/protocol/values";
import { Auth0RolesProvider } from "../../../src/provider/provider";

// The whole-organization resource through the provider's handlers (the server layer included),
// against the emulator over HTTP: the rules a happy-path terraform run does not reach.
const TYPE = "auth0roles_organization_roles";
const ORG = "org_acme000000000001";
const [ADMIN, BILLING, VIEWER] = ["rol_admin00000000001", "rol_billing000000001", "rol_viewer0000000001"];
const MANY = Array.from({ length: 50 }, (_, i) => `rol_many${String(i).padStart(12, "0")}`);
const user = (i: number) => `auth0|user-${String(i).padStart(4, "0")}`;
const SIZE = 250;

const quiet: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

function seed(scopes: string[]): SeedData {
  return {
    clients: [{ clientId: "ci", clientSecret: "ci-secret-0123456789", scopes }],
    roles: [ADMIN, BILLING, VIEWER, ...MANY].map((id) => ({ id, name: id })),
    users: Array.from({ length: SIZE }, (_, i) => ({ user_id: user(i) })),
    organizations: [
      {
        id: ORG,
        name: "acme",
        members: Array.from({ length: SIZE }, (_, i) => ({ user_id: user(i), roles: [VIEWER] })),
      },
    ],
  };
}

const ALL_SCOPES = [
  "read:organization_member_roles",
  "create:organization_member_roles",
  "delete:organization_member_roles",
  "read:organization_members",
];

let emu: Emulator;
let provider: Auth0RolesProvider;

async function start(scopes = ALL_SCOPES, settings: TfObject = {}) {
  emu = await startEmulator({ rateLimits: false, seed: seed(scopes) });
  provider = new Auth0RolesProvider({ logger: quiet, env: {} });
  expect(
    await provider.configureProvider(
      { domain: emu.url, client_id: "ci", client_secret: "ci-secret-0123456789", ...settings },
      "1.11.4",
    ),
  ).toEqual([]);
}

afterEach(() => emu?.stop());

const everyone = (roles: string[]) =>
  Object.fromEntries(Array.from({ length: SIZE }, (_, i) => [user(i), roles]));

function object(
  members: Record<string, string[]>,
  exclusive = true,
  undeclared: Record<string, string[]> | null = {},
): TfObject {
  return {
    id: ORG,
    organization_id: ORG,
    members,
    exclusive,
    undeclared_members: exclusive ? undeclared : null,
  };
}

const apiCalls = () => emu.requests.filter((r) => r.path.startsWith("/api/v2/"));

/** Applies a change from `prior` to `planned` (also the configuration); `null` is absent. */
const apply = (prior: TfObject | null, planned: TfObject | null) =>
  provider.applyResourceChange({
    typeName: TYPE,
    priorState: prior,
    plannedState: planned,
    config: planned,
    plannedPrivate: new Uint8Array(),
  });

describe("read", () => {
  test(`refreshes ${SIZE} members from the listing alone, and confirms a disagreement on the member's endpoint`, async () => {
    await start();
    emu.tenant.assignRoles(ORG, user(7), [ADMIN]);
    emu.clearRequests();
    const { newState, diagnostics } = await provider.readResource({
      typeName: TYPE,
      currentState: object(everyone([VIEWER])),
      private: new Uint8Array(),
    });
    expect(diagnostics).toEqual([]);
    expect((newState?.members as Record<string, string[]> | undefined)?.[user(7)]).toEqual([ADMIN, VIEWER]);
    const calls = apiCalls();
    // 3 pages of 100 (the last one short), an empty one to end the walk, and user 7 on its own.
    expect(calls.filter((r) => r.path.endsWith("/members"))).toHaveLength(4);
    expect(calls.filter((r) => r.path.endsWith("/roles")).map((r) => decodeURIComponent(r.path))).toEqual([
      `/api/v2/organizations/${ORG}/members/${user(7)}/roles`,
    ]);
  });

  test("a member who left the organization holds no roles; a deleted organization leaves state with a warning", async () => {
    await start();
    emu.tenant.removeMember(ORG, user(3));
    const read = await provider.readResource({
      typeName: TYPE,
      currentState: object({ [user(1)]: [VIEWER], [user(3)]: [VIEWER] }),
      private: new Uint8Array(),
    });
    expect(read.diagnostics).toEqual([]);
    expect(read.newState?.members).toEqual({ [user(1)]: [VIEWER], [user(3)]: [] });
    emu.tenant.deleteOrganization(ORG);
    const gone = await provider.readResource({
      typeName: TYPE,
      currentState: object({ [user(1)]: [VIEWER] }),
      private: new Uint8Array(),
    });
    expect(gone.newState).toBeNull();
    expect(gone.diagnostics).toMatchObject([
      { severity: "warning", summary: "Organization no longer exists" },
    ]);
  });

  test("without exclusive and without read:organization_members, reads each member on its own", async () => {
    await start(ALL_SCOPES.slice(0, 3));
    const members = {
      [user(1)]: [VIEWER],
      [user(2)]: [VIEWER],
      [user(3)]: [],
      [user(4)]: [VIEWER],
      [user(5)]: [VIEWER],
    };
    const { newState, diagnostics } = await provider.readResource({
      typeName: TYPE,
      currentState: object(members, false),
      private: new Uint8Array(),
    });
    expect(diagnostics).toEqual([]);
    expect(newState?.members).toEqual({ ...members, [user(3)]: [VIEWER] });
    expect(newState?.undeclared_members).toBeNull();
  });

  test("with exclusive, a listing it cannot read is an error naming the scope, and the state is kept", async () => {
    await start(ALL_SCOPES.slice(0, 3));
    const current = object({ [user(1)]: [VIEWER] });
    const { newState, diagnostics } = await provider.readResource({
      typeName: TYPE,
      currentState: current,
      private: new Uint8Array(),
    });
    expect(newState).toEqual(current);
    expect(diagnostics[0]?.severity).toBe("error");
    expect(diagnostics[0]?.detail).toContain("read:organization_members");
  });
});

describe("apply", () => {
  test("re-checks members at apply and refuses invalid ones with the member's path, before any call", async () => {
    await start();
    emu.clearRequests();
    const bad = object({ [user(1)]: [...MANY, ADMIN] });
    const result = await apply(object({ [user(1)]: [VIEWER] }), bad);
    expect(result.diagnostics).toMatchObject([
      { severity: "error", attribute: [{ attribute: "members" }, { key: user(1) }] },
    ]);
    expect(result.diagnostics[0]?.detail).toContain("roles lists 51 roles");
    expect(apiCalls()).toEqual([]);
  });

  test("a create without exclusive needs no read:organization_members: each member is read on its own", async () => {
    await start(ALL_SCOPES.slice(0, 3));
    const planned = object({ [user(1)]: [ADMIN], [user(2)]: [VIEWER] }, false);
    emu.clearRequests();
    const result = await apply(null, planned);
    expect(result).toEqual({
      newState: planned,
      newIdentity: { organization_id: ORG },
      private: expect.anything(),
      diagnostics: [],
    });
    expect(emu.tenant.memberRoles(ORG, user(1))).toEqual([ADMIN]);
    expect(apiCalls().filter((r) => r.path.endsWith("/members"))).toEqual([]);
    // user 2 already held viewer: read, nothing written.
    expect(apiCalls().filter((r) => r.method !== "GET")).toHaveLength(2);
  });

  test("a member at the 50-role cap gets just enough revoked first, then the grants", async () => {
    await start();
    emu.tenant.removeRoles(ORG, user(1), [VIEWER]);
    emu.tenant.assignRoles(ORG, user(1), MANY);
    const desired = [...MANY.slice(0, 48), ADMIN, BILLING];
    const planned = object({ [user(1)]: desired }, false);
    emu.clearRequests();
    const result = await apply(object({ [user(1)]: MANY }, false), planned);
    expect(result.diagnostics).toEqual([]);
    expect(emu.tenant.memberRoles(ORG, user(1)).sort()).toEqual([...desired].sort());
    expect(
      apiCalls()
        .filter((r) => r.method !== "GET")
        .map((r) => [r.method, r.body]),
    ).toEqual([
      ["DELETE", { roles: MANY.slice(48) }],
      ["POST", { roles: [ADMIN, BILLING] }],
    ]);
  });

  test("turning exclusive on lists the organization at apply and revokes every other member", async () => {
    await start();
    const prior = object({ [user(1)]: [VIEWER] }, false);
    const planned = object({ [user(1)]: [VIEWER] }, true);
    const result = await apply(prior, planned);
    expect(result.diagnostics).toEqual([]);
    expect(emu.tenant.memberRoles(ORG, user(1))).toEqual([VIEWER]);
    for (let i = 2; i < SIZE; i++) expect(emu.tenant.memberRoles(ORG, user(i))).toEqual([]);
  });

  test("a token lacking a write scope changes nobody: the scopes are checked before the first write", async () => {
    await start(["read:organization_member_roles", "read:organization_members"]);
    const prior = object(everyone([VIEWER]), false);
    const planned = object(everyone([ADMIN]), false);
    emu.clearRequests();
    const result = await apply(prior, planned);
    expect(apiCalls().filter((r) => r.method !== "GET")).toEqual([]);
    expect(result.diagnostics.map((d) => d.summary)).toEqual([
      "Missing Management API scopes create:organization_member_roles, delete:organization_member_roles",
    ]);
    expect(result.newState).toEqual(prior);
  });

  test("a failure of the run itself stops starting members, and the state keeps what was not done", async () => {
    await start();
    const prior = object(everyone([VIEWER]), false);
    const planned = object(everyone([ADMIN]), false);
    // Every grant refused as a whole (not about one member): the next member would fail alike.
    emu.injectFault({
      method: "POST",
      path: /\/members\/.+\/roles$/,
      kind: "status",
      status: 403,
      times: Infinity,
    });
    emu.clearRequests();
    const result = await apply(prior, planned);
    emu.clearFaults();
    // The first members fail, and far from all 250 are attempted.
    const posts = apiCalls().filter((r) => r.method === "POST");
    expect(posts.length).toBeGreaterThan(0);
    expect(posts.length).toBeLessThan(40);
    expect(result.diagnostics.some((d) => d.detail?.includes("403"))).toBe(true);
    expect(result.diagnostics.at(-1)?.summary).toBe("Organization roles only partly applied");
    expect(result.newState?.members).toEqual(everyone([VIEWER]));
  });

  test("a failed member whose roles cannot be read back either is recorded with every role it may hold", async () => {
    await start();
    const prior = object({ [user(1)]: [VIEWER] }, false);
    const planned = object({ [user(1)]: [ADMIN] }, false);
    // The member's own read fails before the write, and again when read back after the failure.
    emu.injectFault({ method: "GET", path: /\/members\/.+\/roles$/, kind: "status", status: 403, times: 2 });
    const result = await apply(prior, planned);
    expect(result.diagnostics[0]).toMatchObject({
      severity: "error",
      summary: `Could not update the roles of "${user(1)}"`,
    });
    expect(result.newState?.members).toEqual({ [user(1)]: [ADMIN, VIEWER].sort() });
  });

  test("an apply that outlasts operation_timeout stops, and the state records what the tenant holds", async () => {
    await start(ALL_SCOPES, { operation_timeout: "1s" });
    // Every write takes 150 ms: 16 members at a time, 1 s runs out after about a hundred of them.
    emu.injectFault({ kind: "latency", latencyMs: 150, method: "POST", times: Number.POSITIVE_INFINITY });
    const prior = object(everyone([VIEWER]), false);
    const planned = object(everyone([ADMIN, VIEWER]), false);
    const result = await apply(prior, planned);
    emu.clearFaults();
    expect(result.diagnostics.at(-1)?.summary).toBe("Organization roles only partly applied");
    expect(result.diagnostics.some((d) => d.detail?.includes("operation_timeout"))).toBe(true);
    const recorded = result.newState?.members as Record<string, string[]>;
    const granted = Object.values(recorded).filter((roles) => roles.includes(ADMIN)).length;
    expect(granted).toBeGreaterThan(0);
    expect(granted).toBeLessThan(SIZE);
    // Nothing the tenant holds is missing from the state: a role in state but not held is granted by
    // the next apply; a role held but not in state would be kept silently.
    for (let i = 0; i < SIZE; i++) {
      for (const role of emu.tenant.memberRoles(ORG, user(i))) expect(recorded[user(i)]).toContain(role);
    }
  });

  test("a destroy that outlasts operation_timeout fails and keeps the state, so destroy can run again", async () => {
    await start(ALL_SCOPES, { operation_timeout: "1s" });
    emu.injectFault({ kind: "latency", latencyMs: 150, method: "DELETE", times: Number.POSITIVE_INFINITY });
    const prior = object(everyone([VIEWER]), false);
    const result = await apply(prior, null);
    emu.clearFaults();
    expect(result.newState).toEqual(prior);
    expect(result.diagnostics.at(-1)?.summary).toBe("Organization roles only partly destroyed");
    const stillHolding = Array.from({ length: SIZE }, (_, i) => user(i)).filter(
      (u) => emu.tenant.memberRoles(ORG, u).length > 0,
    );
    expect(stillHolding.length).toBeGreaterThan(0);
  });

  test("destroy revokes the declared members' roles; a member gone from the organization counts as done", async () => {
    await start();
    emu.tenant.removeMember(ORG, user(2));
    const prior = object({ [user(1)]: [VIEWER], [user(2)]: [VIEWER], [user(3)]: [] }, true, {
      [user(4)]: [VIEWER],
    });
    const result = await apply(prior, null);
    expect(result).toMatchObject({ newState: null, diagnostics: [] });
    expect(emu.tenant.memberRoles(ORG, user(1))).toEqual([]);
    expect(emu.tenant.memberRoles(ORG, user(4))).toEqual([VIEWER]);
  });
});

describe("plan", () => {
  test("after an import, warns that members left out of an exclusive = false configuration would be revoked", async () => {
    await start();
    const config: TfObject = {
      id: null,
      organization_id: ORG,
      members: { [user(1)]: [VIEWER] },
      exclusive: false,
      undeclared_members: null,
    };
    // Import, then the read Terraform makes right after it, then the plan: what `terraform import` and
    // an import block do, the server layer's import mark travelling in the private bytes.
    const imported = await provider.importResourceState({ typeName: TYPE, id: ORG });
    const [entry] = imported.imported;
    if (!entry) throw new Error("nothing imported");
    const read = await provider.readResource({
      typeName: TYPE,
      currentState: entry.state,
      private: entry.private ?? new Uint8Array(),
    });
    if (!read.newState) throw new Error("the read after the import found nothing");
    expect(Object.keys(read.newState.members as object)).toHaveLength(SIZE);
    const plan = await provider.planResourceChange({
      typeName: TYPE,
      priorState: read.newState,
      proposedNewState: { ...config, id: ORG },
      config,
      priorPrivate: read.private ?? new Uint8Array(),
    });
    expect(plan.plannedState).toEqual(object({ [user(1)]: [VIEWER] }, false));
    expect(plan.diagnostics).toMatchObject([
      { severity: "warning", summary: "Imported members not in members" },
    ]);
    expect(plan.diagnostics[0]?.detail).toContain(`${SIZE - 1} members not in members`);
    expect(plan.diagnostics[0]?.detail).toContain(`"${user(2)}"`);
  });

  test("turning exclusive on counts only the members left out, also when a declared member's roles are not known yet", async () => {
    await start();
    const members: TfObject = { [user(1)]: [VIEWER], [user(2)]: UNKNOWN };
    const config: TfObject = {
      id: null,
      organization_id: ORG,
      members,
      exclusive: true,
      undeclared_members: null,
    };
    const plan = await provider.planResourceChange({
      typeName: TYPE,
      priorState: object({ [user(1)]: [VIEWER], [user(2)]: [VIEWER] }, false),
      proposedNewState: { ...config, id: ORG },
      config,
      priorPrivate: new Uint8Array(),
    });
    expect(plan.diagnostics).toMatchObject([
      {
        severity: "warning",
        summary: `Exclusive: ${SIZE - 2} members not in members will lose all their roles`,
      },
    ]);
    expect(plan.diagnostics[0]?.detail).not.toContain(`"${user(2)}"`);
  });

  test("defaults exclusive to true, plans undeclared_members as {}, and the id from the organization", async () => {
    await start();
    const config: TfObject = {
      id: null,
      organization_id: ORG,
      members: { [user(1)]: [VIEWER] },
      exclusive: null,
      undeclared_members: null,
    };
    const plan = await provider.planResourceChange({
      typeName: TYPE,
      priorState: object({ [user(1)]: [VIEWER] }, true, { [user(9)]: [VIEWER], [user(8)]: [VIEWER] }),
      proposedNewState: {
        ...config,
        id: ORG,
        exclusive: true,
        undeclared_members: { [user(9)]: [VIEWER], [user(8)]: [VIEWER] },
      },
      config,
      priorPrivate: new Uint8Array(),
    });
    expect(plan.plannedState).toEqual(object({ [user(1)]: [VIEWER] }, true, {}));
    expect(plan.diagnostics).toMatchObject([
      { severity: "warning", summary: "Exclusive: 2 members not in members will lose all their roles" },
    ]);
  });
});
