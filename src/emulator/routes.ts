import { ApiError, invalidBody, invalidQuery, notFound } from "./errors";
import { SCOPES, type Scope } from "./scopes";
import { compare, type Role, type Tenant } from "./tenant";
import type { EndpointGroup } from "./types";

/** A request body as read off the wire: absent, parsed JSON, or text that is not JSON. */
export type RequestBody =
  | { kind: "none" }
  | { kind: "json"; value: unknown }
  | { kind: "invalid"; text: string };

export interface ApiRequest {
  /** Decoded path parameters. */
  params: Record<string, string>;
  query: Record<string, string>;
  body: RequestBody;
  /** Scopes granted by the caller's token. */
  scopes: ReadonlySet<string>;
}

export interface ApiReply {
  status: number;
  body?: unknown;
}

interface Operation {
  /** The per-endpoint rate-limit bucket, if Auth0 documents one for this endpoint. */
  group?: EndpointGroup;
  scope: Scope;
  /** The 403 without `scope`, where the recorded wording differs from the usual "expected any of". */
  scopeError?: () => ApiError;
  handle(req: ApiRequest, tenant: Tenant): ApiReply;
}

interface Route {
  /** Path segments after `/api/v2/`; `:name` captures a (decoded, non-empty) segment. */
  pattern: readonly string[];
  operations: Readonly<Record<string, Operation>>;
}

export type RouteMatch =
  | { kind: "found"; operation: Operation; params: Record<string, string> }
  | { kind: "method-not-allowed"; allowed: string[] }
  | { kind: "not-found" };

/** Finds the operation for `method` and the decoded path segments after `/api/v2/`. */
export function matchRoute(method: string, segments: readonly string[]): RouteMatch {
  for (const route of ROUTES) {
    const params = matchPattern(route.pattern, segments);
    if (!params) continue;
    const operation = route.operations[method];
    if (!operation) return { kind: "method-not-allowed", allowed: Object.keys(route.operations) };
    return { kind: "found", operation, params };
  }
  return { kind: "not-found" };
}

function matchPattern(
  pattern: readonly string[],
  segments: readonly string[],
): Record<string, string> | null {
  if (pattern.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i] as string;
    const actual = segments[i] as string;
    if (expected.startsWith(":")) {
      if (actual === "") return null;
      params[expected.slice(1)] = actual;
    } else if (expected !== actual) {
      return null;
    }
  }
  return params;
}

export function insufficientScope(scope: string): ApiError {
  // As real tenants answer (a comma, no final period); the docs' "Insufficient scope; expected any
  // of: ..." is a description of it.
  return new ApiError(403, `Insufficient scope, expected any of: ${scope}`, "insufficient_scope");
}

/** Recorded for the members listing, whichever of the two scopes is missing. */
const membersScopeError = (): ApiError =>
  insufficientScope(`${SCOPES.readMembers}, ${SCOPES.readMemberRoles}`);

// ---- path, query and body validation (Auth0's wording) ----

const MAX_ORG_ID_LENGTH = 50;

function orgId(req: ApiRequest): string {
  const id = req.params.id as string;
  if (id.length > MAX_ORG_ID_LENGTH) {
    throw new ApiError(
      400,
      `Path validation error: 'String is too long (${id.length} chars), maximum ${MAX_ORG_ID_LENGTH}' on property id (ID of the organization).`,
      "invalid_uri",
    );
  }
  return id;
}

function rejectUnknownQuery(query: Record<string, string>, allowed: readonly string[]): void {
  const extra = Object.keys(query).filter((name) => !allowed.includes(name));
  if (extra.length > 0) {
    throw invalidQuery(
      `Additional properties not allowed: ${extra.join(",")} (allowed: ${allowed.join(", ")})`,
    );
  }
}

