import type { MembersWalkOptions, Organization, Role } from "../../management";
import { checkListing, type MemberChange, type MemberRolesMap, memberSteps } from "../../roles";
import { isMembershipGone } from "../api-diagnostics";
import type { PlanChecks } from "../plan-checks";
import { sortRoles } from "./member-roles-state";
import type { GrantedScopesApi } from "./write-scopes";

type Options = { signal?: AbortSignal };

/** The Management API calls the whole-organization resource makes. */
export interface OrganizationRolesApi extends GrantedScopesApi {
  /** The provider's plan_checks (default "warn"). */
  readonly planChecks?: PlanChecks;
  /** Every member with the ids of their roles: one walk of the members listing (eventually consistent). */
  listOrganizationMemberRoles(orgId: string, opts?: MembersWalkOptions): Promise<Map<string, string[]>>;
  /** Authoritative: the member's own roles endpoint. */
  listMemberRoles(orgId: string, userId: string, opts?: Options): Promise<Role[]>;
  assignMemberRoles(orgId: string, userId: string, roleIds: readonly string[], opts?: Options): Promise<void>;
  removeMemberRoles(orgId: string, userId: string, roleIds: readonly string[], opts?: Options): Promise<void>;
  /** Every role of the tenant, for names in plan warnings. */
  listRoles(opts?: Options): Promise<Role[]>;
  /** The tenant's organizations, a page at a time, for `list` blocks. */
  organizationPages(opts?: Options): AsyncIterable<Organization[]>;
}

/**
 * Members worked on at once. The pacer spaces the calls under the tenant's limits; this only keeps
 * enough of them queued to use the allowed rate (each member is a read, then one or two writes)
 * without holding thousands of requests in the pacer's queue, where their retry deadlines would run.
 */
export const MEMBER_CONCURRENCY = 16;

/**
 * Runs `work` over `items`, at most `limit` at once, in order. Once `stop()` is true no further item
 * starts (those in flight finish); the result says which items never started.
 */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
  stop: () => boolean = () => false,
): Promise<{ notStarted: T[] }> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !stop()) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return { notStarted: items.slice(next) };
}

/** A member's roles from its own endpoint; a user who is gone or no longer a member holds none. */
export async function rolesHeld(
  api: OrganizationRolesApi,
  orgId: string,
  userId: string,
  signal: AbortSignal,
): Promise<string[]> {
  try {
    return (await api.listMemberRoles(orgId, userId, { signal })).map((r) => r.id);
  } catch (error) {
    if (isMembershipGone(error) && error.reason !== "organization_not_found") return [];
    throw error;
  }
}

/**
 * Refreshes the members the state tracks from one listing of the organization, reading on its own
 * endpoint each member the listing cannot confirm (see checkListing). `listed` is undefined when the
 * listing was not read; then every declared member is read on its own.
 */
export async function confirmMembers(
  api: OrganizationRolesApi,
  input: {
    orgId: string;
    declared: MemberRolesMap;
    undeclared: MemberRolesMap;
    exclusive: boolean;
    listed: MemberRolesMap | undefined;
  },
  signal: AbortSignal,
): Promise<{ roles: Map<string, string[]>; confirmedOnTheirOwn: number }> {
  const { confirmed, toConfirm } = input.listed
    ? checkListing({ ...input, listed: input.listed })
    : { confirmed: new Map<string, string[]>(), toConfirm: [...input.declared.keys()] };
  let failure: unknown;
  await forEachLimited(
    toConfirm,
    MEMBER_CONCURRENCY,
    async (userId) => {
      try {
        confirmed.set(userId, await rolesHeld(api, input.orgId, userId, signal));
      } catch (error) {
        failure ??= error;
      }
    },
    () => failure !== undefined,
  );
  if (failure !== undefined) throw failure;
  return { roles: confirmed, confirmedOnTheirOwn: toConfirm.length };
}

/** What became of one member an apply had to change. */
export type ChangeOutcome =
  | { readonly change: MemberChange; readonly ok: true }
  /** `held`: what the tenant holds after the failure (read back), or every role it may hold. */
  | { readonly change: MemberChange; readonly ok: false; readonly error: unknown; readonly held: string[] };

/**
 * Failures that say nothing about the member at hand (credentials, scopes, the tenant refusing or
 * unreachable, cancellation): the next member would fail the same way, so no further one is started.
 */
function stopsTheRun(error: unknown): boolean {
  const reason = (error as { reason?: unknown }).reason;
  return !(
    reason === "role_not_found" ||
    reason === "too_many_roles" ||
    reason === "not_a_member" ||
    reason === "user_not_found" ||
    reason === "invalid_request"
  );
}

/**
 * Applies each change the way the per-member resource does: the member's own roles read first (never
 * the listing, which may lag), then grants before revokes where the 50-role cap allows. Members are
 * independent: one member's failure (an unknown role id, the cap) does not stop the others; a failure
 * of the run itself (scope, credentials, cancellation) stops starting new ones.
 */
export async function applyChanges(
  api: OrganizationRolesApi,
  orgId: string,
  changes: readonly MemberChange[],
  signal: AbortSignal,
): Promise<{ outcomes: ChangeOutcome[]; notStarted: MemberChange[] }> {
  const outcomes: ChangeOutcome[] = [];
  let stopped = false;
  const { notStarted } = await forEachLimited(
    changes,
    MEMBER_CONCURRENCY,
    async (change) => {
      let current: string[] | undefined;
      try {
        current = await rolesHeld(api, orgId, change.userId, signal);
        for (const step of memberSteps(current, change.desired)) {
          if (step.action === "grant")
            await api.assignMemberRoles(orgId, change.userId, step.roles, { signal });
          else await api.removeMemberRoles(orgId, change.userId, step.roles, { signal });
        }
        outcomes.push({ change, ok: true });
      } catch (error) {
        if (stopsTheRun(error)) stopped = true;
        const held = await readBack(api, orgId, change, current, signal);
        outcomes.push({ change, ok: false, error, held });
      }
    },
    () => stopped || signal.aborted,
  );
  return { outcomes, notStarted };
}

/**
 * After a failure: what the member really holds. If that cannot be read either, every role the member
 * may hold (held before, or being granted): an extra role in state is revoked by the next apply, a
 * missing one would be kept silently.
 */
async function readBack(
  api: OrganizationRolesApi,
  orgId: string,
  change: MemberChange,
  current: readonly string[] | undefined,
  signal: AbortSignal,
): Promise<string[]> {
  try {
    return await rolesHeld(api, orgId, change.userId, signal);
  } catch {
    return sortRoles([...(current ?? change.believed ?? []), ...change.desired]);
  }
}

/** Revokes the given roles of each member (destroy); members already gone count as done. */
export async function revokeAll(
  api: OrganizationRolesApi,
  orgId: string,
  members: MemberRolesMap,
  signal: AbortSignal,
): Promise<{ failures: { userId: string; error: unknown }[]; notStarted: number }> {
  const failures: { userId: string; error: unknown }[] = [];
  const holding = [...members].filter(([, roles]) => roles.length > 0);
  const { notStarted } = await forEachLimited(
    holding,
    MEMBER_CONCURRENCY,
    async ([userId, roles]) => {
      try {
        await api.removeMemberRoles(orgId, userId, roles, { signal });
      } catch (error) {
        if (!isMembershipGone(error)) failures.push({ userId, error });
      }
    },
    () => failures.some((f) => stopsTheRun(f.error)) || signal.aborted,
  );
  return { failures, notStarted: notStarted.length };
}
