/**
 * What the end-to-end suites share: the scopes a pipeline's client holds, Terraform JSON and HCL for
 * the resources, and an emulated tenant with workspaces wired to it.
 */

import { type Emulator, type SeedData, startEmulator } from "../../src/emulator";
import { TerraformWorkspace } from "../support/terraform";

export const MEMBER_ROLES_SCOPES = [
  "read:organization_member_roles",
  "create:organization_member_roles",
  "delete:organization_member_roles",
];

export interface MemberRolesArgs {
  readonly organization_id: string;
  readonly user_id: string;
  readonly roles: readonly string[];
}

/** A root module with the provider (configured from AUTH0_* unless `provider` says otherwise) and the given resources. */
export function memberRolesConfig(
  resources: Readonly<Record<string, MemberRolesArgs>>,
  provider: Readonly<Record<string, unknown>> = {},
) {
  return {
    terraform: { required_providers: { auth0roles: { source: "terraform.local/rolesascode/auth0roles" } } },
    provider: { auth0roles: provider },
    resource: { auth0roles_organization_member_roles: resources },
  };
}

export interface OrganizationRolesArgs {
  readonly organization_id: string;
  readonly members: Readonly<Record<string, readonly string[]>>;
  readonly exclusive?: boolean;
}

/** A root module with the provider (configured from AUTH0_*) and the given auth0roles_organization_roles. */
export function organizationRolesConfig(resources: Readonly<Record<string, OrganizationRolesArgs>>) {
  return {
    terraform: { required_providers: { auth0roles: { source: "terraform.local/rolesascode/auth0roles" } } },
    provider: { auth0roles: {} },
    resource: { auth0roles_organization_roles: resources },
  };
}

/** The HCL opening of a root module: this provider, configured from AUTH0_*. */
export const PROVIDER_HCL = `
terraform {
  required_providers {
    auth0roles = { source = "terraform.local/rolesascode/auth0roles" }
  }
}
provider "auth0roles" {}
`;

/** Terraform's output on one line, for matching a diagnostic across its wrapping. */
export const flat = (text: string) => text.replace(/\s+/g, " ");

/** The Management API writes (anything but GET) the emulator has received since its last clearRequests. */
export const apiWrites = (emu: Emulator) =>
  emu.requests.filter((r) => r.method !== "GET" && r.path.startsWith("/api/"));

/** The environment that signs in as a seeded client whose secret is, by these suites' convention, `<id>-secret-123`. */
export const clientEnv = (id: string, secret = `${id}-secret-123`) => ({
  AUTH0_CLIENT_ID: id,
  AUTH0_CLIENT_SECRET: secret,
});

export interface EmulatedTenant {
  /** The running emulator (set once the describe block's hooks have started it). */
  readonly emu: Emulator;
  /** A workspace with `config` written and `init` run, talking to the emulator with `env`. */
  workspace(config: string | object, env: Readonly<Record<string, string>>): Promise<TerraformWorkspace>;
}

/**
 * Registers hooks in the calling describe block: an emulator seeded with `seed` (without rate limits)
 * started before all its tests, or before each with `perTest`, and stopped after them together with
 * every workspace `workspace` made.
 */
export function emulatedTenant(seed: SeedData, options: { perTest?: boolean } = {}): EmulatedTenant {
  let emu: Emulator | undefined;
  const workspaces: TerraformWorkspace[] = [];
  (options.perTest ? beforeEach : beforeAll)(async () => {
    emu = await startEmulator({ seed, rateLimits: false });
  });
  (options.perTest ? afterEach : afterAll)(async () => {
    for (const tf of workspaces.splice(0)) tf.dispose();
    await emu?.stop();
  });
  const running = () => {
    if (!emu) throw new Error("The emulator starts in a beforeAll/beforeEach hook: use it inside a test.");
    return emu;
  };
  return {
    get emu() {
      return running();
    },
    async workspace(config, env) {
      const tf = new TerraformWorkspace({ AUTH0_DOMAIN: running().url, ...env });
      workspaces.push(tf);
      tf.writeConfig(config);
      await tf.init();
      return tf;
    },
  };
}

export interface OfficialMemberRoles {
  readonly name: string;
  readonly organizationId: string;
  readonly userId: string;
  readonly roles: readonly string[];
}

/** A state file as the official provider leaves it: one `auth0_organization_member_roles` per entry. */
export function officialState(entries: readonly OfficialMemberRoles[]) {
  return {
    version: 4,
    terraform_version: "1.5.7",
    serial: 1,
    lineage: "6a3f1d2e-8b4c-4e5f-9a0b-1c2d3e4f5a6b",
    outputs: {},
    resources: entries.map((e) => ({
      mode: "managed",
      type: "auth0_organization_member_roles",
      name: e.name,
      provider: 'provider["registry.terraform.io/auth0/auth0"]',
      instances: [
        {
          schema_version: 0,
          attributes: {
            id: `${e.organizationId}::${e.userId}`,
            organization_id: e.organizationId,
            user_id: e.userId,
            roles: e.roles,
          },
          sensitive_attributes: [],
        },
      ],
    })),
  };
}
