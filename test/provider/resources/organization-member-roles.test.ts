import { type Emulator, startEmulator } from "../../../src/emulator";
import type { Logger } from "../../../src/provider/plugin/logger";
import { type TfObject, UNKNOWN } from "../../../src/provider/protocol/values";
import { Auth0RolesProvider } from "../../../src/provider/provider";

// The resource through the provider's handlers, against the emulator over HTTP: the plan and
// partial-failure rules of DESIGN.md that a happy-path terraform run does not reach.
const TYPE = "auth0roles_organization_member_roles";
const ORG = "org_acme000000000001";
const ALICE = "auth0|alice";
const [ADMIN, BILLING, VIEWER] = ["rol_admin00000000001", "rol_billing000000001", "rol_viewer0000000001"];
const ROLES_PATH = /\/members\/auth0%7Calice\/roles$/;

const quiet: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const state = (roles: string[]) => ({ id: `${ORG}::${ALICE}`, organization_id: ORG, user_id: ALICE, roles });

let emu: Emulator;
let provider: Auth0RolesProvider;

beforeEach(async () => {
  emu = await startEmulator({
    rateLimits: false,
    seed: {
      clients: [
        {
          clientId: "ci",
          clientSecret: "ci-secret-0123456789",
          scopes: [
            "read:organization_member_roles",
            "create:organization_member_roles",
            "delete:organization_member_roles",
          ],
        },
      ],
      roles: [ADMIN, BILLING, VIEWER].map((id) => ({ id, name: id })),
      users: [{ user_id: ALICE }],
      organizations: [{ id: ORG, name: "acme", members: [{ user_id: ALICE, roles: [ADMIN, BILLING] }] }],
    },
  });
  provider = new Auth0RolesProvider({ logger: quiet, env: {} });
  expect(
    await provider.configureProvider(
      { domain: emu.url, client_id: "ci", client_secret: "ci-secret-0123456789" },
      "1.11.4",
    ),
  ).toEqual([]);
});

afterEach(() => emu.stop());

/** The methods of the role writes the emulator received, in order. */
function writes(): string[] {
  return emu.requests.filter((r) => ROLES_PATH.test(r.path) && r.method !== "GET").map((r) => r.method);
}

function apply(priorState: ReturnType<typeof state> | null, plannedState: ReturnType<typeof state>) {
  return provider.applyResourceChange({ typeName: TYPE, priorState, plannedState, config: plannedState });
}

describe("plan", () => {
  test("computes the id from organization and user, whatever the prior state holds", async () => {
    const prior = { ...state([ADMIN]), id: null };
    const planned = await provider.planResourceChange({
      typeName: TYPE,
      priorState: prior,
      proposedNewState: state([ADMIN, VIEWER]),
      config: { ...state([ADMIN, VIEWER]), id: null },
    });
    expect(planned.plannedState).toEqual(state([ADMIN, VIEWER]));
    expect(planned.requiresReplace).toEqual([]);
  });

  test("plans an unknown id while the user is unknown, and replacement when it changes", async () => {
    const proposed: TfObject = { ...state([ADMIN]), user_id: UNKNOWN };
    const planned = await provider.planResourceChange({
      typeName: TYPE,
      priorState: state([ADMIN]),
      proposedNewState: proposed,
      config: proposed,
    });
    expect(planned.plannedState?.id).toBe(UNKNOWN);
    expect(planned.requiresReplace).toEqual([[{ attribute: "user_id" }]]);
  });
});

describe("plan-time revocation warnings", () => {
  const plan = (proposed: TfObject) =>
    provider.planResourceChange({
      typeName: TYPE,
      priorState: null,
      proposedNewState: proposed,
      config: proposed,
    });

  test("a create names the roles held today that apply would revoke; ids alone without read:roles", async () => {
    const planned = await plan({ ...state([ADMIN]), id: null });
    expect(planned.diagnostics).toEqual([
      expect.objectContaining({
        severity: "warning",
        summary: `Apply revokes 1 role ${ALICE} holds today`,
        attribute: [{ attribute: "roles" }],
      }),
    ]);
    expect(planned.diagnostics[0]?.detail).toContain(`who holds ${BILLING} now`);
    expect(planned.diagnostics[0]?.detail).toContain("need the Management API scope read:roles");
  });

  test("a create whose roles are not known until apply lists every role held, as ones apply may revoke", async () => {
    const planned = await plan({ ...state([]), id: null, roles: UNKNOWN });
    expect(planned.diagnostics.map((d) => d.summary)).toEqual([
      `Apply may revoke 2 roles ${ALICE} holds today`,
    ]);
    expect(planned.diagnostics[0]?.detail).toContain(
      `who holds ${ADMIN}, ${BILLING} now: roles is not known until apply`,
    );
  });

  test("a create whose read fails says the check could not be made, and why", async () => {
    emu.injectFault({ method: "GET", path: ROLES_PATH, kind: "status", status: 403 });
    const planned = await plan({ ...state([ADMIN]), id: null });
    expect(planned.diagnostics).toEqual([
      expect.objectContaining({
        severity: "warning",
        summary: `Could not check which roles ${ALICE} holds now`,
      }),
    ]);
    expect(planned.diagnostics[0]?.detail).toContain("GET /api/v2/organizations");
  });

  test("once the process has written (Terraform's apply, planning each resource again), a create reads nothing", async () => {
    expect((await apply(state([ADMIN, BILLING]), state([ADMIN]))).diagnostics).toEqual([]);
    emu.tenant.assignRoles(ORG, ALICE, [VIEWER]);
    emu.clearRequests();
    const planned = await plan({ ...state([ADMIN]), id: null });
    expect(planned.diagnostics).toEqual([]);
    expect(emu.requests).toEqual([]);
  });

  test("an update reads nothing at plan time", async () => {
    emu.clearRequests();
    const planned = await provider.planResourceChange({
      typeName: TYPE,
      priorState: state([ADMIN, BILLING]),
      proposedNewState: state([ADMIN]),
      config: state([ADMIN]),
    });
    expect(planned.diagnostics).toEqual([]);
    expect(emu.requests).toEqual([]);
  });
});

