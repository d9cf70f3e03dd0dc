import { addOrganizationRolesChecks } from "auth0-org-member-roles/constructs";
import type { Construct } from "constructs";
import {
  OrganizationRoles as GeneratedOrganizationRoles,
  type OrganizationRolesConfig,
} from "./generated/organization-roles";
import { CDKTF } from "./library";

/**
 * The roles of the members of one Auth0 organization. With `exclusive` (the default) it is
 * authoritative for the whole organization: a member not in `members` holds no roles after apply.
 *
 * The generated resource plus synth-time checks: per member, empty ids, more than 50 roles and
 * duplicate role ids; across the app, a second OrganizationRoles for the organization, and an
 * OrganizationMemberRoles for a member this one lists (or for any member, when exclusive). Values
 * that are tokens are checked by the provider at plan time instead.
 */
export class OrganizationRoles extends GeneratedOrganizationRoles {
  constructor(scope: Construct, id: string, config: OrganizationRolesConfig) {
    super(scope, id, config);
    addOrganizationRolesChecks(this, CDKTF);
  }
}
