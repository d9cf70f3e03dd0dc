import { ManagementApiError } from "./errors";

/**
 * Request paths built from ids, so that no id can address another endpoint. Each id is one
 * percent-encoded segment (`/` included). That is not enough on its own: URL handling (WHATWG URL,
 * which axios uses) removes the dot segments `.` and `..` and also their encodings `%2E`/`%2e`,
 * and drops tabs and newlines, so those ids are refused here before any request is made.
 */
export function memberRolesPath(method: string, orgId: string, userId: string): string {
  const where = { method, template: TEMPLATE.memberRoles };
  return `${organizationPath(orgId, where)}/members/${pathSegment("user_id", userId, where)}/roles`;
}

export function organizationMembersPath(method: string, orgId: string): string {
  return `${organizationPath(orgId, { method, template: TEMPLATE.members })}/members`;
}

export function rolePath(method: string, roleId: string): string {
  return `/api/v2/roles/${pathSegment("role_id", roleId, { method, template: TEMPLATE.role })}`;
}

const TEMPLATE = {
  memberRoles: "/api/v2/organizations/{organization_id}/members/{user_id}/roles",
  members: "/api/v2/organizations/{organization_id}/members",
  role: "/api/v2/roles/{role_id}",
} as const;

interface Endpoint {
  readonly method: string;
  readonly template: string;
}

function organizationPath(orgId: string, where: Endpoint): string {
  return `/api/v2/organizations/${pathSegment("organization_id", orgId, where)}`;
}

function pathSegment(field: "organization_id" | "user_id" | "role_id", id: string, where: Endpoint): string {
  const problem = segmentProblem(id);
  if (problem === undefined) return encodeURIComponent(id);
  throw new ManagementApiError({
    reason: "invalid_request",
    method: where.method,
    path: where.template,
    message: `${field} ${problem}, so it cannot be sent as part of ${where.method} ${where.template}; no request was made. Check ${field}.`,
  });
}

function segmentProblem(id: string): string | undefined {
  if (id === "") return "is empty";
  if (id === "." || id === "..") return `is ${JSON.stringify(id)}, a path step rather than an id`;
  // C0 controls and DEL: URL parsing strips some (tab, newline) and Auth0 ids never hold any.
  for (let i = 0; i < id.length; i++) {
    const code = id.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return "contains a control character";
  }
  return undefined;
}
