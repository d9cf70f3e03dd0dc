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
  test("an update whose grant fails records what the tenant really holds, with the error", async () => {
    emu.injectFault({ method: "POST", path: ROLES_PATH, kind: "status", status: 500 });
    const result = await apply(state([ADMIN, BILLING]), state([ADMIN, VIEWER]));
    expect(result.diagnostics.map((d) => d.severity)).toEqual(["error"]);
    expect(result.diagnostics[0]?.summary).toBe("Could not update organization member roles");
    // The DELETE of billing went through, the POST of viewer did not: state says so.
    expect(emu.tenant.memberRoles(ORG, ALICE)).toEqual([ADMIN]);
    expect(result.newState).toEqual(state([ADMIN]));
  });

  test("an update that cannot even read the member keeps its prior state", async () => {
    emu.injectFault({ method: "GET", path: ROLES_PATH, kind: "status", status: 403 });
    const result = await apply(state([ADMIN, BILLING]), state([ADMIN]));
    expect(result.diagnostics.map((d) => d.severity)).toEqual(["error"]);
    expect(result.newState).toEqual(state([ADMIN, BILLING]));
    expect(emu.tenant.memberRoles(ORG, ALICE)).toEqual([ADMIN, BILLING]);
  });

  test("a create that fails halfway returns no state, so Terraform does not taint and replace it", async () => {
    emu.injectFault({ method: "POST", path: ROLES_PATH, kind: "status", status: 500 });
    const result = await apply(null, state([VIEWER]));
    expect(result.diagnostics.map((d) => d.severity)).toEqual(["error"]);
    expect(result.newState).toBeNull();
    // The next apply creates it again from what the tenant holds then.
    const retried = await apply(null, state([VIEWER]));
    expect(retried.diagnostics).toEqual([]);
    expect(emu.tenant.memberRoles(ORG, ALICE)).toEqual([VIEWER]);
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
    expect(moved).toEqual({ targetState: state([ADMIN, BILLING]), diagnostics: [] });
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
