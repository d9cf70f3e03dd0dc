import { resolve } from "node:path";
import { type Emulator, startEmulator } from "../../src/emulator";
import { decodeDynamicValue, encodeDynamicValue } from "../../src/provider/protocol/codec";
import { memberRolesSchema, providerSchema } from "../../src/provider/schema";
import { ProviderProcess } from "../support/terraform-client";

// Ctrl-C in Terraform becomes StopProvider: API calls in flight must end, not run to their deadline.
const EXECUTABLE = resolve(__dirname, "../../bin/terraform-provider-auth0roles");
const ORG = "org_acme000000000001";
const ALICE = "auth0|alice";
const ADMIN = "rol_admin00000000001";

describe("StopProvider over gRPC with mTLS (run `npm run build` first)", () => {
  let emu: Emulator;
  let provider: ProviderProcess;

  beforeAll(async () => {
    emu = await startEmulator({
      rateLimits: false,
      seed: {
        clients: [
          { clientId: "ci", clientSecret: "ci-secret-value", scopes: ["read:organization_member_roles"] },
        ],
        roles: [{ id: ADMIN, name: "admin" }],
        users: [{ user_id: ALICE }],
        organizations: [{ id: ORG, name: "acme", members: [{ user_id: ALICE }] }],
      },
    });
    provider = await ProviderProcess.start({ command: [EXECUTABLE] });
  });

  afterAll(async () => {
    await provider?.kill();
    await emu?.stop();
  });

  test("cancels an apply waiting on a slow tenant and reports it as cancelled", async () => {
    const config = encodeDynamicValue(
      { domain: emu.url, client_id: "ci", client_secret: "ci-secret-value" },
      providerSchema.block,
    );
    const configured = await provider.client.call("ConfigureProvider", {
      config,
      terraform_version: "1.11.4",
    });
    expect(configured.diagnostics ?? []).toEqual([]);

    // The member's roles answer only after a minute: far longer than this test waits.
    emu.injectFault({ method: "GET", path: /\/members\/.+\/roles$/, kind: "latency", latencyMs: 60_000 });
    const planned = { id: `${ORG}::${ALICE}`, organization_id: ORG, user_id: ALICE, roles: [ADMIN] };
    const applying = provider.client.call("ApplyResourceChange", {
      type_name: "auth0roles_organization_member_roles",
      prior_state: encodeDynamicValue(null, memberRolesSchema.block),
      planned_state: encodeDynamicValue(planned, memberRolesSchema.block),
      config: encodeDynamicValue(planned, memberRolesSchema.block),
    });
    // Stop once the apply is in flight: its token has been fetched and its read is waiting.
    while (!emu.requests.some((r) => r.path === "/oauth/token")) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    const stopped = await provider.client.call("StopProvider", {});
    expect(stopped.Error ?? "").toBe("");

    const applied = await applying;
    const details = (applied.diagnostics ?? []).map((d) => `${d.severity} ${d.summary}: ${d.detail}`);
    expect(details).toEqual([expect.stringMatching(/^ERROR .*cancel/i)]);
    expect(decodeDynamicValue(applied.new_state, memberRolesSchema.block)).toBeNull();
    expect(emu.tenant.memberRoles(ORG, ALICE)).toEqual([]);
  });
});
