import { diffRoles } from "../roles";
import { isCreate, readHeldRoles } from "./held-roles";
import type { MemberChange, MemberDrift, PlannedAction, ReadPlan } from "./plan";
import type { TenantReader } from "./tenant";

/** A role as the reader sees it; `name` is null where the tenant could not say. */
export interface RoleRef {
  id: string;
  name: string | null;
}

export interface ChangeSummary {
  address: string;
  action: PlannedAction;
  /** Only on replacements: the member losing the resource, or the one gaining it. */
  phase?: "destroy" | "create";
  /** Only for members an exclusive organization resource does not declare: apply revokes every role. */
  undeclared?: true;
  organization_id: string;
  user_id: string;
  grant: RoleRef[];
  revoke: RoleRef[];
  /** Roles the member holds today that are not declared, which apply revokes; null when not checked. */
  revokes_unmanaged: RoleRef[] | null;
  /** The planned roles are known only after apply. */
  roles_unknown: boolean;
}

export interface DriftRole extends RoleRef {
  /** Whether this plan reverts the change made outside Terraform; null when the planned roles are unknown. */
  undone: boolean | null;
}

export interface DriftSummary {
  address: string;
  organization_id: string;
  user_id: string;
  granted_outside: DriftRole[];
  revoked_outside: DriftRole[];
  /** The member (or organization) is gone from the tenant. */
  member_removed: boolean;
}

export type RoleChangeKind = "grant" | "revoke" | "revokes_unmanaged";

export interface PrivilegedChange {
  address: string;
  organization_id: string;
  user_id: string;
  change: RoleChangeKind;
  role: RoleRef;
  pattern: string;
}

export interface Totals {
  members_created: number;
  members_updated: number;
  members_destroyed: number;
  members_replaced: number;
  members_imported: number;
  members_forgotten: number;
  roles_granted: number;
  roles_revoked: number;
  roles_revoked_unmanaged: number;
  privileged_changes: number;
  members_drifted: number;
}

/** The review of one plan; `--format json` prints exactly this (README documents it). */
export interface Review {
  format_version: 1;
  changes: ChangeSummary[];
  drift: DriftSummary[];
  privileged: PrivilegedChange[];
  totals: Totals;
  notes: string[];
}

export interface SensitivePattern {
  source: string;
  regex: RegExp;
}

/** `--sensitive` values: case-insensitive regular expressions matched against role names and ids. */
export function sensitivePatterns(sources: readonly string[]): SensitivePattern[] {
  return sources.map((source) => {
    if (source === "") throw new Error("--sensitive needs a pattern, e.g. --sensitive admin.");
    try {
      return { source, regex: new RegExp(source, "i") };
    } catch (error) {
      throw new Error(
        `--sensitive ${JSON.stringify(source)} is not a valid regular expression: ${(error as Error).message}`,
      );
    }
  });
}

export async function summarize(
  plan: ReadPlan,
  tenant: TenantReader,
  sensitive: readonly SensitivePattern[],
): Promise<Review> {
  const notes: string[] = [];
  const { held, unlisted } = await readHeldRoles(plan.changes, plan.exclusiveScans, tenant, notes);
  const changes = [...plan.changes, ...unlisted];
  const allIds = new Set<string>();
  const ids = (roles: readonly string[] | "unknown" | null) => {
    if (Array.isArray(roles)) for (const id of roles) allIds.add(id);
  };
  for (const c of changes) {
    ids(c.before);
    ids(c.after);
    ids(held.get(c) ?? null);
  }
  for (const d of plan.drift) {
    ids(d.before);
    ids(d.after);
  }
  const lookup = await tenant.roleNames([...allIds].sort());
  if (lookup.note) notes.push(lookup.note);
  if (lookup.missing.length > 0) {
    notes.push(
      `These role ids do not exist in the tenant, so apply will fail on them: ${lookup.missing.join(", ")}.`,
    );
  }
  const ref = (id: string): RoleRef => ({ id, name: lookup.names.get(id) ?? null });

  const summaries = changes
    .map((c) => [changeSummary(c, held.get(c), ref), c] as const)
    .filter(([s, c]) => changesSomething(s, c))
    .map(([s]) => s);
  for (const s of summaries) {
    if (s.roles_unknown) {
      notes.push(
        `${s.address}: the roles of ${s.user_id} are known only after apply; what they grant is not shown.`,
      );
    }
  }
  const drift = plan.drift.map((d) => driftSummary(d, plan.changes, ref));
  const privileged = privilegedChanges(summaries, sensitive);
  return {
    format_version: 1,
    changes: summaries,
    drift,
    privileged,
    totals: totals(summaries, drift, privileged),
    notes,
  };
}

/**
 * Whether the entry is worth a line. A member resource's create always is (Terraform takes the member
 * over); an organization resource lists every member, and those whose roles stay as they are add only noise.
 */
function changesSomething(s: ChangeSummary, c: MemberChange): boolean {
  const quietAction = s.action === "update" || (s.action === "create" && c.organizationResource === true);
  return (
    !quietAction ||
    s.grant.length > 0 ||
    s.revoke.length > 0 ||
    s.roles_unknown ||
    (s.revokes_unmanaged?.length ?? 0) > 0
  );
}

