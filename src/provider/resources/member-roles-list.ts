/**
 * `list "auth0roles_organization_member_roles"`: every member of one organization who holds roles,
 * read from the organization's member list with their roles (100 members a call, through the same
 * pacer as every other call), so `terraform query` adopts thousands of members in a few calls.
 */
import { validateMemberRoles } from "../../roles";
import type { ListedObject, ListRequest, ProviderContext, ResourceList } from "../framework";
import type { Diagnostic } from "../protocol/diagnostics";
import type { TfObject } from "../protocol/values";
import { memberRolesListSchema } from "../schema";
import { findingsToDiagnostics } from "./finding-diagnostics";
import { isKnownString, toTfObject } from "./member-roles-state";
import type { MemberRolesApi } from "./organization-member-roles";

/** The organization_id checks of the resource itself, on the list block's config. */
function validate(config: TfObject): Diagnostic[] {
  const org = config.organization_id;
  return findingsToDiagnostics(validateMemberRoles(isKnownString(org) ? { organizationId: org } : {}));
}

function roleCount(n: number): string {
  return n === 1 ? "1 role" : `${n} roles`;
}

async function* list(req: ListRequest, ctx: ProviderContext<MemberRolesApi>): AsyncIterable<ListedObject> {
  const organizationId = String(req.config.organization_id);
  const pages = ctx.api().organizationMemberPages(organizationId, { signal: ctx.signal() });
  for await (const page of pages) {
    for (const { userId, roleIds } of page) {
      // A member holding nothing has nothing to adopt: the resource would only say "no roles".
      if (roleIds.length === 0) continue;
      yield {
        displayName: `${userId} (${roleCount(roleIds.length)})`,
        state: toTfObject({ organizationId, userId, roles: roleIds }),
      };
    }
  }
}

export const memberRolesList: ResourceList<MemberRolesApi> = {
  schema: memberRolesListSchema,
  validate,
  list,
};
