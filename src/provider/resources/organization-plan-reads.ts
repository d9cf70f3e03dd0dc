/**
 * What the plan of a new `auth0roles_organization_roles` reads from the tenant: the roles each declared
 * member holds now that apply will revoke (Terraform's diff shows only `+`), members and organizations
 * that do not exist yet, and, with exclusive, the other members apply strips.
 */

import { isMembershipGone } from "../api-diagnostics";
import { attributePath, type Diagnostic, errorText, warningDiag } from "../protocol/diagnostics";
import { membersPath } from "./finding-diagnostics";
import { countMembers, MAX_MEMBER_DIAGNOSTICS, undeclaredWarning } from "./organization-roles-diagnostics";
import { forEachLimited, MEMBER_CONCURRENCY, type OrganizationRolesApi } from "./organization-sync";
import { heldRolesWarning, isAccessDenied, planReadFailure, roleNames } from "./revocation-warnings";

/** Declared members and their roles; undefined where a member's roles are not known until apply. */
export type DeclaredMembers = ReadonlyMap<string, readonly string[] | undefined>;

export interface CreatePlanInput {
  readonly organizationId: string;
  readonly members: DeclaredMembers;
  readonly exclusive: boolean;
  /** Without exclusive, the listing is read only for more members than this (else one read each). */
  readonly listingWorthFrom: number;
}

type Listing = { listed: Map<string, string[]> } | { failure: Diagnostic[] } | { fallback: unknown };

export async function createPlanDiagnostics(
  api: OrganizationRolesApi,
  input: CreatePlanInput,
  signal: AbortSignal,
): Promise<Diagnostic[]> {
  const { organizationId: org, members, exclusive } = input;
  const listing =
    exclusive || members.size > input.listingWorthFrom ? await readListing(api, org, signal) : undefined;
  if (listing && "failure" in listing) return listing.failure;
  const listed = listing && "listed" in listing ? listing.listed : undefined;
  const diagnostics: Diagnostic[] = [];
  if (exclusive) {
    const other =
      listing && "fallback" in listing
        ? uncounted(org, listing.fallback)
        : await undeclared(api, org, members, listed, signal);
    if (other) diagnostics.push(other);
  }
  return [...diagnostics, ...(await memberDiagnostics(api, org, members, listed, signal))];
}

/**
 * The organization's listing. A missing organization or rejected credentials end the plan's reads
 * there (every other read would answer the same); any other failure (a scope only the listing needs,
 * a transient one) falls back to reading each declared member.
 */
async function readListing(api: OrganizationRolesApi, org: string, signal: AbortSignal): Promise<Listing> {
  try {
    return { listed: await api.listOrganizationMemberRoles(org, { signal }) };
  } catch (error) {
    if (isMembershipGone(error) || (isAccessDenied(error) && error.reason === "unauthorized")) {
      const path = attributePath("organization_id");
      return { failure: [planReadFailure({ organizationId: org }, error, path, api.planChecks)] };
    }
    return { fallback: error };
  }
}

/**
 * With exclusive: the warning naming the members of `listed` (the organization's listing, or the
 * members a refresh found outside members) who hold roles and that `members` leaves out. Role names
 * are read only when someone loses roles.
 */
export async function undeclared(
  api: OrganizationRolesApi,
  org: string,
  members: DeclaredMembers,
  listed: ReadonlyMap<string, readonly string[]> | undefined,
  signal: AbortSignal,
): Promise<Diagnostic | undefined> {
  const holding = new Map([...(listed ?? [])].filter(([u, roles]) => roles.length > 0 && !members.has(u)));
  if (holding.size === 0) return undefined;
  return undeclaredWarning(org, holding, await roleNames(api, signal));
}

/** With exclusive: the listing could not be read, so the members apply strips are not counted. */
export function uncounted(org: string, error: unknown): Diagnostic {
  return warningDiag(
    "Exclusive: other members' roles will be revoked",
    `Apply revokes the roles of every member of ${org} not in members. They could not be counted now: ${errorText(error)}`,
    attributePath("exclusive"),
  );
}

/**
 * Per declared member: the roles apply revokes, or why they could not be read. The listing may lag,
 * so a member it shows holding more, or not at all, is confirmed on the member's own endpoint; a
 * rejected read stops the others (they would fail alike).
 */
async function memberDiagnostics(
  api: OrganizationRolesApi,
  org: string,
  members: DeclaredMembers,
  listed: Map<string, string[]> | undefined,
  signal: AbortSignal,
): Promise<Diagnostic[]> {
  const beyond = (held: readonly string[], desired: readonly string[] | undefined) =>
    held.filter((r) => !desired?.includes(r)).sort();
  const toRead = [...members].filter(([userId, desired]) => {
    const held = listed?.get(userId);
    return held === undefined || beyond(held, desired).length > 0;
  });
  const revokes: { userId: string; desired: readonly string[] | undefined; revoke: string[] }[] = [];
  const failures: Diagnostic[] = [];
  let denied: Diagnostic | undefined;
  await forEachLimited(
    toRead,
    MEMBER_CONCURRENCY,
    async ([userId, desired]) => {
      try {
        const held = (await api.listMemberRoles(org, userId, { signal })).map((r) => r.id);
        const revoke = beyond(held, desired);
        if (revoke.length > 0) revokes.push({ userId, desired, revoke });
      } catch (error) {
        const diagnostic = planReadFailure(
          { organizationId: org, userId },
          error,
          membersPath(userId),
          api.planChecks,
        );
        if (isAccessDenied(error)) denied ??= diagnostic;
        else failures.push(diagnostic);
      }
    },
    () => denied !== undefined,
  );
  if (denied) return [denied];
  if (revokes.length === 0) return capped(failures);
  const names = await roleNames(api, signal);
  const warnings = revokes
    .sort((a, b) => a.userId.localeCompare(b.userId))
    .map(({ userId, desired, revoke }) =>
      heldRolesWarning({
        organizationId: org,
        userId,
        desired,
        revoke,
        names,
        attribute: `members[${JSON.stringify(userId)}]`,
        importHint: `import the organization first (import id ${JSON.stringify(org)})`,
        path: membersPath(userId),
      }),
    );
  return capped([...warnings, ...failures]);
}

/** A plan over many members stays readable: past the cap, one warning counts the rest. */
function capped(diagnostics: Diagnostic[]): Diagnostic[] {
  if (diagnostics.length <= MAX_MEMBER_DIAGNOSTICS) return diagnostics;
  const rest = diagnostics.length - MAX_MEMBER_DIAGNOSTICS;
  return [
    ...diagnostics.slice(0, MAX_MEMBER_DIAGNOSTICS),
    warningDiag(
      `${countMembers(rest)} more with roles apply revokes or that could not be read`,
      "Only the first warnings are shown. Import the organization first to see every change as a diff.",
      attributePath("members"),
    ),
  ];
}
