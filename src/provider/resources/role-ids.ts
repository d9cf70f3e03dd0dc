/**
 * Role ids checked at plan: a typo'd id would otherwise pass the plan and fail the apply after the
 * pull request was merged. Only the ids a plan grants are checked (held ones exist), against the
 * tenant's role listing, read once per process and shared with the auth0roles_roles data source.
 * Without read:roles nothing is checked, and nothing is said.
 */
import type { Role } from "../../management";
import { closestNames, editDistance } from "../../roles";
import type { ProviderContext } from "../framework";
import { type AttributePath, type Diagnostic, errorDiag } from "../protocol/diagnostics";
import type { GrantedScopesApi } from "./write-scopes";

const READ_ROLES = "read:roles";

export interface RoleListingApi extends GrantedScopesApi {
  listRoles(opts?: { signal?: AbortSignal }): Promise<Role[]>;
}

/** A role id a plan grants, and where the configuration lists it. */
export interface GrantedRole {
  readonly id: string;
  /** e.g. `roles`, `members["auth0|bob"]`. */
  readonly where: string;
  readonly path: AttributePath;
}

/**
 * `rol_… (name)`, with the owning organization for an organization-scoped role; without the name
 * where every role listed carries the same.
 */
export function describeRole(role: Role, withName = true): string {
  const owner = role.ownerId === undefined ? undefined : `organization ${role.ownerId}`;
  const about = [withName ? role.name : undefined, owner];
  const known = about.filter((part): part is string => part !== undefined);
  return known.length === 0 ? role.id : `${role.id} (${known.join(", ")})`;
}

/** One error per granted id the tenant has no role with; none when the roles cannot be listed. */
export async function unknownRoleIds(
  ctx: ProviderContext<RoleListingApi>,
  granted: readonly GrantedRole[],
): Promise<Diagnostic[]> {
  if (granted.length === 0) return [];
  let roles: Role[];
  try {
    const api = ctx.api();
    const signal = ctx.signal();
    const { scopes } = await api.grantedScopes({ signal });
    if (scopes !== undefined && !scopes.has(READ_ROLES)) return [];
    roles = await api.listRoles({ signal });
  } catch {
    return [];
  }
  const ids = new Set(roles.map((r) => r.id));
  const seen = new Set<string>();
  return granted.flatMap((g) => {
    const key = `${g.where}\u0000${g.id}`;
    if (ids.has(g.id) || seen.has(key)) return [];
    seen.add(key);
    return [errorDiag(`Unknown role id ${JSON.stringify(g.id)}`, unknownDetail(g, roles), g.path)];
  });
}

function unknownDetail(g: GrantedRole, roles: readonly Role[]): string {
  const named = roles.filter((r) => r.name === g.id);
  const fix =
    "Fix the id in the configuration, or refer to roles by name with the auth0roles_roles data source.";
  if (named.length === 1) {
    const role = named[0] as Role;
    return `${g.where} lists ${JSON.stringify(g.id)}, which is the name of the role ${describeRole(role)}, not a role id: use ${JSON.stringify(role.id)}, or data.auth0roles_roles.NAME.roles[${JSON.stringify(g.id)}].`;
  }
  if (named.length > 1) {
    return `${g.where} lists ${JSON.stringify(g.id)}, which is not a role id but the name of ${named.length} roles: ${named.map((role) => describeRole(role)).join(", ")}. Use the id of the one you mean.`;
  }
  // Ids share their prefix and length, so only ids a few slips away are suggestions.
  const slips = Math.max(2, Math.ceil(g.id.length / 6));
  const closest = closestNames(
    g.id,
    roles.map((r) => r.id),
  ).filter((id) => editDistance(g.id.toLowerCase(), id.toLowerCase()) <= slips);
  const byId = new Map(roles.map((r) => [r.id, r]));
  const suggestion =
    closest.length === 0
      ? "No role id of the tenant is close to it."
      : `The closest role ids: ${closest.map((id) => describeRole(byId.get(id) as Role)).join(", ")}.`;
  return `The tenant has no role with the id ${JSON.stringify(g.id)} that ${g.where} lists, so apply would fail. ${suggestion} ${fix}`;
}
