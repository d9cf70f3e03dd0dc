import type { MemberChange, MemberRolesMap } from "../../roles";
import type { TfObject, TfValue } from "../protocol/values";
import { knownRoles, sortRoles } from "./member-roles-state";
import type { ChangeOutcome } from "./organization-sync";

/** `auth0roles_organization_roles` as stored, once its values are known. */
export interface OrganizationRolesState {
  readonly organizationId: string;
  /** undefined right after an import: the first read fills it from the tenant. */
  readonly members: MemberRolesMap | undefined;
  readonly exclusive: boolean;
  /** Members outside `members` holding roles, as far as the last read knows; undefined without exclusive. */
  readonly undeclared: MemberRolesMap | undefined;
}

/** What `exclusive` means when the configuration leaves it out. */
export const EXCLUSIVE_DEFAULT = true;

/** A map of role sets from a Terraform value; undefined when it is null or not (wholly) known. */
export function knownMemberMap(value: TfValue | undefined): Map<string, string[]> | undefined {
  if (value === null || value === undefined || typeof value !== "object" || Array.isArray(value))
    return undefined;
  const members = new Map<string, string[]>();
  for (const [userId, roles] of Object.entries(value)) {
    const known = roles === null ? [] : knownRoles(roles);
    if (known === undefined) return undefined;
    members.set(userId, known);
  }
  return members;
}

/** The stored object, or undefined when it lacks an organization id (a state this provider did not write). */
export function parseOrganizationRoles(obj: TfObject): OrganizationRolesState | undefined {
  const organizationId = obj.organization_id;
  if (typeof organizationId !== "string") return undefined;
  const exclusive = typeof obj.exclusive === "boolean" ? obj.exclusive : EXCLUSIVE_DEFAULT;
  return {
    organizationId,
    members: knownMemberMap(obj.members),
    exclusive,
    undeclared: exclusive ? knownMemberMap(obj.undeclared_members) : undefined,
  };
}

/** A role-set map as Terraform holds it: keys and roles sorted, so state is byte-identical everywhere. */
export function memberMapValue(members: MemberRolesMap): TfObject {
  const sorted = [...members.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(sorted.map((userId) => [userId, sortRoles(members.get(userId) ?? [])]));
}

export function toOrganizationRolesObject(state: {
  organizationId: string;
  members: MemberRolesMap;
  exclusive: boolean;
  undeclared: MemberRolesMap | undefined;
}): TfObject {
  return {
    id: state.organizationId,
    organization_id: state.organizationId,
    members: memberMapValue(state.members),
    exclusive: state.exclusive,
    undeclared_members: state.exclusive ? memberMapValue(state.undeclared ?? new Map()) : null,
  };
}

/**
 * The organization alone, its roles not read yet: what an import hands the read that follows, and
 * a list entry without include_resource.
 */
export function organizationOnlyObject(organizationId: string): TfObject {
  return {
    id: organizationId,
    organization_id: organizationId,
    members: null,
    exclusive: null,
    undeclared_members: null,
  };
}

export interface PlannedOrganization {
  readonly organizationId: string;
  readonly members: Map<string, string[]>;
  readonly exclusive: boolean;
}

/** The planned object's values; the server layer has checked they are known. */
export function planned(obj: TfObject): PlannedOrganization {
  return {
    organizationId: String(obj.organization_id),
    members: knownMemberMap(obj.members) ?? new Map(),
    exclusive: typeof obj.exclusive === "boolean" ? obj.exclusive : EXCLUSIVE_DEFAULT,
  };
}

/**
 * The state after a partly failed update: what was done is recorded as planned, what failed as the
 * tenant holds it (read back), what never started as the state knew it, so the next plan converges.
 */
export function recordPartial(
  target: PlannedOrganization,
  outcomes: readonly ChangeOutcome[],
  notStarted: readonly MemberChange[],
): TfObject {
  const members = new Map<string, readonly string[]>(target.members);
  const undeclared = new Map<string, readonly string[]>();
  const record = (change: MemberChange, held: readonly string[] | undefined) => {
    if (change.kind === "undeclared") {
      if (held !== undefined && held.length > 0) undeclared.set(change.userId, held);
    } else if (held === undefined) {
      members.delete(change.userId); // never read: the next plan shows it to be created
    } else if (change.kind === "declared" || held.length > 0) {
      members.set(change.userId, held);
    }
  };
  for (const o of outcomes) if (!o.ok) record(o.change, o.held);
  for (const change of notStarted) record(change, change.believed);
  return toOrganizationRolesObject({
    ...target,
    members,
    undeclared: target.exclusive ? undeclared : undefined,
  });
}
