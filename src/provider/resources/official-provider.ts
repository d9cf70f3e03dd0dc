/**
 * State entries of the official Auth0 provider's `auth0_organization_member_roles`
 * (registry.terraform.io/auth0/auth0): id `org::user`, attributes organization_id, user_id, roles.
 * The same facts as this provider's resource, so an entry can be taken over without an API call.
 */
import type { ImportResult, StateMover } from "../framework";
import { errorDiag } from "../protocol/diagnostics";
import { type MemberRolesState, parseMemberRolesId, toTfObject } from "./member-roles-state";

export const OFFICIAL_MEMBER_ROLES = "auth0_organization_member_roles";
/** Where Terraform and OpenTofu record the official provider. */
export const OFFICIAL_PROVIDERS = ["registry.terraform.io/auth0/auth0", "registry.opentofu.org/auth0/auth0"];

/** The member roles one stored entry records, or what is wrong with it. */
export function officialMemberRoles(
  attributes: Readonly<Record<string, unknown>>,
): { ok: true; state: MemberRolesState } | { ok: false; problem: string } {
  const fromId = typeof attributes.id === "string" ? parseMemberRolesId(attributes.id) : undefined;
  const organizationId = nonEmpty(attributes.organization_id) ?? fromId?.organizationId;
  const userId = nonEmpty(attributes.user_id) ?? fromId?.userId;
  if (organizationId === undefined || userId === undefined) {
    return {
      ok: false,
      problem: "it has neither organization_id and user_id nor an id of the form org::user",
    };
  }
  const roles = attributes.roles ?? [];
  if (!Array.isArray(roles) || !roles.every((r): r is string => typeof r === "string")) {
    return { ok: false, problem: "its roles are not a list of role ids" };
  }
  return { ok: true, state: { organizationId, userId, roles } };
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function move(source: { readonly state: Record<string, unknown> }): ImportResult {
  const entry = officialMemberRoles(source.state);
  if (entry.ok) return { state: toTfObject(entry.state), diagnostics: [] };
  return {
    state: null,
    diagnostics: [
      errorDiag(
        `Cannot move this ${OFFICIAL_MEMBER_ROLES} entry`,
        `The stored entry cannot be taken over: ${entry.problem}. Remove the moved block for it, run ` +
          "`terraform state rm` on the old address, and import the member with an import block instead.",
      ),
    ],
  };
}

/** Takes over the official provider's entries as they are: the next refresh reads the tenant. */
export const officialProviderMovers: readonly StateMover[] = OFFICIAL_PROVIDERS.map((address) => ({
  sourceProviderAddress: address,
  sourceTypeName: OFFICIAL_MEMBER_ROLES,
  move,
}));
