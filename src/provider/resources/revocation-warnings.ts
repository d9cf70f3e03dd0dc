/**
 * No hidden revocation: a create makes the configuration authoritative for a member who may hold
 * roles already, and Terraform's plan shows only `+ roles`. These warnings say, in the plan, which
 * roles apply will revoke.
 */

import type { Role } from "../../management";
import { ManagementApiError } from "../../management/errors";
import { failureDiagnostic, isMembershipGone } from "../api-diagnostics";
import type { ModifyPlanRequest, ProviderContext } from "../framework";
import { PLAN_CHECKS_DEFAULT, type PlanChecks } from "../plan-checks";
import {
  type AttributePath,
  attributePath,
  type Diagnostic,
  errorDiag,
  errorText,
  warningDiag,
} from "../protocol/diagnostics";
import { knownIdentity, knownRoles, memberRolesId } from "./member-roles-state";
import { counted } from "./message-lists";
import type { MemberRolesApi } from "./organization-member-roles";

type Ctx = ProviderContext<MemberRolesApi>;

export async function revocationWarnings(req: ModifyPlanRequest, ctx: Ctx): Promise<Diagnostic[]> {
  const identity = knownIdentity(req.planned);
  if (!identity) return [];
  const desired = knownRoles(req.planned.roles);
  if (req.prior === null || req.replacing) return createWarnings(identity, desired, ctx);
  if (!req.imported || desired === undefined) return [];
  return importWarnings(identity, knownRoles(req.prior.roles) ?? [], desired, ctx);
}

/**
 * The prior state was read from the tenant right after the import: what apply revokes is in the diff
 * already, as removals from roles. The warning adds only what the diff cannot say.
 */
async function importWarnings(
  identity: { organizationId: string; userId: string },
  held: readonly string[],
  desired: readonly string[],
  ctx: Ctx,
): Promise<Diagnostic[]> {
  const revoke = held.filter((r) => !desired.includes(r));
  if (revoke.length === 0) return [];
  const names = await roleNames(ctx.api(), ctx.signal());
  const them = revoke.length === 1 ? "it" : "them";
  return [
    warningDiag(
      `Apply revokes ${counted(revoke.length, "role")} ${identity.userId} holds today`,
      `This import adopts ${identity.userId} in ${identity.organizationId}, and roles does not list ` +
        `${listNames(revoke, names)}, which they hold now: apply revokes ${them} (the removals from roles ` +
        `above). Add ${them} to roles to keep ${them}.${names.note}`,
      attributePath("roles"),
    ),
  ];
}

async function createWarnings(
  identity: { organizationId: string; userId: string },
  desired: string[] | undefined,
  ctx: Ctx,
): Promise<Diagnostic[]> {
  const { organizationId, userId } = identity;
  let revoke: string[] | undefined;
  try {
    revoke = await ctx.api().heldBeyond(organizationId, userId, desired, { signal: ctx.signal() });
  } catch (error) {
    return [planReadFailure({ organizationId, userId }, error, attributePath("roles"), planChecksOf(ctx))];
  }
  if (revoke === undefined || revoke.length === 0) return [];
  const names = await roleNames(ctx.api(), ctx.signal());
  return [
    heldRolesWarning({
      organizationId,
      userId,
      desired,
      revoke,
      names,
      attribute: "roles",
      importHint: `import the member first (import id ${JSON.stringify(memberRolesId(organizationId, userId))})`,
      path: attributePath("roles"),
    }),
  ];
}

/**
 * The warning of a create that makes the configuration authoritative for a member holding roles it
 * does not list (shared by both resources). `attribute` names where the member's roles are declared.
 */
export function heldRolesWarning(input: {
  organizationId: string;
  userId: string;
  desired: readonly string[] | undefined;
  revoke: readonly string[];
  names: RoleNames;
  attribute: string;
  importHint: string;
  path: AttributePath;
}): Diagnostic {
  const { organizationId, userId, desired, revoke, names, attribute } = input;
  const them = revoke.length === 1 ? "it" : "them";
  const why =
    desired === undefined
      ? `${attribute} is not known until apply; apply revokes each of these that it does not list`
      : `${attribute} does not list ${revoke.length === 1 ? "this role" : "these roles"}, so apply revokes ${them}`;
  return warningDiag(
    `Apply ${desired === undefined ? "may revoke" : "revokes"} ${counted(revoke.length, "role")} ${userId} holds today`,
    `Creating this resource makes the configuration authoritative for ${userId} in ${organizationId}, ` +
      `who holds ${listEntries(revoke, names)} now: ${why}. The diff does not show this. To keep ` +
      `${them}, add ${them} to ${attribute}, or ${input.importHint} to see the change as a diff.${names.note}`,
    input.path,
  );
}

/**
 * A plan-time read of what a member holds failed. Credentials or a scope the resource needs will fail
 * apply the same way, so they are errors (a CI plan must not pass with broken credentials). A missing
 * organization or membership is a warning by default: another resource of the same apply may create it
 * first; the provider's plan_checks = "error" makes it an error. Anything else (5xx, timeouts) may pass
 * by apply: a warning.
 */
