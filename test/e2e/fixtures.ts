/** What the end-to-end suites share: the scopes a pipeline's client holds and Terraform JSON for the resource. */

import { join } from "node:path";

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

/** The stand-in for the official provider (`registry.terraform.io/auth0/auth0`): its resource schema only. */
export const OFFICIAL_STAND_IN_ENTRY = join(
  __dirname,
  "..",
  "support",
  "fixtures",
  "official-auth0-stand-in.ts",
);

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