function intQuery(
  query: Record<string, string>,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number {
  const text = query[name];
  if (text === undefined) return fallback;
  if (!/^-?\d+$/.test(text)) throw invalidQuery(`Expected type integer but found "${text}"`, name);
  const value = Number(text);
  if (value < min) throw invalidQuery(`Value ${value} is less than minimum ${min}`, name);
  if (value > max) throw invalidQuery(`Value ${value} is greater than maximum ${max}`, name);
  return value;
}

function boolQuery(query: Record<string, string>, name: string, fallback: boolean): boolean {
  const text = query[name];
  if (text === undefined) return fallback;
  if (text !== "true" && text !== "false")
    throw invalidQuery(`Expected type boolean but found "${text}"`, name);
  return text === "true";
}

interface OffsetPage {
  start: number;
  limit: number;
  includeTotals: boolean;
}

function offsetQuery(query: Record<string, string>): OffsetPage {
  const page = intQuery(query, "page", 0, 1000, 0);
  const limit = intQuery(query, "per_page", 1, 100, 50);
  return { start: page * limit, limit, includeTotals: boolQuery(query, "include_totals", false) };
}

/** A bare array, or `{[key]: items, start, limit, total}` with include_totals. */
function offsetReply<T>(
  items: readonly T[],
  page: OffsetPage,
  key: string,
  view: (item: T) => unknown,
): ApiReply {
  const slice = items.slice(page.start, page.start + page.limit).map(view);
  if (!page.includeTotals) return { status: 200, body: slice };
  return { status: 200, body: { [key]: slice, start: page.start, limit: page.limit, total: items.length } };
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** `{"<property>": ["id", ...]}`: required, at least one non-empty string, no other properties. */
function idListBody(req: ApiRequest, property: "roles" | "members"): string[] {
  const { body } = req;
  if (body.kind === "invalid") throw new ApiError(400, "Invalid request payload JSON format", "invalid_body");
  const value = body.kind === "json" ? body.value : null;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalidBody(`Expected type object but found type ${typeName(value)}`);
  }
  const record = value as Record<string, unknown>;
  const extra = Object.keys(record).filter((key) => key !== property);
  if (extra.length > 0) throw invalidBody(`Additional properties not allowed: ${extra.join(",")}`);
  const list = record[property];
  if (list === undefined) throw invalidBody(`Missing required property: ${property}`);
  if (!Array.isArray(list))
    throw invalidBody(`Expected type array but found type ${typeName(list)}`, property);
  if (list.length === 0) throw invalidBody("Array is too short (0), minimum 1", property);
  list.forEach((item, i) => {
    if (typeof item !== "string")
      throw invalidBody(`Expected type string but found type ${typeName(item)}`, `${property}[${i}]`);
    if (item === "") throw invalidBody("String is too short (0 chars), minimum 1", `${property}[${i}]`);
  });
  return list as string[];
}

/** Auth0 always sends `description`, "" when the role has none; `type`/`owner_id` only for organization-scoped roles. */
function roleView(role: Role): {
  id: string;
  name: string;
  description: string;
  type?: string;
  owner_id?: string;
} {
  return {
    id: role.id,
    name: role.name,
    description: role.description ?? "",
    ...(role.type === undefined ? {} : { type: role.type }),
    ...(role.owner_id === undefined ? {} : { owner_id: role.owner_id }),
  };
}

/** The roles in the order Auth0 lists a member's roles: by name (then id, for equal names). */
function rolesOf(tenant: Tenant, ids: readonly string[]): Role[] {
  // Role ids held by members always exist: deleting a role removes it from every member.
  return ids
    .map((id) => tenant.getRole(id) as Role)
    .sort((a, b) => compare(a.name, b.name) || compare(a.id, b.id));
}

// ---- members: fields and checkpoint cursors ----

const MEMBER_FIELDS = ["user_id", "email", "picture", "name", "roles"] as const;
type MemberField = (typeof MEMBER_FIELDS)[number];
const DEFAULT_MEMBER_FIELDS: readonly MemberField[] = ["user_id", "email", "picture", "name"];

function memberFields(query: Record<string, string>): Set<MemberField> {
  const text = query.fields;
  const include = boolQuery(query, "include_fields", true);
  if (text === undefined || text === "") return new Set(DEFAULT_MEMBER_FIELDS);
  const named = text.split(",").map((f) => f.trim());
  const unknown = named.filter((f) => !(MEMBER_FIELDS as readonly string[]).includes(f));
  if (unknown.length > 0) {
    throw invalidQuery(
      `Unknown field(s) ${unknown.join(",")}; allowed: ${MEMBER_FIELDS.join(", ")}`,
      "fields",
    );
  }
  if (include) return new Set(named as MemberField[]);
  return new Set(DEFAULT_MEMBER_FIELDS.filter((f) => !named.includes(f)));
}

/** Auth0 gives every user a picture: without one of their own, an avatar of their initials. */
function defaultPicture(userId: string, name: string | undefined): string {
  const initials = (name ?? userId.replace(/^[^|]*\|/, ""))
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((word) => word[0]?.toLowerCase())
    .join("");
  return `https://cdn.auth0.com/avatars/${initials || "u"}.png`;
}

const CURSOR_PREFIX = "emu1.";

function encodeCursor(lastId: string): string {
  return CURSOR_PREFIX + Buffer.from(lastId, "utf8").toString("base64url");
}

function decodeCursor(cursor: string): string {
  if (!cursor.startsWith(CURSOR_PREFIX) || cursor.length === CURSOR_PREFIX.length) {
    throw invalidQuery("Invalid checkpoint cursor; pass the `next` value of the previous page", "from");
  }
  return Buffer.from(cursor.slice(CURSOR_PREFIX.length), "base64url").toString("utf8");
}

/** Index of the first id after `after` in a sorted list (the cursor survives members coming and going). */
function indexAfter<T>(sorted: readonly T[], idOf: (item: T) => string, after: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(idOf(sorted[mid] as T), after) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Offset pagination reaches only this many members; past it the API wants checkpoint pagination. */
const OFFSET_WINDOW = 1000;

function listMembers(req: ApiRequest, tenant: Tenant): ApiReply {
  const { query } = req;
  rejectUnknownQuery(query, [
    "page",
    "per_page",
    "include_totals",
    "from",
    "take",
    "fields",
    "include_fields",
  ]);
  const fields = memberFields(query);
  if (fields.has("roles") && !req.scopes.has(SCOPES.readMemberRoles)) throw membersScopeError();
  const org = orgId(req);
  const checkpoint = query.from !== undefined || query.take !== undefined;
  const take = checkpoint ? intQuery(query, "take", 1, 100, 50) : 0;
  const after = query.from === undefined || query.from === "" ? undefined : decodeCursor(query.from);
  const page = checkpoint ? undefined : offsetQuery(query);
  const ids = tenant.members(org);

  const view = (userId: string): Record<string, unknown> => {
    const user = tenant.getUser(userId);
    const member: Record<string, unknown> = {};
    if (fields.has("user_id")) member.user_id = userId;
    if (fields.has("email") && user?.email !== undefined) member.email = user.email;
    if (fields.has("picture")) member.picture = user?.picture ?? defaultPicture(userId, user?.name);
    if (fields.has("name") && user?.name !== undefined) member.name = user.name;
    if (fields.has("roles")) {
      member.roles = rolesOf(tenant, tenant.memberRoles(org, userId)).map((r) => ({
        id: r.id,
        name: r.name,
      }));
    }
    return member;
  };

  if (page) {
    if (page.start >= OFFSET_WINDOW) {
      throw invalidQuery(
        `Offset pagination reaches only the first ${OFFSET_WINDOW} members; use checkpoint pagination (from, take) to read past them`,
        "page",
      );
    }
    const window = ids.length > OFFSET_WINDOW ? ids.slice(0, OFFSET_WINDOW) : ids;
    const reply = offsetReply(window, page, "members", view);
    if (page.includeTotals) (reply.body as { total: number }).total = ids.length;
    return reply;
  }
  return checkpointReply(ids, (id) => id, after, take, "members", view);
}

/**
 * One checkpoint page of `items` (sorted by `idOf`) after the cursor's id. Like the recorded API: a
 * `next` cursor even on the last short page; the walk ends on an empty page.
 */
function checkpointReply<T>(
  items: readonly T[],
  idOf: (item: T) => string,
  after: string | undefined,
  take: number,
  key: string,
  view: (item: T) => unknown,
): ApiReply {
  const start = after === undefined ? 0 : indexAfter(items, idOf, after);
  const slice = items.slice(start, start + take);
  const last = slice[slice.length - 1];
  if (last === undefined) return { status: 200, body: { [key]: [] } };
  return { status: 200, body: { [key]: slice.map(view), next: encodeCursor(idOf(last)) } };
}

/**
 * `GET /organizations`: offset pages (`{organizations, start, limit, total}` with include_totals) or
 * checkpoint pages (`from`, `take`; `{organizations, next}`), ordered by id.
 */
function listOrganizations(req: ApiRequest, tenant: Tenant): ApiReply {
  const { query } = req;
  rejectUnknownQuery(query, ["page", "per_page", "include_totals", "from", "take"]);
  const organizations = tenant.listOrganizations();
  const view = (org: { id: string; name: string }) => ({
    id: org.id,
    name: org.name,
    display_name: org.name,
  });
  if (query.from === undefined && query.take === undefined) {
    return offsetReply(organizations, offsetQuery(query), "organizations", view);
  }
  const take = intQuery(query, "take", 1, 100, 50);
  const after = query.from === undefined || query.from === "" ? undefined : decodeCursor(query.from);
  return checkpointReply(organizations, (org) => org.id, after, take, "organizations", view);
}

// ---- the route table ----

const noContent: ApiReply = { status: 204 };

const ROUTES: readonly Route[] = [
  {
    pattern: ["organizations"],
    operations: { GET: { scope: SCOPES.readOrganizations, handle: listOrganizations } },
  },
  {
    pattern: ["organizations", ":id", "members", ":user_id", "roles"],
    operations: {
      GET: {
        group: "read:organization_member_roles",
        scope: SCOPES.readMemberRoles,
        handle(req, tenant) {
          rejectUnknownQuery(req.query, ["page", "per_page", "include_totals"]);
          const page = offsetQuery(req.query);
          const ids = tenant.memberRoles(orgId(req), req.params.user_id as string);
          return offsetReply(rolesOf(tenant, ids), page, "roles", roleView);
        },
      },
      POST: {
        group: "write:organization_member_roles",
        scope: SCOPES.createMemberRoles,
        handle(req, tenant) {
          const roles = idListBody(req, "roles");
          tenant.assignRoles(orgId(req), req.params.user_id as string, roles);
          return noContent;
        },
      },
      DELETE: {
        group: "write:organization_member_roles",
        scope: SCOPES.deleteMemberRoles,
        handle(req, tenant) {
          const roles = idListBody(req, "roles");
          tenant.removeRoles(orgId(req), req.params.user_id as string, roles);
          return noContent;
        },
      },
    },
  },
  {
    pattern: ["organizations", ":id", "members"],
    operations: {
      GET: {
        group: "read:organization_members",
        scope: SCOPES.readMembers,
        scopeError: membersScopeError,
        handle: listMembers,
      },
      POST: {
        group: "write:organization_members",
        scope: SCOPES.createMembers,
        handle(req, tenant) {
          const members = idListBody(req, "members");
          const org = orgId(req);
          if (!tenant.hasOrganization(org)) throw notFound.organization();
          // All or nothing: check every user before adding any.
          if (members.some((id) => !tenant.getUser(id))) throw notFound.user();
          for (const id of members) tenant.addMember(org, id);
          return noContent;
        },
      },
      DELETE: {
        group: "write:organization_members",
        scope: SCOPES.deleteMembers,
        handle(req, tenant) {
          const members = idListBody(req, "members");
          const org = orgId(req);
          for (const id of members) tenant.removeMember(org, id);
          return noContent;
        },
      },
    },
  },
  {
    pattern: ["roles"],
    operations: {
      GET: {
        scope: SCOPES.readRoles,
        handle(req, tenant) {
          rejectUnknownQuery(req.query, ["page", "per_page", "include_totals", "name_filter"]);
          const page = offsetQuery(req.query);
          const filter = req.query.name_filter?.toLowerCase();
          const roles = tenant.listRoles().filter((r) => !filter || r.name.toLowerCase().includes(filter));
          return offsetReply(roles, page, "roles", roleView);
        },
      },
    },
  },
  {
    pattern: ["roles", ":id"],
    operations: {
      GET: {
        scope: SCOPES.readRoles,
        handle(req, tenant) {
          const role = tenant.getRole(req.params.id as string);
          if (!role) throw notFound.role();
          return { status: 200, body: roleView(role) };
        },
      },
    },
  },
];
