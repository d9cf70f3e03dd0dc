import type { Role } from "../../management";
import { suggestionText } from "../../roles";
import { failureDiagnostic } from "../api-diagnostics";
import type { DataSource, ProviderContext } from "../framework";
import { type AttributePath, type Diagnostic, errorDiag, warningDiag } from "../protocol/diagnostics";
import type { Schema } from "../protocol/schema";
import type { TfObject, TfValue } from "../protocol/values";
import { describeRole } from "../resources/role-ids";
import { ROLES_DATA_SOURCE } from "../startup/provider-names";

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
        name: "names",
        type: ["list", "string"],
        optional: true,
        description:
          "Role names this configuration uses. Each must be the name of exactly one role of the tenant, or the " +
          "plan fails naming it and the closest existing names; a typo then stops the plan here instead of " +
          "at an invalid map key.",
      },
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

  validate(config: TfObject): Diagnostic[] {
    const names = config.names;
    if (!Array.isArray(names)) return [];
    return names.flatMap((name, index) =>
      typeof name === "string" && name.trim() === ""
        ? [
            errorDiag(
              "Empty role name",
              `names[${index}] is empty. List the names of the tenant's roles as shown under User Management > Roles in the Auth0 dashboard, or remove the entry.`,
              namePath(index),
            ),
          ]
        : [],
    );
  }

  async read(config: TfObject, ctx: ProviderContext<RolesApi>) {
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
    const names = knownNames(config.names);
    const refused = nameErrors(names, byName, roles);
    if (refused.length > 0) return { state: null, diagnostics: [...diagnostics, ...refused] };
    const state: TfObject = { names: config.names ?? null, roles: byName };
    return { state, diagnostics };
  }
}

function knownNames(value: TfValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((name): name is string => typeof name === "string") : [];
}

function namePath(index: number): AttributePath {
  return [{ attribute: "names" }, { index }];
}

/**
 * One error per listed name that is not the name of exactly one role: the name, where it is listed,
 * and the closest names the tenant has (or the ids of the roles sharing it).
 */
function nameErrors(
  names: readonly string[],
  byName: Record<string, string>,
  roles: readonly Role[],
): Diagnostic[] {
  const existing = new Set(roles.flatMap((role) => (role.name === undefined ? [] : [role.name])));
  const reported = new Set<string>();
  return names.flatMap((name, index) => {
    if (Object.hasOwn(byName, name) || reported.has(name)) return [];
    reported.add(name);
    if (existing.has(name)) {
      const carrying = roles.filter((role) => role.name === name).map((role) => describeRole(role, false));
      return [
        errorDiag(
          `Role name ${JSON.stringify(name)} is not unique`,
          `The roles ${carrying.join(", ")} are all called ${JSON.stringify(name)} (organization-scoped roles may share a name), so the name cannot pick one. Use the id of the one you mean, or rename the roles in the Auth0 dashboard (User Management > Roles).`,
          namePath(index),
        ),
      ];
    }
    return [
      errorDiag(
        `Unknown role name ${JSON.stringify(name)}`,
        `The tenant has no role called ${JSON.stringify(name)}. ${suggestionText(name, Object.keys(byName))} ` +
          "Fix the spelling, or create the role in the Auth0 dashboard (User Management > Roles).",
        namePath(index),
      ),
    ];
  });
}

/** name -> id; names carried by several roles are ambiguous and left out, with a warning naming them. */
export function rolesByName(roles: readonly Role[]): {
  byName: Record<string, string>;
  diagnostics: Diagnostic[];
} {
  const carrying = new Map<string, Role[]>();
  for (const role of roles) {
    if (role.name === undefined) continue;
    carrying.set(role.name, [...(carrying.get(role.name) ?? []), role]);
  }
  const byName: Record<string, string> = {};
  const diagnostics: Diagnostic[] = [];
  for (const [name, list] of [...carrying].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (list.length === 1) {
      byName[name] = (list[0] as Role).id;
      continue;
    }
    diagnostics.push(
      warningDiag(
        `Role name ${JSON.stringify(name)} is not unique`,
        `The roles ${list.map((role) => describeRole(role, false)).join(", ")} are all called ${JSON.stringify(name)}, so the name is left out of roles. ` +
          "Use one of the ids, or rename the roles in the Auth0 dashboard (User Management > Roles).",
      ),
    );
  }
  return { byName, diagnostics };
}