describe("partial failure", () => {
  test("an update whose grant fails has revoked nothing, and records what the tenant really holds", async () => {
    emu.injectFault({ method: "POST", path: ROLES_PATH, kind: "status", status: 403 });
    const result = await apply(state([ADMIN, BILLING]), state([ADMIN, VIEWER]));
    expect(result.diagnostics.map((d) => d.severity)).toEqual(["error"]);
    expect(result.diagnostics[0]?.summary).toBe("Could not update organization member roles");
    expect(result.diagnostics[0]?.detail).toMatch(
      /Nothing was revoked: the member keeps every role held before/,
    );
    // Grant first: the POST of viewer failed, so billing was never revoked.
    expect(writes()).toEqual(["POST"]);
    expect(emu.tenant.memberRoles(ORG, ALICE)).toEqual([ADMIN, BILLING]);
    expect(result.newState).toEqual(state([ADMIN, BILLING]));
  });

  test("an update whose revoke fails after the grant records the roles held then", async () => {
    emu.injectFault({ method: "DELETE", path: ROLES_PATH, kind: "status", status: 403 });
    const result = await apply(state([ADMIN, BILLING]), state([ADMIN, VIEWER]));
    expect(writes()).toEqual(["POST", "DELETE"]);
    expect(result.diagnostics[0]?.detail).toMatch(
      /rol_viewer0000000001 was granted; revoking rol_billing000000001 failed/,
    );
    expect(result.newState).toEqual(state([ADMIN, BILLING, VIEWER]));
  });

  test("an update that cannot even read the member keeps its prior state", async () => {
    emu.injectFault({ method: "GET", path: ROLES_PATH, kind: "status", status: 403 });
    const result = await apply(state([ADMIN, BILLING]), state([ADMIN]));
    expect(result.diagnostics.map((d) => d.severity)).toEqual(["error"]);
    expect(result.newState).toEqual(state([ADMIN, BILLING]));
    expect(emu.tenant.memberRoles(ORG, ALICE)).toEqual([ADMIN, BILLING]);
  });

  test("a create that fails halfway returns no state, so Terraform does not taint and replace it", async () => {
    emu.injectFault({ method: "POST", path: ROLES_PATH, kind: "status", status: 403 });
    const result = await apply(null, state([VIEWER]));
    expect(result.diagnostics.map((d) => d.severity)).toEqual(["error"]);
    expect(result.newState).toBeNull();
    // The next apply creates it again from what the tenant holds then.
    const retried = await apply(null, state([VIEWER]));
    expect(retried.diagnostics).toEqual([]);
    expect(emu.tenant.memberRoles(ORG, ALICE)).toEqual([VIEWER]);
  });
});

describe("grant before revoke", () => {
  const TYPO = "rol_adnim00000000001";

  test("a mistyped role id fails on the grant, before anything is revoked, and the error names it", async () => {
    const result = await apply(state([ADMIN, BILLING]), state([TYPO, VIEWER]));
    expect(writes()).toEqual(["POST"]);
    expect(emu.tenant.memberRoles(ORG, ALICE)).toEqual([ADMIN, BILLING]);
    const [diagnostic, ...rest] = result.diagnostics;
    expect(rest).toEqual([]);
    expect(diagnostic?.attribute).toEqual([{ attribute: "roles" }]);
    expect(diagnostic?.detail).toContain(`does not exist in this tenant: ${TYPO}, ${VIEWER}`);
    expect(diagnostic?.detail).toContain("Nothing was revoked");
    expect(result.newState).toEqual(state([ADMIN, BILLING]));
  });

  test("a mistyped role id on create changes nothing and leaves no state", async () => {
    const result = await apply(null, state([TYPO]));
    expect(writes()).toEqual(["POST"]);
    expect(result.diagnostics[0]?.detail).toContain(TYPO);
    expect(result.newState).toBeNull();
    expect(emu.tenant.memberRoles(ORG, ALICE)).toEqual([ADMIN, BILLING]);
  });

  test("at the 50-role cap, revokes first only what makes room", async () => {
    const many = Array.from({ length: 52 }, (_, i) => `rol_many${String(i).padStart(12, "0")}`);
    for (const id of many) emu.tenant.addRole({ id, name: id });
    emu.tenant.removeRoles(ORG, ALICE, [ADMIN, BILLING]);
    emu.tenant.assignRoles(ORG, ALICE, many.slice(0, 50));
    const desired = [...many.slice(0, 47), ...many.slice(50, 52)];
    const result = await apply(state(many.slice(0, 50)), state(desired));
    expect(result.diagnostics).toEqual([]);
    expect(writes()).toEqual(["DELETE", "POST", "DELETE"]);
    const bodies = emu.requests
      .filter((r) => r.method !== "GET" && ROLES_PATH.test(r.path))
      .map((r) => r.body);
    expect(bodies).toEqual([
      { roles: many.slice(47, 49) },
      { roles: many.slice(50, 52) },
      { roles: [many[49]] },
    ]);
    expect(emu.tenant.memberRoles(ORG, ALICE).sort()).toEqual([...desired].sort());
  });
});

