/**
 * `list "auth0roles_organization_roles"`: the tenant's organizations (`GET /api/v2/organizations`,
 * scope read:organizations). Each object found is an organization's identity; with
 * `include_resource` (and for `-generate-config-out`) also its members holding roles, from one walk
 * of its member list, as an import of the organization adopts them.
 */
import type { ListedObject, ListRequest, ProviderContext, ResourceList } from "../framework";
import type { Schema } from "../protocol/schema";
import {
  EXCLUSIVE_DEFAULT,
  organizationOnlyObject,
  toOrganizationRolesObject,
} from "./organization-roles-state";
import type { OrganizationRolesApi } from "./organization-sync";

const organizationRolesListSchema: Schema = {
  version: 0,
  block: { description: "Every organization of the tenant; takes no arguments.", attributes: [] },
};

async function* list(
  req: ListRequest,
  ctx: ProviderContext<OrganizationRolesApi>,
): AsyncIterable<ListedObject> {
  const api = ctx.api();
  const signal = ctx.signal();
  for await (const page of api.organizationPages({ signal })) {
    for (const { id, name } of page) {
      const displayName = name === id ? id : `${name} (${id})`;
      if (!req.includeResource) {
        yield { displayName, state: organizationOnlyObject(id) };
        continue;
      }
      const roster = await api.listOrganizationMemberRoles(id, { signal });
      const members = new Map([...roster].filter(([, roles]) => roles.length > 0));
      yield {
        displayName,
        state: toOrganizationRolesObject({
          organizationId: id,
          members,
          exclusive: EXCLUSIVE_DEFAULT,
          undeclared: new Map(),
        }),
      };
    }
  }
}

export const organizationRolesList: ResourceList<OrganizationRolesApi> = {
  schema: organizationRolesListSchema,
  list,
};
