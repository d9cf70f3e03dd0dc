import type { TfObject, TfValue } from "../protocol/values";

/** One member's roles in one organization, as Terraform state holds it once every value is known. */
export interface MemberRolesState {
  readonly organizationId: string;
  readonly userId: string;
  readonly roles: readonly string[];
}

const ID_SEPARATOR = "::";

/** The same `{organization_id}::{user_id}` form as the official Auth0 provider, so imports carry over. */
export function memberRolesId(organizationId: string, userId: string): string {
  return `${organizationId}${ID_SEPARATOR}${userId}`;
}

/**
 * Splits an import id on the FIRST `::`: organization ids never contain it, user ids might
 * (connection-prefixed ids are free-form after the connection name).
 */
export function parseMemberRolesId(id: string): { organizationId: string; userId: string } | undefined {
  const at = id.indexOf(ID_SEPARATOR);
  if (at <= 0) return undefined;
  const organizationId = id.slice(0, at);
  const userId = id.slice(at + ID_SEPARATOR.length);
  if (organizationId.trim() === "" || userId.trim() === "") return undefined;
  return { organizationId, userId };
}

export function toTfObject(state: MemberRolesState): TfObject {
  return {
    id: memberRolesId(state.organizationId, state.userId),
    organization_id: state.organizationId,
    user_id: state.userId,
    roles: sortRoles(state.roles),
  };
}

/** Reads the identifying attributes of a stored or planned object; undefined when they are not both known strings. */
export function knownIdentity(obj: TfObject): { organizationId: string; userId: string } | undefined {
  const { organization_id: organizationId, user_id: userId } = obj;
  if (typeof organizationId !== "string" || typeof userId !== "string") return undefined;
  return { organizationId, userId };
}

/** The role ids of a set value, or undefined when the set (or one of its elements) is not known yet. */
export function knownRoles(value: TfValue | undefined): string[] | undefined {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) return undefined;
  const roles: string[] = [];
  for (const element of value) {
    if (typeof element !== "string") return undefined;
    roles.push(element);
  }
  return roles;
}

export function isKnownString(value: TfValue | undefined): value is string {
  return typeof value === "string";
}

/** Code-unit order, so that state and call bodies are byte-identical on every machine. */
export function sortRoles(roles: Iterable<string>): string[] {
  return [...new Set(roles)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
