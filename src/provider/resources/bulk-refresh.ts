import type { ListedMember, MembersWalkOptions, Organization, Role } from "../../management";
import { ManagementApiError } from "../../management/errors";
import type { PlanChecks } from "../plan-checks";
import type { LogFields } from "../plugin/logger";
import { errorText } from "../protocol/diagnostics";
import { sortRoles } from "./member-roles-state";
import type { GrantedScopesApi } from "./write-scopes";

type Options = { signal?: AbortSignal };

/** The Management API client calls the resource needs. */
export interface MemberRolesClient extends GrantedScopesApi {
  listMemberRoles(orgId: string, userId: string, opts?: Options): Promise<Role[]>;
  listOrganizationMemberRoles(orgId: string, opts?: MembersWalkOptions): Promise<Map<string, string[]>>;
  organizationMemberPages(orgId: string, opts?: MembersWalkOptions): AsyncIterable<ListedMember[]>;
  organizationPages(opts?: Options): AsyncIterable<Organization[]>;
  assignMemberRoles(orgId: string, userId: string, roleIds: readonly string[], opts?: Options): Promise<void>;
  removeMemberRoles(orgId: string, userId: string, roleIds: readonly string[], opts?: Options): Promise<void>;
  listRoles(opts?: Options): Promise<Role[]>;
}

/**
 * Per-member reads of more than this many members of one organization in one process switch to one
 * read of the organization's member list: below it, the listing (at least two calls, one of them
 * for the empty last page) would cost as much as it saves.
 */
export const BULK_THRESHOLD = 4;

/**
 * Pages of the listing worth reading per refresh of the organization that asked for it (the count
 * grows while the walk runs, as reads queue behind it). Past that the organization is much larger
 * than what this configuration manages - 5 members of 50,000 would otherwise cost 500 pages instead
 * of 5 calls - and the walk is abandoned for per-member reads, bounding the waste to this factor.
 */
export const PAGES_PER_REFRESH = 4;

/** What one organization's refreshes share in this process. */
interface OrganizationReads {
  /** Reads that arrived so far. */
  reads: number;
  /** The member list with roles, loading or loaded; undefined when it failed (we then read per member). */
  roster: Promise<Map<string, string[]> | undefined> | undefined;
  /** Why the listing failed, once it has. */
  failure?: unknown;
}

/**
 * The tenant calls of the resource, plus `refreshRoles`: a member's roles for a refresh (ReadResource),
 * answered from one listing of the organization's members with their roles when many members of the
 * organization are refreshed in this process (a plan of hundreds of resources otherwise makes hundreds
 * of calls against a 200-per-minute limit).
 *
 * The listing only ever confirms what the state already says; whenever it cannot, the member is read
 * on its own (the authoritative endpoint, as without bulk refresh):
 * - the listing DISAGREES with the prior state: that is either drift or the listing lagging behind a
 *   recent change (it is eventually consistent, and our own apply may have just changed the member);
 *   only the member's own endpoint can tell, so a difference is never reported from the listing;
 * - the member is missing from the listing: a fresh membership may not be listed yet;
 * - there is no prior set to compare with (right after an import);
 * - the listing failed, e.g. the credentials lack read:organization_members: logged at debug, and
 *   every member of that organization is read on its own for the rest of the process.
 * Auth0 does not document that the listing names every role of a member, so a role it left out that
 * the state also lacks would go unnoticed; the emulator and the recorded API list them all.
 *
 * Nothing outlives the process (one Terraform command), and any write to an organization drops its
 * listing, so a listing never answers for a state older than this command's own changes.
 */
export class MemberRolesService {
  private readonly organizations = new Map<string, OrganizationReads>();
  private tenantRoles: Promise<Role[]> | undefined;
  private wrote = false;

  constructor(
    private readonly client: MemberRolesClient,
    private readonly options: {
      bulkRefresh: boolean;
      debug: (message: string, fields: LogFields) => void;
      planChecks: PlanChecks;
    },
  ) {}

