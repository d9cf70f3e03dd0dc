import { Auth0RolesProvider, OrganizationMemberRoles } from "auth0-org-member-roles-cdktf";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { MemberAccess } from "./tenant";

export interface AccessStackProps {
  readonly organizationId: string;
  readonly members: readonly MemberAccess[];
}

/** One organization's member roles. Credentials come from AUTH0_DOMAIN, AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET. */
export class AccessStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: AccessStackProps) {
    super(scope, id);
    new Auth0RolesProvider(this, "auth0roles");
    for (const member of props.members) {
      new OrganizationMemberRoles(this, member.name, {
        organizationId: props.organizationId,
        userId: member.userId,
        roles: [...member.roles],
      });
    }
  }
}
