import { ManagementApiError } from "./errors";
import { isRecord } from "./json";
import type { Organization } from "./types";

export interface ListedMember {
  userId: string;
  roleIds: string[];
}

/** One page of a checkpoint-paginated listing: its entries, and the cursor of the page after it. */
export interface CheckpointPage<T> {
  items: T[];
  next: string | undefined;
}

/**
 * One checkpoint page of `GET /organizations/{id}/members?fields=user_id,roles`:
 * `{"members": [{"user_id", "roles": [{"id", "name"}]}], "next": "<cursor>"}`. A member entry
 * without a user id or a roles list is skipped, so its member is read on its own.
 */
export function parseMembersPage(body: unknown, path: string): CheckpointPage<ListedMember> {
  const entries = listOf(body, "members", path);
  const members: ListedMember[] = [];
  for (const entry of entries) {
    if (!isRecord(entry) || typeof entry.user_id !== "string" || !Array.isArray(entry.roles)) continue;
    const roleIds: string[] = [];
    for (const role of entry.roles) {
      if (isRecord(role) && typeof role.id === "string") roleIds.push(role.id);
    }
    if (roleIds.length !== entry.roles.length) continue;
    members.push({ userId: entry.user_id, roleIds });
  }
  return { items: members, next: nextCursor(body) };
}

/** The page's list under `key`; a body without one is not an Auth0 answer. */
function listOf(body: unknown, key: string, path: string): unknown[] {
  const list = isRecord(body) ? body[key] : undefined;
  if (Array.isArray(list)) return list;
  throw new ManagementApiError({
    reason: "other",
    method: "GET",
    path,
    message: `GET ${path} returned a body without a ${key} list. Check that domain (AUTH0_DOMAIN) points at an Auth0 tenant.`,
  });
}

function nextCursor(body: unknown): string | undefined {
  const next = isRecord(body) ? body.next : undefined;
  return typeof next === "string" && next !== "" ? next : undefined;
}

/**
 * One checkpoint page of `GET /organizations`: `{"organizations": [{"id", "name"}], "next": "<cursor>"}`.
 * An entry without a string id is skipped.
 */
export function parseOrganizationsPage(body: unknown, path: string): CheckpointPage<Organization> {
  const organizations: Organization[] = [];
  for (const entry of listOf(body, "organizations", path)) {
    if (!isRecord(entry) || typeof entry.id !== "string") continue;
    organizations.push({ id: entry.id, name: typeof entry.name === "string" ? entry.name : entry.id });
  }
  return { items: organizations, next: nextCursor(body) };
}
