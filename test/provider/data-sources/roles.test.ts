import { type Emulator, startEmulator } from "../../../src/emulator";
import type { Logger } from "../../../src/provider/plugin/logger";
import { Auth0RolesProvider } from "../../../src/provider/provider";

// The roles data source through the provider's handlers, against the emulator over HTTP.
const quiet: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

let emu: Emulator;

beforeEach(async () => {
  emu = await startEmulator({
    rateLimits: false,
    seed: {
      clients: [{ clientId: "ci", clientSecret: "ci-secret-0123456789", scopes: ["read:roles"] }],
      roles: [
        { id: "rol_a000000000000001", name: "admin" },
        { id: "rol_b000000000000001", name: "billing" },
        { id: "rol_b000000000000002", name: "Billing-Admin" },
        { id: "rol_o000000000000001", name: "ops" },
        { id: "rol_o000000000000002", name: "ops" },
      ],
    },
  });
});

afterEach(() => emu.stop());

async function configured(): Promise<Auth0RolesProvider> {
  const provider = new Auth0RolesProvider({ logger: quiet, env: {} });
  const diagnostics = await provider.configureProvider(
    { domain: emu.url, client_id: "ci", client_secret: "ci-secret-0123456789" },
    "1.11.4",
  );
  expect(diagnostics).toEqual([]);
  return provider;
}

test("a name two roles carry is left out, with a warning naming both ids", async () => {
  const provider = await configured();
  const result = await provider.readDataSource({
    typeName: "auth0roles_roles",
    config: { names: null, roles: null },
  });
  expect(result.state).toEqual({
    names: null,
    roles: {
      admin: "rol_a000000000000001",
      "Billing-Admin": "rol_b000000000000002",
      billing: "rol_b000000000000001",
    },
  });
  expect(result.diagnostics).toEqual([
    expect.objectContaining({
      severity: "warning",
      summary: 'Role name "ops" is not unique',
      detail: expect.stringContaining("rol_o000000000000001, rol_o000000000000002"),
    }),
  ]);
});

test("the tenant's roles are listed once per provider process", async () => {
  const provider = await configured();
  await provider.readDataSource({ typeName: "auth0roles_roles", config: { names: null, roles: null } });
  await provider.readDataSource({ typeName: "auth0roles_roles", config: { names: null, roles: null } });
  expect(emu.requests.filter((r) => r.path === "/api/v2/roles")).toHaveLength(1);
});

describe("names", () => {
  test("every listed name known: the state keeps them and the whole map", async () => {
    const provider = await configured();
    const result = await provider.readDataSource({
      typeName: "auth0roles_roles",
      config: { names: ["billing", "admin"], roles: null },
    });
    expect(result.state).toEqual({
      names: ["billing", "admin"],
      roles: expect.objectContaining({ billing: "rol_b000000000000001", admin: "rol_a000000000000001" }),
    });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });

  test("an unknown name fails the read, naming it, where it is listed and the closest names", async () => {
    const provider = await configured();
    const result = await provider.readDataSource({
      typeName: "auth0roles_roles",
      config: { names: ["admin", "billng", "nothing-like-it", "billng", "constructor"], roles: null },
    });
    expect(result.state).toBeNull();
    const errors = result.diagnostics.filter((d) => d.severity === "error");
    expect(errors).toEqual([
      {
        severity: "error",
        summary: 'Unknown role name "billng"',
        detail:
          'The tenant has no role called "billng". The closest role names: "billing". Fix the spelling, or create ' +
          "the role in the Auth0 dashboard (User Management > Roles).",
        attribute: [{ attribute: "names" }, { index: 1 }],
      },
      expect.objectContaining({
        summary: 'Unknown role name "nothing-like-it"',
        detail: expect.stringContaining("No role name is close to it."),
        attribute: [{ attribute: "names" }, { index: 2 }],
      }),
      // Not mistaken for a property every object has.
      expect.objectContaining({ summary: 'Unknown role name "constructor"' }),
    ]);
  });

  test("a name several roles carry fails the read, naming their ids", async () => {
    const provider = await configured();
    const result = await provider.readDataSource({
      typeName: "auth0roles_roles",
      config: { names: ["ops"], roles: null },
    });
    expect(result.state).toBeNull();
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([
      expect.objectContaining({
        summary: 'Role name "ops" is not unique',
        detail: expect.stringContaining("rol_o000000000000001, rol_o000000000000002"),
        attribute: [{ attribute: "names" }, { index: 0 }],
      }),
    ]);
  });

  test("an empty name is refused before anything is read", async () => {
    const provider = await configured();
    const config = { names: ["admin", " "], roles: null };
    expect(provider.validateDataResourceConfig("auth0roles_roles", config)).toEqual([
      expect.objectContaining({ severity: "error", attribute: [{ attribute: "names" }, { index: 1 }] }),
    ]);
    const result = await provider.readDataSource({ typeName: "auth0roles_roles", config });
    expect(result.state).toBeNull();
    expect(emu.requests.filter((r) => r.path === "/api/v2/roles")).toHaveLength(0);
  });
});