describe("read-back after a failed write", () => {
  const reads = () => emu.requests.filter((r) => ROLES_PATH.test(r.path) && r.method === "GET").length;

  test("is tried again within the operation when it fails for a passing reason", async () => {
    emu.injectFault({ method: "POST", path: ROLES_PATH, kind: "status", status: 403 });
    // Let the first read through, then fail every attempt the client makes for the first read-back.
    emu.injectFault({ method: "GET", path: ROLES_PATH, kind: "latency", latencyMs: 0 });
    emu.injectFault({ method: "GET", path: ROLES_PATH, kind: "status", status: 503, times: 5 });
    const result = await apply(state([ADMIN, BILLING]), state([ADMIN, VIEWER]));
    expect(reads()).toBe(1 + 5 + 1);
    expect(result.newState).toEqual(state([ADMIN, BILLING]));
    expect(result.diagnostics[0]?.detail).not.toMatch(/Reading the member's roles back failed/);
  });

  test("that keeps failing leaves a superset in state and says exactly what state holds", async () => {
    emu.injectFault({ method: "POST", path: ROLES_PATH, kind: "status", status: 403 });
    emu.injectFault({ method: "GET", path: ROLES_PATH, kind: "latency", latencyMs: 0 });
    emu.injectFault({ method: "GET", path: ROLES_PATH, kind: "status", status: 403, times: 10 });
    const result = await apply(state([ADMIN, BILLING]), state([ADMIN, VIEWER]));
    // A 403 will not pass by itself: no second read-back.
    expect(reads()).toBe(2);
    expect(result.newState).toEqual(state([ADMIN, BILLING, VIEWER]));
    const detail = result.diagnostics[0]?.detail ?? "";
    expect(detail).toContain("Reading the member's roles back failed too");
    expect(detail).toContain(
      `the 2 held before this apply plus the 1 it tried to grant (${ADMIN}, ${BILLING}, ${VIEWER})`,
    );
    expect(detail).toMatch(/more than the tenant holds, never less/);
    expect(detail).toMatch(/next `terraform plan` or `apply` reads the member's roles from Auth0 first/);

    // What the detail promises: the next refresh records what the tenant holds.
    emu.clearFaults();
    const refreshed = await provider.readResource({
      typeName: TYPE,
      currentState: result.newState as ReturnType<typeof state>,
    });
    expect(refreshed.newState).toEqual(state([ADMIN, BILLING]));
  });
});

describe("MoveResourceState from the official provider", () => {
  const move = (
    sourceState: Record<string, unknown>,
    sourceProviderAddress = "registry.terraform.io/auth0/auth0",
  ) =>
    provider.moveResourceState({
      sourceProviderAddress,
      sourceTypeName: "auth0_organization_member_roles",
      sourceSchemaVersion: 0,
      sourceState,
      targetTypeName: TYPE,
    });

  test("takes the entry over as it is, without an API call", async () => {
    emu.clearRequests();
    const moved = await move({
      id: `${ORG}::${ALICE}`,
      organization_id: ORG,
      user_id: ALICE,
      roles: [BILLING, ADMIN],
    });
    expect(moved).toEqual({
      targetState: state([ADMIN, BILLING]),
      targetIdentity: { organization_id: ORG, user_id: ALICE },
      diagnostics: [],
    });
    // An entry with only its id, as an older official provider may have written, works too.
    expect((await move({ id: `${ORG}::${ALICE}`, roles: [] })).targetState).toEqual(state([]));
    expect(emu.requests).toEqual([]);
  });

  test("refuses an entry it cannot read, and another provider's resource of that name", async () => {
    const broken = await move({ organization_id: ORG, roles: "rol_x" });
    expect(broken.targetState).toBeNull();
    expect(broken.diagnostics[0]?.summary).toBe("Cannot move this auth0_organization_member_roles entry");
    const other = await move({ id: `${ORG}::${ALICE}` }, "registry.terraform.io/someone/auth0");
    expect(other.diagnostics[0]?.summary).toBe("Unsupported move");
    expect(other.diagnostics[0]?.detail).toContain("registry.terraform.io/auth0/auth0");
  });
});