function changeSummary(
  c: MemberChange,
  held: string[] | null | undefined,
  ref: (id: string) => RoleRef,
): ChangeSummary {
  const before = c.before ?? [];
  const after = c.after === "unknown" || c.after === null ? [] : c.after;
  const destroying = c.action === "delete" || (c.action === "replace" && c.phase === "destroy");
  const keeping = c.action === "forget";
  // Where the tenant was read (creates, undeclared members found by listing), apply starts from
  // what the member holds today; elsewhere from the refreshed state.
  const base = Array.isArray(held) ? held : before;
  const grant = destroying || keeping ? [] : diffRoles(base, after).grant;
  const revoke = keeping ? [] : destroying ? [...before] : diffRoles(before, after).revoke;
  let unmanaged: RoleRef[] | null;
  if (destroying || keeping) unmanaged = [];
  else if (held !== undefined) {
    unmanaged =
      c.after === "unknown"
        ? null
        : (held ?? []).filter((id) => !after.includes(id) && !before.includes(id)).map(ref);
  } else {
    // A create not read is unknown; updates and imports start from the refreshed state, hiding nothing.
    unmanaged = isCreate(c) ? null : [];
  }
  const summary: ChangeSummary = {
    address: c.address,
    action: c.action,
    organization_id: c.organizationId,
    user_id: c.userId,
    grant: grant.map(ref),
    revoke: revoke.map(ref),
    revokes_unmanaged: unmanaged,
    roles_unknown: c.after === "unknown",
  };
  if (c.phase) summary.phase = c.phase;
  if (c.undeclared) summary.undeclared = true;
  return summary;
}

function driftSummary(
  d: MemberDrift,
  changes: readonly MemberChange[],
  ref: (id: string) => RoleRef,
): DriftSummary {
  const planned = changes.find(
    (c) =>
      c.address === d.address &&
      c.organizationId === d.organizationId &&
      c.userId === d.userId &&
      c.phase !== "destroy",
  );
  const deleting = changes.some(
    (c) => c.address === d.address && c.userId === d.userId && c.action === "delete",
  );
  // Without a planned change the plan leaves the member as refresh found it.
  const plannedRoles = deleting ? [] : planned ? planned.after : d.after;
  const outside = diffRoles(d.before, d.after ?? []);
  const undone = (id: string, inPlanWhenUndone: boolean): boolean | null =>
    plannedRoles === "unknown" ? null : (plannedRoles ?? []).includes(id) === inPlanWhenUndone;
  return {
    address: d.address,
    organization_id: d.organizationId,
    user_id: d.userId,
    granted_outside: outside.grant.map((id) => ({ ...ref(id), undone: undone(id, false) })),
    revoked_outside: (d.after === null ? [] : outside.revoke).map((id) => ({
      ...ref(id),
      undone: undone(id, true),
    })),
    member_removed: d.after === null,
  };
}

function privilegedChanges(
  summaries: readonly ChangeSummary[],
  sensitive: readonly SensitivePattern[],
): PrivilegedChange[] {
  if (sensitive.length === 0) return [];
  const found: PrivilegedChange[] = [];
  for (const s of summaries) {
    const kinds: [RoleChangeKind, RoleRef[]][] = [
      ["grant", s.grant],
      ["revoke", s.revoke],
      ["revokes_unmanaged", s.revokes_unmanaged ?? []],
    ];
    for (const [change, roles] of kinds) {
      for (const role of roles) {
        const match = sensitive.find(
          (p) => p.regex.test(role.id) || (role.name !== null && p.regex.test(role.name)),
        );
        if (match) {
          found.push({
            address: s.address,
            organization_id: s.organization_id,
            user_id: s.user_id,
            change,
            role,
            pattern: match.source,
          });
        }
      }
    }
  }
  return found;
}

function totals(
  summaries: readonly ChangeSummary[],
  drift: readonly DriftSummary[],
  privileged: readonly PrivilegedChange[],
): Totals {
  const count = (action: PlannedAction) => summaries.filter((s) => s.action === action).length;
  const sum = (pick: (s: ChangeSummary) => readonly unknown[] | null) =>
    summaries.reduce((n, s) => n + (pick(s)?.length ?? 0), 0);
  return {
    members_created: count("create"),
    members_updated: count("update"),
    members_destroyed: count("delete"),
    // A replacement is one resource: count the members that gain it.
    members_replaced: summaries.filter((s) => s.action === "replace" && s.phase === "create").length,
    members_imported: count("import"),
    members_forgotten: count("forget"),
    roles_granted: sum((s) => s.grant),
    roles_revoked: sum((s) => s.revoke),
    roles_revoked_unmanaged: sum((s) => s.revokes_unmanaged),
    privileged_changes: privileged.length,
    members_drifted: drift.length,
  };
}

/** Whether the plan grants or revokes any role. */
export function changesRoles(review: Review): boolean {
  const t = review.totals;
  return (
    t.roles_granted + t.roles_revoked + t.roles_revoked_unmanaged > 0 ||
    review.changes.some((c) => c.roles_unknown)
  );
}
