import { MEMBER_ROLES_RESOURCE, ORGANIZATION_ROLES_RESOURCE } from "../provider/startup/provider-names";

/**
 * Reads the parts of `terraform show -json PLANFILE` the review needs: the changes and the drift of
 * this project's resources, one entry per organization member. Everything else in the plan is ignored.
 */

/** The input is not a Terraform JSON plan this command can read; the message names what is wrong. */
export class PlanInputError extends Error {
  override readonly name = "PlanInputError";
}

/** Role ids a member holds, or "unknown" when the plan leaves them to apply time. */
export type RoleSet = readonly string[] | "unknown";

/** Stands for an organization or user id that the plan leaves to apply time. */
export const KNOWN_AFTER_APPLY = "(known after apply)";

export type PlannedAction = "create" | "update" | "delete" | "replace" | "import" | "forget";

/** One member's roles before and after one planned change. */
export interface MemberChange {
  address: string;
  action: PlannedAction;
  /** For a replacement: whether this entry is the member that loses its resource or the one that gains it. */
  phase?: "destroy" | "create";
  organizationId: string;
  userId: string;
  /** Roles in state after refresh; null where the resource (or the member in it) does not exist yet. */
  before: readonly string[] | null;
  /** Roles after apply; null where the member leaves the configuration. */
  after: RoleSet | null;
  /** A member an exclusive organization resource does not declare: apply revokes every role. */
  undeclared?: true;
  /** From an organization resource, which lists every member, changed or not. */
  organizationResource?: true;
}

/**
 * An exclusive organization resource being created (or made exclusive): apply revokes every role of
 * the organization's members it does not declare, and the plan names none of them, because no
 * refresh has looked for them yet.
 */
export interface ExclusiveScan {
  address: string;
  action: PlannedAction;
  organizationId: string;
}

/** Roles that changed outside Terraform since the last apply, found by refresh. */
export interface MemberDrift {
  address: string;
  organizationId: string;
  userId: string;
  before: readonly string[];
  /** null: the member (or organization) is gone. */
  after: readonly string[] | null;
}

