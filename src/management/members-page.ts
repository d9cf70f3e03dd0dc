import { ManagementApiError } from "./errors";
import { isRecord } from "./json";

export interface ListedMember {
  userId: string;
  roleIds: string[];
}

/**
 * One checkpoint page of `GET /organizations/{id}/members?fields=user_id,roles`:
 * `{"members": [{"user_id", "roles": [{"id", "name"}]}], "next": "<cursor>"}`. A member entry
 * without a user id or a roles list is skipped, so its member is read on its own.
 */
export function parseMembersPage(
  body: unknown,
  path: string,
): { members: ListedMember[]; next: string | undefined } {
  if (!isRecord(body) || !Array.isArray(body.members)) {
    throw new ManagementApiError({
      reason: "other",
      method: "GET",
      path,
      message: `GET ${path} returned a body without a members list. Check that domain (AUTH0_DOMAIN) points at an Auth0 tenant.`,
    });
  }
  const members: ListedMember[] = [];
  for (const entry of body.members) {
    if (!isRecord(entry) || typeof entry.user_id !== "string" || !Array.isArray(entry.roles)) continue;
    const roleIds: string[] = [];
    for (const role of entry.roles) {
      if (isRecord(role) && typeof role.id === "string") roleIds.push(role.id);
    }
    if (roleIds.length !== entry.roles.length) continue;
    members.push({ userId: entry.user_id, roleIds });
  }
  const next = typeof body.next === "string" && body.next !== "" ? body.next : undefined;
  return { members, next };
}

/**
 * One checkpoint page of `GET /organizations`: `{"organizations": [{"id", "name"}], "next": "<cursor>"}`.
 * An entry without a string id is skipped.
 */
export function parseOrganizationsPage(
  body: unknown,
  path: string,
): { organizations: { id: string; name: string }[]; next: string | undefined } {
  if (!isRecord(body) || !Array.isArray(body.organizations)) {
    throw new ManagementApiError({
      reason: "other",
      method: "GET",
      path,
      message: `GET ${path} returned a body without an organizations list. Check that domain (AUTH0_DOMAIN) points at an Auth0 tenant.`,
    });
  }
  const organizations: { id: string; name: string }[] = [];
  for (const entry of body.organizations) {
    if (!isRecord(entry) || typeof entry.id !== "string") continue;
    organizations.push({ id: entry.id, name: typeof entry.name === "string" ? entry.name : entry.id });
  }
  const next = typeof body.next === "string" && body.next !== "" ? body.next : undefined;
  return { organizations, next };
}