  /**
   * The provider's plan_checks, its default already applied by resolveProviderSettings: whether a
   * plan fails for a membership that does not exist yet.
   */
  get planChecks(): PlanChecks {
    return this.options.planChecks;
  }

  grantedScopes(opts?: Options): ReturnType<GrantedScopesApi["grantedScopes"]> {
    return this.client.grantedScopes(opts);
  }

  /** Authoritative: the member's own endpoint. Create and update diff against this. */
  listMemberRoles(orgId: string, userId: string, opts?: Options): Promise<Role[]> {
    return this.client.listMemberRoles(orgId, userId, opts);
  }

  /** The organization's members with their roles, for the whole-organization resource (never cached). */
  listOrganizationMemberRoles(orgId: string, opts?: MembersWalkOptions): Promise<Map<string, string[]>> {
    return this.client.listOrganizationMemberRoles(orgId, opts);
  }

  /** The same listing page by page, for `list` blocks: leaving the loop ends the walk (never cached). */
  organizationMemberPages(orgId: string, opts?: MembersWalkOptions): AsyncIterable<ListedMember[]> {
    return this.client.organizationMemberPages(orgId, opts);
  }

  /** The tenant's organizations page by page, for `list` blocks (never cached). */
  organizationPages(opts?: Options): AsyncIterable<Organization[]> {
    return this.client.organizationPages(opts);
  }

  /**
   * Every role of the tenant, read once per process (one Terraform command): the roles data source
   * and the names in plan warnings share it. A failure (e.g. no read:roles scope) is kept too, but
   * not one of the first caller's own making (its deadline passed, or it was cancelled): the next
   * caller, with time of its own, reads again.
   */
  listRoles(opts?: Options): Promise<Role[]> {
    if (!this.tenantRoles) {
      const listing = this.client.listRoles(opts);
      this.tenantRoles = listing;
      listing.catch((error: unknown) => {
        const stopped =
          isDeadline(error) || (error instanceof ManagementApiError && error.reason === "cancelled");
        if (stopped && this.tenantRoles === listing) this.tenantRoles = undefined;
      });
    }
    return this.tenantRoles;
  }

  async assignMemberRoles(orgId: string, userId: string, roleIds: readonly string[], opts?: Options) {
    await this.writing(orgId, () => this.client.assignMemberRoles(orgId, userId, roleIds, opts));
  }

  async removeMemberRoles(orgId: string, userId: string, roleIds: readonly string[], opts?: Options) {
    await this.writing(orgId, () => this.client.removeMemberRoles(orgId, userId, roleIds, opts));
  }

  /**
   * The member's role ids for a refresh. `expected` is the set in the prior state (undefined when
   * there is none to compare with); the listing may only confirm it.
   */
  async refreshRoles(
    orgId: string,
    userId: string,
    expected: readonly string[] | undefined,
    opts?: Options,
  ): Promise<string[]> {
    // Without a prior set (just imported) the listing could confirm nothing: do not count the read toward it.
    const listed =
      this.options.bulkRefresh && expected !== undefined ? await this.listed(orgId, userId, opts) : undefined;
    if (listed !== undefined && expected !== undefined && sameSet(listed, expected)) return listed;
    if (listed !== undefined) {
      this.options.debug("member list differs from state; reading the member's roles to confirm", {
        organization_id: orgId,
        user_id: userId,
      });
    }
    try {
      return (await this.client.listMemberRoles(orgId, userId, opts)).map((r) => r.id);
    } catch (error) {
      // When the listing spent the operation's time, its failure says what happened; this one would
      // only say that nothing was left.
      const failure = this.organizations.get(orgId)?.failure;
      if (isDeadline(error) && isDeadline(failure)) throw failure;
      throw error;
    }
  }

