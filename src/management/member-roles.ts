import { ManagementApi } from "./api";
import { resolveBaseUrl } from "./base-url";
import { chunk, MAX_ROLES_PER_CALL } from "./chunk";
import { ConfigurationError, ManagementApiError } from "./errors";
import { HttpClient } from "./http";
import { isRecord } from "./json";
import { parseMembersPage } from "./members-page";
import { RequestPacer } from "./pacer";
import { memberRolesPath, organizationMembersPath } from "./paths";
import { resolveRetryPolicy } from "./retry";
import { SecretRedactor } from "./secrets";
import { ClientCredentialsTokenSource, StaticTokenSource, type TokenSource } from "./tokens";
import type { CallOptions, Credentials, ManagementClientOptions, MembersWalkOptions, Role } from "./types";

const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_PAGE_SIZE = 100;
// Auth0 refuses page numbers above 1000 on offset pagination.
const MAX_PAGE = 1_000;
// Checkpoint pages of the members listing before we call the walk runaway (100,000 members at 100 a page).
const MAX_MEMBER_PAGES = 1_000;
const DEFAULT_USER_AGENT = "auth0-org-member-roles/0.1.0";

/** Management API client for one tenant, safe to share between concurrent callers. */
export class ManagementClient {
  readonly baseUrl: string;
  private readonly api: ManagementApi;
  private readonly pageSize: number;

  constructor(options: ManagementClientOptions) {
    this.baseUrl = resolveBaseUrl(options.domain);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    requireInteger("timeoutMs", timeoutMs, 1, Number.MAX_SAFE_INTEGER);
    this.pageSize = options.pageSize ?? MAX_PAGE_SIZE;
    requireInteger("pageSize", this.pageSize, 1, MAX_PAGE_SIZE);
    const max = options.maxRequestsPerSecond;
    if (max !== undefined && !(Number.isFinite(max) && max > 0)) {
      throw new ConfigurationError(
        "maxRequestsPerSecond",
        `maxRequestsPerSecond must be a number greater than 0, got ${String(max)}.`,
      );
    }
    const logger = options.logger;
    const pacer = new RequestPacer({
      ...(max === undefined ? {} : { maxRequestsPerSecond: max }),
      ...(options.pacingClock ? { clock: options.pacingClock } : {}),
      ...(logger ? { debug: (message, fields) => logger.debug(message, fields) } : {}),
    });
    const http = new HttpClient({
      baseUrl: this.baseUrl,
      userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
      timeoutMs,
      retry: resolveRetryPolicy(options.retry),
      logger,
      pacer,
    });
    const redactor = new SecretRedactor();
    this.api = new ManagementApi(http, tokenSource(options.credentials, http, redactor), redactor);
  }

  /** Every role directly assigned to the member, across all pages. (async: an unusable id rejects, never throws.) */
  async listMemberRoles(orgId: string, userId: string, opts: CallOptions = {}): Promise<Role[]> {
    return this.allRoles(
      memberRolesPath("GET", orgId, userId),
      "read:organization_member_roles",
      orgId,
      userId,
      opts,
    );
  }

  /** Every role of the tenant (GET /api/v2/roles, scope read:roles), across all pages. */
  listRoles(opts: CallOptions = {}): Promise<Role[]> {
    return this.allRoles("/api/v2/roles", "read:roles", "", "", opts);
  }

  /** Every page of an offset-paginated roles listing. */
  private async allRoles(
    path: string,
    scope: "read:organization_member_roles" | "read:roles",
    orgId: string,
    userId: string,
    opts: CallOptions,
  ): Promise<Role[]> {
    const roles = new Map<string, Role>();
    for (let page = 0; page <= MAX_PAGE; page++) {
      const body = await this.api.call({
        method: "GET",
        path,
        query: { page, per_page: this.pageSize, include_totals: true },
        mode: "idempotent",
        rateLimitGroup: scope,
        scope,
        organizationId: orgId,
        userId,
        signal: opts.signal,
      });
      const { items, total } = parseRolesPage(body, path);
      // Keyed by id: a role assigned while we page pushes one already read onto the next page. (One
      // revoked meanwhile can pull an unread one back a page; a member holds at most 50 roles, one page.)
      for (const role of items) roles.set(role.id, role);
      const done = total === undefined ? items.length < this.pageSize : (page + 1) * this.pageSize >= total;
      if (done || items.length === 0) return [...roles.values()];
    }
    throw new ManagementApiError({
      reason: "other",
      method: "GET",
      path,
      message: `GET ${path} still had roles after ${MAX_PAGE + 1} pages, more than it can hold; the list was not trusted.`,
    });
  }

