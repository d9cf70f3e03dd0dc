import {
  Auth0RolesProvider,
  DataAuth0RolesRoles,
  OrganizationMemberRoles,
} from "auth0-org-member-roles-cdktf";
import { Testing } from "cdktf";

describe("DataAuth0RolesRoles binding", () => {
  it("synthesizes the data block and references a role id by name", () => {
    const synthesized = Testing.synthScope((stack) => {
      new Auth0RolesProvider(stack, "auth0");
      const roles = new DataAuth0RolesRoles(stack, "roles");
      new OrganizationMemberRoles(stack, "alice", {
        organizationId: "org_0123456789abcdef",
        userId: "auth0|alice",
        roles: [roles.roles.lookup("billing")],
      });
    });
    const parsed = JSON.parse(synthesized) as {
      data: Record<string, Record<string, unknown>>;
      resource: Record<string, Record<string, { roles: string[] }>>;
    };
    expect(parsed.data.auth0roles_roles).toEqual({ roles: {} });
    expect(parsed.resource.auth0roles_organization_member_roles?.alice?.roles).toEqual([
      `\${data.auth0roles_roles.roles.roles["billing"]}`,
    ]);
  });
});
