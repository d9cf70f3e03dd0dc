import { type Emulator, startEmulator } from "../../src/emulator";
import { ManagementClient } from "../../src/management";
import { FAST_RETRY, failure } from "./fixtures";

const READER = { clientId: "reader", clientSecret: "reader-secret-0123456789" };
const NO_SCOPE = { clientId: "no-scope", clientSecret: "no-scope-secret-0123456789" };

describe("getRole", () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({
      rateLimits: false,
      seed: {
        clients: [
          { ...READER, scopes: ["read:roles"] },
          { ...NO_SCOPE, scopes: ["read:organization_member_roles"] },
        ],
        roles: [{ id: "rol_a/b0000000000001", name: "admin", description: "Everything" }],
      },
    });
  });
  afterAll(() => emu.stop());

  const client = (c: { clientId: string; clientSecret: string }) =>
    new ManagementClient({
      domain: emu.url,
      credentials: { kind: "client-credentials", ...c },
      retry: FAST_RETRY,
    });

  it("reads one role by id, percent-encoded, with its name and description", async () => {
    emu.clearRequests();
    expect(await client(READER).getRole("rol_a/b0000000000001")).toEqual({
      id: "rol_a/b0000000000001",
      name: "admin",
      description: "Everything",
    });
    expect(emu.requests.filter((r) => r.path.startsWith("/api/")).map((r) => r.path)).toEqual([
      "/api/v2/roles/rol_a%2Fb0000000000001",
    ]);
  });

  it("refuses a role id that is a dot segment, before any request", async () => {
    emu.clearRequests();
    const error = await failure(client(READER).getRole(".."), [READER.clientSecret]);
    expect(error.message).toContain("role_id");
    expect(emu.requests).toEqual([]);
  });

  it("answers undefined for a role that does not exist", async () => {
    expect(await client(READER).getRole("rol_missing000000001")).toBeUndefined();
  });

  it("fails with insufficient_scope naming read:roles when the application lacks it", async () => {
    const error = await failure(client(NO_SCOPE).getRole("rol_a/b0000000000001"), [NO_SCOPE.clientSecret]);
    expect(error.reason).toBe("insufficient_scope");
    expect(error.message).toContain("read:roles");
  });
});
