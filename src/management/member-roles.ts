import { type ApiCall, ManagementApi } from "./api";
import { resolveBaseUrl } from "./base-url";
import { chunk, MAX_ROLES_PER_CALL, MAX_ROLES_PER_MEMBER } from "./chunk";
import { ConfigurationError, ManagementApiError } from "./errors";
import { HttpClient } from "./http";
import {
  type CheckpointPage,
  type ListedMember,
  parseMembersPage,
  parseOrganizationsPage,
} from "./members-page";
import { RequestPacer, SYSTEM_CLOCK } from "./pacer";
import { memberRolesPath, organizationMembersPath, rolePath } from "./paths";
import { resolveRetryPolicy } from "./retry";
import { parseRoleBody, parseRolesPage } from "./roles-page";
import { SecretRedactor } from "./secrets";
import { writeRolesSettlingUnknownOutcomes } from "./settle-unknown-outcomes";
import { ClientCredentialsTokenSource, StaticTokenSource, type TokenSource } from "./tokens";
import type {
  CallOptions,
  Credentials,
  ManagementClientOptions,
  ManagementLogger,
  MembersWalkOptions,
  Organization,
  Role,
} from "./types";

const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_PAGE_SIZE = 100;
// Auth0 refuses page numbers above 1000 on offset pagination.
const MAX_PAGE = 1_000;
// Checkpoint pages of a listing before we call the walk runaway (100,000 members at 100 a page).
const MAX_CHECKPOINT_PAGES = 1_000;
const DEFAULT_USER_AGENT = "auth0-org-member-roles/0.1.0";

