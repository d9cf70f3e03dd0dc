import { forEachLimited } from "../provider/resources/organization-sync";
import { type ExclusiveScan, KNOWN_AFTER_APPLY, type MemberChange } from "./plan";
import { CONCURRENCY, type TenantReader } from "./tenant";

/** Past this many creates in one organization, one walk of its members listing beats a read per member. */
const LISTING_THRESHOLD = 20;

export function isCreate(c: MemberChange): boolean {
  return c.action === "create" || (c.action === "replace" && c.phase === "create");
}

export interface HeldRoles {
  /** What each created member holds today; null: not a member yet. Absent: not read. */
  held: Map<MemberChange, string[] | null>;
  /** Members an exclusive organization resource does not declare but who hold roles, found by listing. */
  unlisted: MemberChange[];
}

/**
 * Reads what the members that creates take over hold today: the roles Terraform's plan cannot show
 * being revoked. One organization's members come from its listing when it is exclusive (the listing
 * is the only way to find members the configuration does not name) or has many creates; otherwise
 * from each member's own endpoint.
 */
export async function readHeldRoles(
  changes: readonly MemberChange[],
  exclusiveScans: readonly ExclusiveScan[],
  tenant: TenantReader,
  notes: string[],
): Promise<HeldRoles> {
  const held = new Map<MemberChange, string[] | null>();
  const unlisted: MemberChange[] = [];
  const unknownIds = changes.filter(
    (c) => isCreate(c) && (c.organizationId === KNOWN_AFTER_APPLY || c.userId === KNOWN_AFTER_APPLY),
  );
  for (const c of unknownIds) {
    notes.push(
      `${c.address}: the member is known only after apply, so the roles it holds today could not be read.`,
    );
  }
  const creates = changes.filter((c) => isCreate(c) && !unknownIds.includes(c));
  if (creates.length === 0 && exclusiveScans.length === 0) return { held, unlisted };
  if (tenant.unavailable) {
    if (creates.length > 0) {
      const who = creates.length === 1 ? "member" : `${creates.length} members`;
      notes.push(
        `Roles held today by the ${who} this plan creates were not read (${tenant.unavailable}), so roles apply revokes from them are not shown.`,
      );
    }
    for (const e of exclusiveScans) {
      notes.push(
        `${e.address} revokes the roles of every member of ${e.organizationId} it does not declare; who they are was not read (${tenant.unavailable}).`,
      );
    }
    return { held, unlisted };
  }
  const failures: string[] = [];
  const perMember: MemberChange[] = [];
  for (const [organizationId, orgCreates] of groupBy(creates, (c) => c.organizationId)) {
    const exclusive = exclusiveScans.filter((e) => e.organizationId === organizationId);
    if (exclusive.length === 0 && orgCreates.length <= LISTING_THRESHOLD) {
      perMember.push(...orgCreates);
      continue;
    }
    try {
      const roster = await tenant.organizationRoles(organizationId);
      for (const c of orgCreates) held.set(c, roster.get(c.userId) ?? null);
      for (const e of exclusive) unlisted.push(...unlistedMembers(e, changes, roster, held));
    } catch (error) {
      if (exclusive.length > 0) {
        failures.push(
          `the members of ${organizationId} (${exclusive.map((e) => e.address).join(", ")}): ${(error as Error).message}`,
        );
      }
      perMember.push(...orgCreates);
    }
  }
  for (const e of exclusiveScans) {
    // An exclusive resource that lists nobody has no create entries to group by.
    if (creates.some((c) => c.organizationId === e.organizationId)) continue;
    try {
      unlisted.push(...unlistedMembers(e, changes, await tenant.organizationRoles(e.organizationId), held));
    } catch (error) {
      failures.push(`the members of ${e.organizationId} (${e.address}): ${(error as Error).message}`);
    }
  }
  await forEachLimited(perMember, CONCURRENCY, async (c) => {
    try {
      held.set(c, await tenant.memberRoles(c.organizationId, c.userId));
    } catch (error) {
      failures.push(`${c.address} (${c.userId}): ${(error as Error).message}`);
    }
  });
  if (failures.length > 0)
    notes.push(`Roles held today could not be read for: ${failures.sort().join("; ")}`);
  return { held, unlisted };
}

function unlistedMembers(
  e: ExclusiveScan,
  changes: readonly MemberChange[],
  roster: ReadonlyMap<string, string[]>,
  held: Map<MemberChange, string[] | null>,
): MemberChange[] {
  const declared = new Set(changes.filter((c) => c.address === e.address).map((c) => c.userId));
  return [...roster]
    .filter(([userId, roles]) => !declared.has(userId) && roles.length > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([userId, roles]) => {
      const change: MemberChange = {
        address: e.address,
        action: e.action,
        organizationId: e.organizationId,
        userId,
        before: null,
        after: [],
        undeclared: true,
        organizationResource: true,
      };
      held.set(change, roles);
      return change;
    });
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
