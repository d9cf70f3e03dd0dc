/** What the end-to-end suites share: the scopes a pipeline's client holds and Terraform JSON for the resource. */

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