export interface ReadPlan {
  changes: MemberChange[];
  drift: MemberDrift[];
  exclusiveScans: ExclusiveScan[];
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parses the text of `terraform show -json PLANFILE`. */
export function parsePlanText(text: string, source: string): ReadPlan {
  if (text.trim() === "")
    throw new PlanInputError(`${source} is empty; expected the output of terraform show -json PLANFILE.`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PlanInputError(
      `${source} is not JSON (${whereNotJson(error)}); expected the output of terraform show -json PLANFILE.`,
    );
  }
  return readPlan(json, source);
}

/**
 * Where the parser stopped, without its own message: V8 quotes the text around the error, and a
 * plan's JSON holds sensitive values (a client secret in the provider configuration) in clear.
 */
function whereNotJson(error: unknown): string {
  const message = error instanceof Error ? error.message : "";
  const position = /at position (\d+)/.exec(message)?.[1];
  if (position !== undefined) return `invalid at character ${Number(position) + 1}`;
  return /end of JSON input/.test(message) ? "it ends too early" : "not valid JSON";
}

export function readPlan(json: unknown, source: string): ReadPlan {
  if (!isObject(json) || typeof json.format_version !== "string") {
    throw new PlanInputError(
      `${source} has no format_version; expected the output of terraform show -json PLANFILE.`,
    );
  }
  if (!json.format_version.startsWith("1.")) {
    throw new PlanInputError(
      `${source} has format_version ${json.format_version}; this command reads format 1.x (Terraform >= 1.0).`,
    );
  }
  if (!("planned_values" in json) && !("resource_changes" in json)) {
    throw new PlanInputError(
      `${source} is a state, not a plan (no planned_values or resource_changes); run terraform plan -out=PLANFILE, then terraform show -json PLANFILE.`,
    );
  }
  const changes: MemberChange[] = [];
  const exclusiveScans: ExclusiveScan[] = [];
  for (const [i, value] of list(json.resource_changes, `${source}: resource_changes`).entries()) {
    const entry = resourceEntry(value, `${source}: resource_changes[${i}]`);
    changes.push(...memberChanges(entry));
    const created = entry && exclusiveScan(entry);
    if (created) exclusiveScans.push(created);
  }
  const drift: MemberDrift[] = [];
  for (const [i, entry] of list(json.resource_drift, `${source}: resource_drift`).entries()) {
    drift.push(...memberDrift(resourceEntry(entry, `${source}: resource_drift[${i}]`)));
  }
  return { changes, drift, exclusiveScans };
}

function list(value: unknown, field: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new PlanInputError(`${field} is not a list.`);
  return value;
}

interface ResourceEntry {
  field: string;
  address: string;
  type: string;
  actions: string[];
  before: Json | null;
  after: Json | null;
  afterUnknown: Json;
  importing: boolean;
}

function resourceEntry(value: unknown, field: string): ResourceEntry | undefined {
  if (!isObject(value)) throw new PlanInputError(`${field} is not an object.`);
  if (value.mode === "data") return undefined;
  const { address, type, change } = value;
  if (typeof address !== "string" || typeof type !== "string" || !isObject(change)) {
    throw new PlanInputError(`${field} lacks address, type or change.`);
  }
  if (type !== MEMBER_ROLES_RESOURCE && type !== ORGANIZATION_ROLES_RESOURCE) return undefined;
  const actions = change.actions;
  if (!Array.isArray(actions) || !actions.every((a) => typeof a === "string")) {
    throw new PlanInputError(`${field} (${address}) has no change.actions list.`);
  }
  const objectOrNull = (v: unknown, name: string): Json | null => {
    if (v === null || v === undefined) return null;
    if (!isObject(v)) throw new PlanInputError(`${field} (${address}): change.${name} is not an object.`);
    return v;
  };
  return {
    field,
    address,
    type,
    actions: actions as string[],
    before: objectOrNull(change.before, "before"),
    after: objectOrNull(change.after, "after"),
    afterUnknown: isObject(change.after_unknown) ? change.after_unknown : {},
    importing: isObject(change.importing),
  };
}

function plannedAction(entry: ResourceEntry): PlannedAction | undefined {
  const actions = [...entry.actions].sort().join(",");
  switch (actions) {
    case "create":
      return "create";
    case "update":
      return "update";
    case "delete":
      return "delete";
    case "create,delete":
      return "replace";
    case "forget":
      return "forget";
    case "no-op":
      return entry.importing ? "import" : undefined;
    case "read":
      return undefined;
    default:
      throw new PlanInputError(
        `${entry.field} (${entry.address}) has unknown actions ${JSON.stringify(entry.actions)}.`,
      );
  }
}

/** One member's view of a resource value: who, and which roles. */
interface MemberRoles {
  organizationId: string;
  userId: string;
  roles: RoleSet;
  /** Held outside an organization resource's `members` (its `undeclared_members`). */
  undeclared: boolean;
}

function memberChanges(entry: ResourceEntry | undefined): MemberChange[] {
  if (!entry) return [];
  const action = plannedAction(entry);
  if (!action) return [];
  const before = entry.before ? membersOf(entry, entry.before, {}) : [];
  const after = entry.after ? membersOf(entry, entry.after, entry.afterUnknown) : [];
  if (action === "delete" || action === "replace") {
    // Destroying an organization resource revokes what it declares and leaves other members alone.
    const destroyed = before
      .filter((m) => !m.undeclared)
      .map((m) => memberChange(entry, action, m, undefined));
    if (action === "delete") return destroyed;
    const created = after.map((m) => ({
      ...memberChange(entry, action, undefined, m),
      phase: "create" as const,
    }));
    return [...destroyed.map((c) => ({ ...c, phase: "destroy" as const })), ...created];
  }
  const keys = new Map<string, { before?: MemberRoles; after?: MemberRoles }>();
  for (const m of before) keys.set(memberKey(m), { before: m });
  for (const m of after) keys.set(memberKey(m), { ...keys.get(memberKey(m)), after: m });
  return [...keys.values()].map((pair) => memberChange(entry, action, pair.before, pair.after));
}

function memberChange(
  entry: ResourceEntry,
  action: PlannedAction,
  before: MemberRoles | undefined,
  after: MemberRoles | undefined,
): MemberChange {
  const who = (after ?? before) as MemberRoles;
  const beforeRoles = before && before.roles !== "unknown" ? before.roles : null;
  const change: MemberChange = {
    address: entry.address,
    action,
    organizationId: who.organizationId,
    userId: who.userId,
    before: beforeRoles,
    after: after ? after.roles : null,
  };
  if (entry.type === ORGANIZATION_ROLES_RESOURCE) change.organizationResource = true;
  // Declared now wins: a member moved into `members` is managed from this plan on.
  const declaredAfter = after !== undefined && !after.undeclared;
  if (!declaredAfter && (before?.undeclared || after?.undeclared)) change.undeclared = true;
  return change;
}

function memberKey(m: MemberRoles): string {
  return `${m.organizationId}\u0000${m.userId}`;
}

/** An exclusive organization resource whose prior state has not looked for undeclared members. */
function exclusiveScan(entry: ResourceEntry): ExclusiveScan | undefined {
  if (entry.type !== ORGANIZATION_ROLES_RESOURCE || !entry.after || entry.after.exclusive === false)
    return undefined;
  const action = plannedAction(entry);
  if (action !== "create" && action !== "replace" && action !== "update") return undefined;
  const looked = action === "update" && isObject(entry.before?.undeclared_members);
  if (looked) return undefined;
  return {
    address: entry.address,
    action,
    organizationId: stringAttribute(entry, entry.after, entry.afterUnknown, "organization_id"),
  };
}

/**
 * The members a resource value speaks for: one for the per-member resource; for the organization
 * resource every key of `members`, then every member of `undeclared_members` (held outside it).
 */
function membersOf(entry: ResourceEntry, value: Json, unknown: Json): MemberRoles[] {
  const organizationId = stringAttribute(entry, value, unknown, "organization_id");
  if (entry.type === MEMBER_ROLES_RESOURCE) {
    const userId = stringAttribute(entry, value, unknown, "user_id");
    return [
      {
        organizationId,
        userId,
        roles: roleSet(entry, value.roles, unknown.roles, "roles"),
        undeclared: false,
      },
    ];
  }
  if (unknown.members === true) {
    throw new PlanInputError(
      `${entry.address}: members is known only after apply, so the review cannot say who gets which roles. Plan with members known (no references to resources created in the same apply).`,
    );
  }
  const declared = roleMap(entry, value, unknown, "members", false);
  const names = new Set(declared.map((m) => m.userId));
  const undeclared = roleMap(entry, value, unknown, "undeclared_members", true).filter(
    (m) => !names.has(m.userId),
  );
  return [...declared, ...undeclared].map((m) => ({ ...m, organizationId }));
}

function roleMap(
  entry: ResourceEntry,
  value: Json,
  unknown: Json,
  name: "members" | "undeclared_members",
  undeclared: boolean,
): Omit<MemberRoles, "organizationId">[] {
  // An unknown undeclared_members is what a create plans: the members are found by the review itself.
  if (unknown[name] === true) return [];
  const map = value[name] ?? {};
  if (!isObject(map)) throw new PlanInputError(`${entry.field} (${entry.address}): ${name} is not a map.`);
  const unknownRoles = isObject(unknown[name]) ? unknown[name] : {};
  return Object.entries(map).map(([userId, roles]) => ({
    userId,
    roles: roleSet(entry, roles, unknownRoles[userId], `${name}["${userId}"]`),
    undeclared,
  }));
}

function stringAttribute(entry: ResourceEntry, value: Json, unknown: Json, name: string): string {
  const v = value[name];
  if (typeof v === "string") return v;
  // E.g. a user created in the same apply: the change is still shown, under a placeholder.
  if (unknown[name] === true) return KNOWN_AFTER_APPLY;
  throw new PlanInputError(`${entry.field} (${entry.address}) has no ${name}.`);
}

function roleSet(entry: ResourceEntry, value: unknown, unknown: unknown, name: string): RoleSet {
  if (unknown === true) return "unknown";
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value) || !value.every((r) => typeof r === "string")) {
    if (Array.isArray(value) && Array.isArray(unknown)) return "unknown";
    throw new PlanInputError(`${entry.field} (${entry.address}): ${name} is not a list of role ids.`);
  }
  // Single elements of a set may be unknown too; Terraform then marks them in after_unknown.
  if (Array.isArray(unknown) && unknown.some((u) => u === true)) return "unknown";
  return [...value].sort();
}

function memberDrift(entry: ResourceEntry | undefined): MemberDrift[] {
  if (!entry?.before) return [];
  const before = membersOf(entry, entry.before, {});
  const after = entry.after ? membersOf(entry, entry.after, {}) : [];
  const afterByKey = new Map(after.map((m) => [memberKey(m), m]));
  const drift: MemberDrift[] = [];
  const seen = new Set<string>();
  for (const b of before) {
    seen.add(memberKey(b));
    const a = afterByKey.get(memberKey(b));
    const beforeRoles = b.roles === "unknown" ? [] : b.roles;
    const afterRoles = a ? (a.roles === "unknown" ? [] : a.roles) : null;
    if (afterRoles && sameSet(beforeRoles, afterRoles)) continue;
    drift.push({
      address: entry.address,
      organizationId: b.organizationId,
      userId: b.userId,
      before: beforeRoles,
      after: afterRoles,
    });
  }
  for (const a of after) {
    if (seen.has(memberKey(a)) || a.roles === "unknown" || a.roles.length === 0) continue;
    drift.push({
      address: entry.address,
      organizationId: a.organizationId,
      userId: a.userId,
      before: [],
      after: a.roles,
    });
  }
  return drift;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
