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
  const result = await provider.readDataSource({ typeName: "auth0roles_roles", config: { roles: null } });
  expect(result.state).toEqual({ roles: { admin: "rol_a000000000000001" } });
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
  await provider.readDataSource({ typeName: "auth0roles_roles", config: { roles: null } });
  await provider.readDataSource({ typeName: "auth0roles_roles", config: { roles: null } });
  expect(emu.requests.filter((r) => r.path === "/api/v2/roles")).toHaveLength(1);
});