/** Management API client for one tenant, safe to share between concurrent callers. */
export class ManagementClient {
  readonly baseUrl: string;
  private readonly api: ManagementApi;
  private readonly pageSize: number;
  private readonly logger: ManagementLogger | undefined;

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
    this.logger = logger;
    const clock = options.pacingClock ?? SYSTEM_CLOCK;
    const pacer = new RequestPacer({
      ...(max === undefined ? {} : { maxRequestsPerSecond: max }),
      clock,
      ...(logger ? { debug: (message, fields) => logger.debug(message, fields) } : {}),
    });
    const http = new HttpClient({
      baseUrl: this.baseUrl,
      userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
      timeoutMs,
      retry: resolveRetryPolicy(options.retry),
      logger,
      pacer,
      clock,
    });
    const redactor = new SecretRedactor();
    this.api = new ManagementApi(http, tokenSource(options.credentials, http, redactor), redactor);
  }

  /**
   * The Management API scopes the client's token carries: the client-credentials answer's `scope`, or
   * an api_token's `scope`/`permissions` claim. undefined where the token does not say (opaque).
   */
  grantedScopes(opts: CallOptions = {}): Promise<{
    readonly scopes: ReadonlySet<string> | undefined;
    readonly credential: Credentials["kind"];
  }> {
    return this.api
      .grantedScopes(opts.signal)
      .then((scopes) => ({ scopes, credential: this.api.credential }));
  }

  /**
   * Every role directly assigned to the member, across all pages. A member holds at most 50 roles,
   * so the walk stops at what is possible: a total above that or more roles listed is an error,
   * never hundreds of calls. (async: an unusable id rejects, never throws.)
   */
  async listMemberRoles(orgId: string, userId: string, opts: CallOptions = {}): Promise<Role[]> {
    return this.allRoles(
      memberRolesPath("GET", orgId, userId),
      "read:organization_member_roles",
      { orgId, userId, most: MAX_ROLES_PER_MEMBER },
      opts,
    );
  }

  /** Every role of the tenant (GET /api/v2/roles, scope read:roles), across all pages. */
  listRoles(opts: CallOptions = {}): Promise<Role[]> {
    return this.allRoles("/api/v2/roles", "read:roles", { orgId: "", userId: "", most: undefined }, opts);
  }

  /**
   * Every page of an offset-paginated roles listing. `most` is how many roles the listing can hold
   * (undefined: as many as Auth0's 1,000 pages reach). A page that repeats the one before stops it.
   */
  private async allRoles(
    path: string,
    scope: "read:organization_member_roles" | "read:roles",
    of: { orgId: string; userId: string; most: number | undefined },
    opts: CallOptions,
  ): Promise<Role[]> {
    const roles = new Map<string, Role>();
    // One page more than the cap needs: a role assigned while we page pushes one onto the next page.
    const maxPages = of.most === undefined ? MAX_PAGE + 1 : Math.ceil(of.most / this.pageSize) + 1;
    const beyond = (what: string) => impossibleList(path, what, of.most);
    let previous: string | undefined;
    for (let page = 0; page < maxPages; page++) {
      const body = await this.api.call({
        method: "GET",
        path,
        query: { page, per_page: this.pageSize, include_totals: true },
        mode: "idempotent",
        rateLimitGroup: scope,
        scope,
        organizationId: of.orgId,
        userId: of.userId,
        signal: opts.signal,
      });
      const { items, total } = parseRolesPage(body, path);
      if (total !== undefined && of.most !== undefined && total > of.most) {
        throw beyond(`claims a total of ${total} roles`);
      }
      const ids = items.map((role) => role.id).join("\n");
      if (page > 0 && items.length > 0 && ids === previous) {
        throw beyond(`answered page ${page} with the same roles as page ${page - 1}`);
      }
      previous = ids;
      // Keyed by id: a role assigned while we page pushes one already read onto the next page. (One
      // revoked meanwhile can pull an unread one back a page; a member holds at most 50 roles, one page.)
      for (const role of items) roles.set(role.id, role);
      if (of.most !== undefined && roles.size > of.most) throw beyond(`listed ${roles.size} roles`);
      const done = total === undefined ? items.length < this.pageSize : (page + 1) * this.pageSize >= total;
      if (done || items.length === 0) return [...roles.values()];
    }
    throw beyond(`still had roles after ${maxPages} pages of ${this.pageSize}`);
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
    const roster = new Map<string, string[]>();
    for await (const page of this.organizationMemberPages(orgId, opts)) {
      for (const member of page) roster.set(member.userId, member.roleIds);
    }
    return roster;
  }

  /**
   * The same walk, page by page (100 members each), for callers that may stop early: no page is
   * requested before the one before it has been consumed, so leaving the loop ends the walk.
   */
  async *organizationMemberPages(
    orgId: string,
    opts: MembersWalkOptions = {},
  ): AsyncGenerator<ListedMember[]> {
    const call: ApiCall = {
      method: "GET",
      path: organizationMembersPath("GET", orgId),
      query: { fields: "user_id,roles", include_fields: true },
      mode: "idempotent",
      rateLimitGroup: "read:organization_members",
      scope: "read:organization_members",
      organizationId: orgId,
      userId: "",
      signal: opts.signal,
    };
    yield* this.checkpointPages(call, parseMembersPage, opts);
  }

  /**
   * The tenant's organizations page by page (`GET /api/v2/organizations`, scope read:organizations,
   * checkpoint pagination); leaving the loop ends the walk.
   */
  async *organizationPages(opts: CallOptions = {}): AsyncGenerator<Organization[]> {
    const call: ApiCall = {
      method: "GET",
      path: "/api/v2/organizations",
      mode: "idempotent",
      rateLimitGroup: "read:organizations",
      scope: "read:organizations",
      organizationId: "",
      userId: "",
      signal: opts.signal,
    };
    yield* this.checkpointPages(call, parseOrganizationsPage, opts);
  }

  /**
   * A checkpoint-paginated listing, page by page: no page is requested before the one before it has
   * been consumed. The API hands out a cursor even with the last short page, so the walk ends on an
   * empty page; a cursor that does not advance, or more than MAX_CHECKPOINT_PAGES, is an error rather
   * than a silently short list.
   */
  private async *checkpointPages<T>(
    call: ApiCall,
    parse: (body: unknown, path: string) => CheckpointPage<T>,
    opts: MembersWalkOptions,
  ): AsyncGenerator<T[]> {
    const { path } = call;
    let from: string | undefined;
    for (let page = 0; page < MAX_CHECKPOINT_PAGES; page++) {
      if (page > 0 && opts.shouldContinue?.(page) === false) {
        throw new ManagementApiError({
          reason: "other",
          method: "GET",
          path,
          message: `GET ${path} was abandoned after ${page} pages: the organization has more members than the listing is worth reading.`,
        });
      }
      const query = { ...call.query, take: this.pageSize, ...(from === undefined ? {} : { from }) };
      const body = await this.api.call({ ...call, query });
      const { items, next } = parse(body, path);
      if (items.length > 0) yield items;
      if (items.length === 0 || next === undefined) return;
      if (next === from) break;
      from = next;
    }
    throw new ManagementApiError({
      reason: "other",
      method: "GET",
      path,
      message: `GET ${path} kept returning pages (${MAX_CHECKPOINT_PAGES} pages, or a cursor that did not advance); the listing was abandoned.`,
    });
  }

  /** One role of the tenant (`GET /api/v2/roles/{id}`, scope read:roles); undefined when it does not exist. */
  async getRole(roleId: string, opts: CallOptions = {}): Promise<Role | undefined> {
    const path = rolePath("GET", roleId);
    let body: unknown;
    try {
      body = await this.api.call({
        method: "GET",
        path,
        mode: "idempotent",
        rateLimitGroup: "read:roles",
        scope: "read:roles",
        organizationId: "",
        userId: "",
        signal: opts.signal,
      });
    } catch (error) {
      if (error instanceof ManagementApiError && error.reason === "role_not_found") return undefined;
      throw error;
    }
    return parseRoleBody(body, path);
  }

  /**
   * Assigns roles, at most 50 per call; no call for an empty list. A POST whose outcome is unknown
   * (5xx, lost connection) is settled by reading the member's roles, then sending only the missing.
   */
  assignMemberRoles(orgId: string, userId: string, roleIds: readonly string[], opts: CallOptions = {}) {
    // Auth0 does not document what re-assigning an assigned role does, so the HTTP layer repeats a
    // POST only when it had no effect (429, refused connection); see writeRolesSettlingUnknownOutcomes.
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

  /**
   * Removes roles, at most 50 per call; no call for an empty list. Roles not assigned are ignored by
   * Auth0. A DELETE still failing after its retries is settled like an assign: read, then re-send.
   */
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
    if (roleIds.length === 0) return;
    const path = memberRolesPath(method, orgId, userId);
    const write = {
      method,
      path,
      logger: this.logger,
      send: async (roles: readonly string[]) => {
        await this.api.call({
          method,
          path,
          body: { roles },
          mode,
          rateLimitGroup: "write:organization_member_roles",
          scope,
          organizationId: orgId,
          userId,
          signal: opts.signal,
        });
      },
      held: async () => new Set((await this.listMemberRoles(orgId, userId, opts)).map((role) => role.id)),
    };
    for (const roles of chunk(roleIds, MAX_ROLES_PER_CALL)) {
      await writeRolesSettlingUnknownOutcomes(write, roles);
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

/** A listing that cannot be true: stopped rather than followed. */
function impossibleList(path: string, what: string, most: number | undefined): ManagementApiError {
  const limit = most === undefined ? "" : `, more than the ${most} roles a member can hold`;
  return new ManagementApiError({
    reason: "other",
    method: "GET",
    path,
    message: `GET ${path} ${what}${limit}; the list was not trusted and paging stopped. Check that domain (AUTH0_DOMAIN) points at an Auth0 tenant, then run again.`,
  });
}

function requireInteger(field: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigurationError(
      field,
      `${field} must be a whole number from ${min} to ${max}, got ${String(value)}.`,
    );
  }
}