  /**
   * For a plan: the roles the member holds now that `desired` lacks (every role held when `desired`
   * is not known yet), i.e. what an apply would revoke. The organization's listing, once many members
   * of it are read, may only confirm that there are none; any it shows are confirmed on the member's
   * own endpoint, so a revocation is never reported from the listing alone. undefined: not checked.
   */
  async heldBeyond(
    orgId: string,
    userId: string,
    desired: readonly string[] | undefined,
    opts?: Options,
  ): Promise<string[] | undefined> {
    // A process that has written serves Terraform's apply, which plans each resource again right
    // before applying it: that plan was shown already, and reading for it between writes would
    // reload the organization's listing after every write.
    if (this.wrote) return undefined;
    const beyond = (held: readonly string[]) => sortRoles(held.filter((r) => !desired?.includes(r)));
    const listed = this.options.bulkRefresh ? await this.listed(orgId, userId, opts) : undefined;
    if (listed !== undefined && beyond(listed).length === 0) return [];
    return beyond((await this.client.listMemberRoles(orgId, userId, opts)).map((r) => r.id));
  }

  /** The member's roles from the organization's listing, once enough reads asked; undefined = read per member. */
  private async listed(orgId: string, userId: string, opts?: Options): Promise<string[] | undefined> {
    let org = this.organizations.get(orgId);
    if (!org) {
      org = { reads: 0, roster: undefined };
      this.organizations.set(orgId, org);
    }
    org.reads++;
    if (org.roster === undefined && org.reads <= BULK_THRESHOLD) return undefined;
    const asking = org;
    const mine = org.roster === undefined;
    org.roster ??= this.loadRoster(org, orgId, {
      ...opts,
      shouldContinue: (pagesRead) => pagesRead < PAGES_PER_REFRESH * asking.reads,
    });
    // A listing this read started ends with this read's signal. Another read's listing has that
    // read's deadline: this read stops waiting at its own.
    const roster = mine ? await org.roster : await untilAborted(org.roster, opts?.signal);
    // A write since the listing was asked for drops it: the roster then describes an older tenant.
    if (this.organizations.get(orgId) !== org || roster === undefined) return undefined;
    return roster.get(userId);
  }

  private async loadRoster(
    org: OrganizationReads,
    orgId: string,
    opts: MembersWalkOptions,
  ): Promise<Map<string, string[]> | undefined> {
    try {
      const roster = await this.client.listOrganizationMemberRoles(orgId, opts);
      this.options.debug("read the organization's members with their roles", {
        organization_id: orgId,
        members: roster.size,
      });
      return roster;
    } catch (error) {
      org.failure = error;
      this.options.debug("could not list the organization's members; reading each member's roles instead", {
        organization_id: orgId,
        error: errorText(error),
      });
      return undefined;
    }
  }

  /** Drops the organization's listing before and after the write: a listing read meanwhile may predate it. */
  private async writing(orgId: string, write: () => Promise<void>): Promise<void> {
    this.wrote = true;
    this.forget(orgId);
    try {
      await write();
    } finally {
      this.forget(orgId);
    }
  }

  private forget(orgId: string): void {
    const org = this.organizations.get(orgId);
    // A fresh entry keeps the read count: this process still refreshes many members of it.
    if (org) this.organizations.set(orgId, { reads: org.reads, roster: undefined });
  }
}

/** `work`'s value, or undefined once `signal` fires (the caller's next call then fails with its reason). */
function untilAborted<T>(
  work: Promise<T | undefined>,
  signal: AbortSignal | undefined,
): Promise<T | undefined> {
  if (!signal) return work;
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const stop = (): void => resolve(undefined);
    signal.addEventListener("abort", stop, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", stop);
        resolve(value);
      },
      () => {
        signal.removeEventListener("abort", stop);
        resolve(undefined);
      },
    );
  });
}

function isDeadline(error: unknown): boolean {
  return error instanceof ManagementApiError && error.reason === "deadline_exceeded";
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = sortRoles(a);
  const right = sortRoles(b);
  return left.length === right.length && left.every((role, i) => role === right[i]);
}
