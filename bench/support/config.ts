import { ORG_ID, ROLE_IDS, userIds } from "./tenant";

const RESOURCE_TYPE = "auth0roles_organization_member_roles";
const PROVIDER_SOURCE = "terraform.local/rolesascode/auth0roles";

/** Provider block settings the benchmarks vary; left out when undefined (the provider's default). */
export interface ProviderSettings {
  bulk_refresh?: boolean;
  max_requests_per_second?: number;
}

function resourceName(i: number): string {
  return `m${String(i).padStart(5, "0")}`;
}

/** N member-roles resources, one per member of the benchmark organization, each with ROLE_IDS. */
export function memberRolesConfig(n: number, provider: ProviderSettings = {}): object {
  const settings = Object.fromEntries(Object.entries(provider).filter(([, v]) => v !== undefined));
  return {
    terraform: { required_providers: { auth0roles: { source: PROVIDER_SOURCE } } },
    provider: { auth0roles: settings },
    resource: {
      [RESOURCE_TYPE]: Object.fromEntries(
        userIds(n).map((user_id, i) => [
          resourceName(i + 1),
          { organization_id: ORG_ID, user_id, roles: [...ROLE_IDS] },
        ]),
      ),
    },
  };
}

/** The same N objects as built-in `terraform_data` resources: no provider process, no API. */
export function terraformDataConfig(n: number): object {
  return {
    resource: {
      terraform_data: Object.fromEntries(
        userIds(n).map((user_id, i) => [
          resourceName(i + 1),
          { input: { organization_id: ORG_ID, user_id, roles: [...ROLE_IDS] } },
        ]),
      ),
    },
  };
}

const ORGANIZATION_ROLES_TYPE = "auth0roles_organization_roles";

/** One `auth0roles_organization_roles` for the benchmark organization: `rolesOf(i)` for member i (1-based). */
export function organizationRolesConfig(
  n: number,
  rolesOf: (i: number) => readonly string[],
  provider: ProviderSettings = {},
): object {
  const settings = Object.fromEntries(Object.entries(provider).filter(([, v]) => v !== undefined));
  return {
    terraform: { required_providers: { auth0roles: { source: PROVIDER_SOURCE } } },
    provider: { auth0roles: settings },
    resource: {
      [ORGANIZATION_ROLES_TYPE]: {
        org: {
          organization_id: ORG_ID,
          members: Object.fromEntries(userIds(n).map((user_id, i) => [user_id, [...rolesOf(i + 1)]])),
        },
      },
    },
  };
}