export function planReadFailure(
  subject: { organizationId: string; userId?: string },
  error: unknown,
  path: AttributePath,
  checks?: PlanChecks,
): Diagnostic {
  const { organizationId, userId } = subject;
  // One member "holds"; the members of an organization "hold".
  const whoHolds = userId === undefined ? `the members of ${organizationId} hold` : `${userId} holds`;
  if (isAccessDenied(error)) {
    return { ...failureDiagnostic(`Could not read the roles ${whoHolds}`, error), attribute: path };
  }
  if (isMembershipGone(error)) return membershipMissing(subject, error, path, checks ?? PLAN_CHECKS_DEFAULT);
  const reason = errorText(error);
  return warningDiag(
    `Could not check which roles ${whoHolds} now`,
    `Creating this resource revokes every role ${whoHolds} in ${organizationId} that the configuration does not ` +
      `list, and the provider could not read them to tell you which: ${reason}`,
    path,
  );
}

/** The provider's plan_checks; undefined (the default) where it is not configured. */
export function planChecksOf(ctx: { api(): { readonly planChecks?: PlanChecks } }): PlanChecks | undefined {
  try {
    return ctx.api().planChecks;
  } catch {
    return undefined;
  }
}

/** What is missing when the Management API answers that a membership is gone, e.g. `Organization org_… does not exist`. */
export function membershipGoneSummary(
  subject: { organizationId: string; userId?: string },
  error: ManagementApiError,
): string {
  const { organizationId, userId } = subject;
  if (error.reason === "organization_not_found") return `Organization ${organizationId} does not exist`;
  if (error.reason === "user_not_found")
    return `${userId === undefined ? "The user" : `User ${userId}`} does not exist`;
  return `${userId ?? "The user"} is not a member of ${organizationId}`;
}

/** The organization or the membership does not exist (yet): see planReadFailure. */
function membershipMissing(
  subject: { organizationId: string; userId?: string },
  error: ManagementApiError,
  path: AttributePath,
  checks: PlanChecks,
): Diagnostic {
  const { organizationId, userId } = subject;
  const who = userId ?? "each member";
  const orgGone = error.reason === "organization_not_found";
  const userGone = error.reason === "user_not_found";
  const summary = membershipGoneSummary(subject, error);
  const firstCreate = orgGone
    ? `the organization is created and ${who} added to it first (e.g. by the official provider's auth0_organization and auth0_organization_member)`
    : userGone
      ? `the user is created and added to ${organizationId} first (e.g. by the official provider's auth0_user and auth0_organization_member)`
      : `${who} is added to ${organizationId} first`;
  const expected = orgGone || userGone ? "" : ", e.g. by the official provider's auth0_organization_member";
  const check = orgGone
    ? "check organization_id and domain (AUTH0_DOMAIN)"
    : "check user_id and organization_id";
  const setting =
    checks === "error"
      ? 'The provider\'s plan_checks = "error" makes this fail the plan.'
      : 'Set plan_checks = "error" in the provider block to fail plans for this instead.';
  const detail =
    `${summary} now, so apply fails unless ${firstCreate}. That is expected when this configuration ` +
    `creates the membership in the same apply${expected}: make this resource depend on it (a reference or ` +
    `depends_on) so that Terraform creates it first. Otherwise ${check}. ${setting}`;
  return checks === "error" ? errorDiag(summary, detail, path) : warningDiag(summary, detail, path);
}

/** Credentials rejected, or a scope the read needs is missing: not transient. */
export function isAccessDenied(error: unknown): error is ManagementApiError {
  return (
    error instanceof ManagementApiError &&
    (error.reason === "unauthorized" || error.reason === "insufficient_scope")
  );
}

export interface RoleNames {
  readonly of: ReadonlyMap<string, string>;
  /** Said at the end of the warning when names could not be read. */
  readonly note: string;
}

/** Role names from the tenant's role listing (read once per process), or ids with a note without read:roles. */
export async function roleNames(
  api: { listRoles(opts?: { signal?: AbortSignal }): Promise<Role[]> },
  signal: AbortSignal,
): Promise<RoleNames> {
  try {
    const roles = await api.listRoles({ signal });
    return {
      of: new Map(roles.flatMap((r) => (r.name === undefined ? [] : [[r.id, r.name] as const]))),
      note: "",
    };
  } catch {
    return {
      of: new Map(),
      note: " (Role names need the Management API scope read:roles; without it the roles are shown by id.)",
    };
  }
}

/** `billing (rol_…)`, or the id alone when the name is unknown. */
export function listEntries(ids: readonly string[], names: RoleNames): string {
  return ids.map((id) => (names.of.has(id) ? `${names.of.get(id)} (${id})` : id)).join(", ");
}

/** Names only, where known: the ids are in the diff already. */
function listNames(ids: readonly string[], names: RoleNames): string {
  return ids.map((id) => names.of.get(id) ?? id).join(", ");
}
