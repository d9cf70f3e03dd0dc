import { ManagementApiError } from "./errors";
import { isRecord } from "./json";
import type { Role } from "./types";

/** One page of a member's roles: the roles on it, and the `total` the API claimed (include_totals). */
export interface RolesPage {
  items: Role[];
  total: number | undefined;
}

/**
 * Accepts `{roles, total}` (include_totals=true) and a bare array, which Auth0 also returns. Every
 * entry must be a role with a string id (name and description strings when present): an entry that
 * is not would otherwise be read as a role the member does not hold, and a hand-granted role would
 * go unnoticed.
 */
export function parseRolesPage(body: unknown, path: string): RolesPage {
  const list = Array.isArray(body) ? body : isRecord(body) ? body.roles : undefined;
  if (!Array.isArray(list)) {
    throw malformed(path, "a body without a roles list");
  }
  const items: Role[] = [];
  const problems: string[] = [];
  list.forEach((entry, i) => {
    const role = parseRole(entry);
    if (typeof role === "string") problems.push(`roles[${i}] ${role}`);
    else items.push(role);
  });
  if (problems.length > 0) {
    const shown = problems.slice(0, 3).join("; ");
    const more = problems.length > 3 ? `; and ${problems.length - 3} more` : "";
    throw malformed(path, `malformed role entries (${shown}${more})`);
  }
  const claimed = isRecord(body) ? body.total : undefined;
  if (claimed !== undefined && !(typeof claimed === "number" && Number.isInteger(claimed) && claimed >= 0)) {
    throw malformed(path, `a total that is not a whole number (${JSON.stringify(claimed)})`);
  }
  return { items, total: claimed };
}

/** One role answered on its own (`GET /api/v2/roles/{id}`), held to the same rules as a list entry. */
export function parseRoleBody(body: unknown, path: string): Role {
  const role = parseRole(body);
  if (typeof role === "string") throw malformed(path, `a role that ${role}`);
  return role;
}

/** The role, or what is wrong with the entry. */
function parseRole(entry: unknown): Role | string {
  if (!isRecord(entry))
    return `is ${entry === null ? "null" : Array.isArray(entry) ? "an array" : typeof entry}, not a role`;
  if (typeof entry.id !== "string" || entry.id === "") {
    return entry.id === undefined ? "has no id" : `has id ${JSON.stringify(entry.id)}, not a role id`;
  }
  const role: Role = { id: entry.id };
  for (const field of ["name", "description"] as const) {
    const value = entry[field];
    if (value === undefined) continue;
    if (typeof value !== "string") return `(${entry.id}) has a ${field} that is not text`;
    role[field] = value;
  }
  // Organization-scoped roles name their organization; anything else there is not read.
  if (typeof entry.owner_id === "string" && entry.owner_id !== "") role.ownerId = entry.owner_id;
  return role;
}

function malformed(path: string, what: string): ManagementApiError {
  return new ManagementApiError({
    reason: "other",
    method: "GET",
    path,
    message: `GET ${path} answered 200 with ${what}; the list was not trusted. Check that domain (AUTH0_DOMAIN) points at an Auth0 tenant, then run again.`,
  });
}
