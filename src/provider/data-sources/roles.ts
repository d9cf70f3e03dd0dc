import type { Role } from "../../management";
import { failureDiagnostic } from "../api-diagnostics";
import type { DataSource, ProviderContext } from "../framework";
import { ROLES_DATA_SOURCE } from "../identity";
import { type Diagnostic, warningDiag } from "../protocol/diagnostics";
import type { Schema } from "../protocol/schema";
import type { TfObject } from "../protocol/values";

export interface RolesApi {
  /** Every role of the tenant, every page. */
  listRoles(opts?: { signal?: AbortSignal }): Promise<Role[]>;
}

export const rolesDataSourceSchema: Schema = {
  version: 0,
  block: {
    description:
      "Every role of the tenant, so configuration can name roles instead of copying their ids. Needs the " +
      "Management API scope `read:roles`.",
    attributes: [
      {
        name: "roles",
        type: ["map", "string"],
        computed: true,
        description:
          'Role name -> role id, e.g. `data.auth0roles_roles.all.roles["billing"]`. A name that more than one ' +
          "role carries is left out, with a warning.",
      },
    ],
  },
};

/** `auth0roles_roles`: the tenant's roles by name. */
export class RolesDataSource implements DataSource<RolesApi> {
  readonly typeName = ROLES_DATA_SOURCE;
  readonly schema = rolesDataSourceSchema;

  async read(_config: TfObject, ctx: ProviderContext<RolesApi>) {
    let roles: Role[];
    try {
      roles = await ctx.api().listRoles({ signal: ctx.signal() });
    } catch (error) {
      return {
        state: null,
        diagnostics: [failureDiagnostic("Could not list the tenant's roles", error, false)],
      };
    }
    const { byName, diagnostics } = rolesByName(roles);
    return { state: { roles: byName }, diagnostics };
  }
}

/** name -> id; names carried by several roles are ambiguous and left out, with a warning naming them. */
export function rolesByName(roles: readonly Role[]): {
  byName: Record<string, string>;
  diagnostics: Diagnostic[];
} {
  const ids = new Map<string, string[]>();
  for (const role of roles) {
    if (role.name === undefined) continue;
    ids.set(role.name, [...(ids.get(role.name) ?? []), role.id]);
  }
  const byName: Record<string, string> = {};
  const diagnostics: Diagnostic[] = [];
  for (const [name, list] of [...ids].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (list.length === 1) {
      byName[name] = list[0] as string;
      continue;
    }
    diagnostics.push(
      warningDiag(
        `Role name ${JSON.stringify(name)} is not unique`,
        `The roles ${list.join(", ")} are all called ${JSON.stringify(name)}, so the name is left out of roles. ` +
          "Use one of the ids, or rename the roles in the Auth0 dashboard (User Management > Roles).",
      ),
    );
  }
  return { byName, diagnostics };
}