  /**
   * Every member of the organization with the ids of their roles, from one walk of the members
   * listing (`fields=user_id,roles`, checkpoint pagination). Auth0 documents this listing as
   * eventually consistent and does not say that it lists every role of a member: callers that need
   * the truth about one member use listMemberRoles. Members whose entry has no roles list are left out.
   */
  async listOrganizationMemberRoles(
    orgId: string,
    opts: MembersWalkOptions = {},
  ): Promise<Map<string, string[]>> {
    const path = organizationMembersPath("GET", orgId);
    const roster = new Map<string, string[]>();
    let from: string | undefined;
    for (let page = 0; page < MAX_MEMBER_PAGES; page++) {
      if (page > 0 && opts.shouldContinue?.(page) === false) {
        throw new ManagementApiError({
          reason: "other",
          method: "GET",
          path,
          message: `GET ${path} was abandoned after ${page} pages: the organization has more members than the listing is worth reading.`,
        });
      }
      const body = await this.api.call({
        method: "GET",
        path,
        query: {
          fields: "user_id,roles",
          include_fields: true,
          take: this.pageSize,
          ...(from === undefined ? {} : { from }),
        },
        mode: "idempotent",
        rateLimitGroup: "read:organization_members",
        scope: "read:organization_members",
        organizationId: orgId,
        userId: "",
        signal: opts.signal,
      });
      const { members, next } = parseMembersPage(body, path);
      for (const member of members) roster.set(member.userId, member.roleIds);
      // The API hands out a cursor even with the last short page; the walk ends on an empty page.
      if (members.length === 0 || next === undefined) return roster;
      if (next === from) break;
      from = next;
    }
    throw new ManagementApiError({
      reason: "other",
      method: "GET",
      path,
      message: `GET ${path} kept returning pages (${MAX_MEMBER_PAGES} pages, or a cursor that did not advance); the listing was abandoned.`,
    });
  }

  /** Assigns roles, at most 50 per call; no call for an empty list. */
  assignMemberRoles(orgId: string, userId: string, roleIds: readonly string[], opts: CallOptions = {}) {
    // Auth0 does not document what re-assigning an assigned role does, so a POST that may have
    // reached Auth0 (5xx, reset connection) is not repeated; 429s and refused connections are.
    return this.writeRoles(
      "POST",
      "unsafe",
      "create:organization_member_roles",
      orgId,
      userId,
      roleIds,
      opts,
    );
  }

  /** Removes roles, at most 50 per call; no call for an empty list. Roles not assigned are ignored by Auth0. */
  removeMemberRoles(orgId: string, userId: string, roleIds: readonly string[], opts: CallOptions = {}) {
    // Auth0 answers 204 for roles that are not assigned, so repeating a DELETE is harmless.
    return this.writeRoles(
      "DELETE",
      "idempotent",
      "delete:organization_member_roles",
      orgId,
      userId,
      roleIds,
      opts,
    );
  }

  private async writeRoles(
    method: "POST" | "DELETE",
    mode: "unsafe" | "idempotent",
    scope: string,
    orgId: string,
    userId: string,
    roleIds: readonly string[],
    opts: CallOptions,
  ): Promise<void> {
    for (const roles of chunk(roleIds, MAX_ROLES_PER_CALL)) {
      await this.api.call({
        method,
        path: memberRolesPath(method, orgId, userId),
        body: { roles },
        mode,
        rateLimitGroup: "write:organization_member_roles",
        scope,
        organizationId: orgId,
        userId,
        signal: opts.signal,
      });
    }
  }
}

function tokenSource(credentials: Credentials, http: HttpClient, redactor: SecretRedactor): TokenSource {
  if (credentials.kind === "api-token") {
    if (credentials.token.trim() === "") {
      throw new ConfigurationError(
        "api_token",
        "api_token is empty. Set api_token (AUTH0_API_TOKEN) or use client_id and client_secret.",
      );
    }
    redactor.add(credentials.token);
    return new StaticTokenSource(credentials.token);
  }
  if (credentials.clientId.trim() === "") {
    throw new ConfigurationError(
      "client_id",
      "client_id is empty. Set client_id (AUTH0_CLIENT_ID) to the Client ID of a machine-to-machine application.",
    );
  }
  if (credentials.clientSecret === "") {
    throw new ConfigurationError(
      "client_secret",
      "client_secret is empty. Set client_secret (AUTH0_CLIENT_SECRET) to that application's Client Secret.",
    );
  }
  redactor.add(credentials.clientSecret);
  return new ClientCredentialsTokenSource(http, credentials, redactor);
}

/** Accepts `{roles, total}` (include_totals=true) and a bare array, which Auth0 also returns. */
function parseRolesPage(body: unknown, path: string): { items: Role[]; total: number | undefined } {
  const list = Array.isArray(body) ? body : isRecord(body) ? body.roles : undefined;
  if (!Array.isArray(list)) {
    throw new ManagementApiError({
      reason: "other",
      method: "GET",
      path,
      message: `GET ${path} returned a body without a roles list. Check that domain (AUTH0_DOMAIN) points at an Auth0 tenant.`,
    });
  }
  const items: Role[] = [];
  for (const entry of list) {
    if (!isRecord(entry) || typeof entry.id !== "string") continue;
    const role: Role = { id: entry.id };
    if (typeof entry.name === "string") role.name = entry.name;
    if (typeof entry.description === "string") role.description = entry.description;
    items.push(role);
  }
  const total = isRecord(body) && typeof body.total === "number" ? body.total : undefined;
  return { items, total };
}

function requireInteger(field: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigurationError(
      field,
      `${field} must be a whole number from ${min} to ${max}, got ${String(value)}.`,
    );
  }
}
