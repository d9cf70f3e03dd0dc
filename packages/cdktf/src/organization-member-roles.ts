import { addMemberRolesChecks } from "auth0-org-member-roles/constructs";
import type { Construct } from "constructs";
import {
  OrganizationMemberRoles as GeneratedOrganizationMemberRoles,
  type OrganizationMemberRolesConfig,
} from "./generated/organization-member-roles";
import { CDKTF } from "./library";

/**
 * The complete set of roles one member holds in one Auth0 organization. Roles not listed are
 * revoked on apply.
 *
 * The generated resource plus synth-time checks: empty ids, more than 50 roles, duplicate role
 * ids, and two constructs in one app managing the same member. Values that are tokens (variables,
 * references, `Fn.*`) are checked by the provider at plan time instead.
 */
export class OrganizationMemberRoles extends GeneratedOrganizationMemberRoles {
  constructor(scope: Construct, id: string, config: OrganizationMemberRolesConfig) {
    super(scope, id, config);
    addMemberRolesChecks(this, CDKTF);
  }
}
