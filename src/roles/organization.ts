import { diffRoles, orderRoleChanges } from "./diff";

/** Role ids per user id: one organization's members as declared, stored or read. */
export type MemberRolesMap = ReadonlyMap<string, readonly string[]>;

/** One write to one member: grant or revoke these roles (the API client chunks them by 50). */
export interface MemberStep {
  readonly action: "grant" | "revoke";
  readonly roles: readonly string[];
}

/**
 * The writes that turn `current` into `desired` for one member, in order. Grants go first, so a bad
 * role id fails before anything is revoked and the member never holds less than both sets share.
 * Only where the grants would push the member past Auth0's 50-role cap are just enough of the
 * revocations done first to make room.
 */
export function memberSteps(current: Iterable<string>, desired: Iterable<string>): MemberStep[] {
  const held = new Set(current);
  const { revokeFirst, grant, revokeAfter } = orderRoleChanges(held, diffRoles(held, desired));
  const steps: MemberStep[] = [];
  if (revokeFirst.length > 0) steps.push({ action: "revoke", roles: revokeFirst });
  if (grant.length > 0) steps.push({ action: "grant", roles: grant });
  if (revokeAfter.length > 0) steps.push({ action: "revoke", roles: revokeAfter });
  return steps;
}

/** Same members of a set, whatever the order or repetitions. */
function sameRoles(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((role) => right.has(role));
}

/** What a refresh of the organization learned from its member listing. */
export interface ListingCheck {
  /** Members whose roles the listing confirmed, with those roles. */
  readonly confirmed: Map<string, string[]>;
  /** Members the listing could not confirm: read each on its own endpoint. */
  readonly toConfirm: string[];
}

/**
 * Compares the organization's member listing with what the state says. The listing may only confirm:
 * it is eventually consistent, so where it disagrees with the state (or leaves a member out) the
 * difference may be drift or lag, and only the member's own endpoint can tell.
 *
 * `declared` are the members of `members` in state. With `exclusive`, every other member must hold
 * no roles: `undeclared` are those the state knows to hold some, and any other member the listing
 * shows holding roles is checked too (the state expects none for them).
 */
export function checkListing(input: {
  readonly declared: MemberRolesMap;
  readonly undeclared: MemberRolesMap;
  readonly exclusive: boolean;
  readonly listed: MemberRolesMap;
}): ListingCheck {
  const confirmed = new Map<string, string[]>();
  const toConfirm: string[] = [];
  const check = (userId: string, expected: readonly string[]) => {
    const listed = input.listed.get(userId);
    if (listed !== undefined && sameRoles(listed, expected)) confirmed.set(userId, [...listed]);
    else toConfirm.push(userId);
  };
  for (const [userId, roles] of input.declared) check(userId, roles);
  if (input.exclusive) {
    for (const [userId, roles] of input.undeclared) if (!input.declared.has(userId)) check(userId, roles);
    for (const [userId, roles] of input.listed) {
      if (roles.length === 0 || input.declared.has(userId) || input.undeclared.has(userId)) continue;
      check(userId, []);
    }
  }
  return { confirmed, toConfirm };
}

/** One member whose roles an apply must change, with what the state believes they hold. */
export interface MemberChange {
  readonly userId: string;
  /** Roles held as far as the state or listing knows; undefined = not known, read the member first. */
  readonly believed: readonly string[] | undefined;
  readonly desired: readonly string[];
  /**
   * "declared": in `members`; "removed": in `members` of the prior state only (its roles are revoked,
   * like destroying a per-member resource); "undeclared": any other member, whose roles exclusive
   * mode revokes.
   */
  readonly kind: "declared" | "removed" | "undeclared";
}

/**
 * The members an apply must touch. `desired` is `members` as planned; `known` is what the prior state
 * (or, where it has none, the organization's listing) says each member holds. A member is touched
 * when that differs from what is desired, or is not known; a member removed from `members` and, with
 * `exclusive`, any other member known to hold roles, is desired to hold none.
 */
export function membersToChange(input: {
  readonly desired: MemberRolesMap;
  readonly known: MemberRolesMap;
  /** Members in `members` of the prior state: removing one from `members` revokes its roles. */
  readonly previouslyDeclared: ReadonlySet<string>;
  readonly exclusive: boolean;
}): MemberChange[] {
  const changes: MemberChange[] = [];
  for (const [userId, desired] of input.desired) {
    const believed = input.known.get(userId);
    if (believed === undefined || !sameRoles(believed, desired)) {
      changes.push({ userId, believed, desired, kind: "declared" });
    }
  }
  const others = new Set([...input.previouslyDeclared, ...(input.exclusive ? input.known.keys() : [])]);
  for (const userId of others) {
    if (input.desired.has(userId)) continue;
    const believed = input.known.get(userId);
    if (believed !== undefined && believed.length === 0) continue;
    const kind = input.previouslyDeclared.has(userId) ? "removed" : "undeclared";
    changes.push({ userId, believed, desired: [], kind });
  }
  return changes;
}
