import { Auth0RolesProvider, OrganizationMemberRoles } from "auth0-org-member-roles-cdktf";
import { Fn, TerraformIterator, type TerraformStack, TerraformVariable, Testing, Token } from "cdktf";
// Brings in the type declarations of the matchers Testing.setupJest() installs.
import "cdktf/lib/testing/adapters/jest";
import { MEMBER_ROLES_RESOURCE, PROVIDER_SOURCE } from "../../../src/provider/startup/provider-names";

Testing.setupJest();

interface SynthesizedStack {
  terraform: { required_providers: Record<string, { source: string }> };
  provider: Record<string, Record<string, unknown>[]>;
  resource: Record<string, Record<string, Record<string, unknown>>>;
}

function synth(build: (stack: TerraformStack) => void): string {
  return Testing.synthScope((scope) => build(scope as TerraformStack));
}

/** A Terraform template interpolation, as cdktf writes references into the JSON. */
function tf(expression: string): string {
  return `\${${expression}}`;
}

function memberRoles(synthesized: string, name: string): Record<string, unknown> {
  const parsed = JSON.parse(synthesized) as SynthesizedStack;
  const resource = parsed.resource[MEMBER_ROLES_RESOURCE]?.[name];
  if (!resource) throw new Error(`no ${MEMBER_ROLES_RESOURCE}.${name} in ${synthesized}`);
  return resource;
}

describe("OrganizationMemberRoles synthesis", () => {
  it("writes the Terraform attribute names the provider schema declares", () => {
    const synthesized = synth((stack) => {
      new Auth0RolesProvider(stack, "auth0", { domain: "example.eu.auth0.com" });
      new OrganizationMemberRoles(stack, "alice", {
        organizationId: "org_0123456789abcdef",
        userId: "auth0|alice",
        roles: ["rol_admin0123456789", "rol_billing012345678"],
      });
    });

    expect(synthesized).toHaveResourceWithProperties(OrganizationMemberRoles, {
      organization_id: "org_0123456789abcdef",
      user_id: "auth0|alice",
      roles: ["rol_admin0123456789", "rol_billing012345678"],
    });
    expect(synthesized).toHaveProviderWithProperties(Auth0RolesProvider, { domain: "example.eu.auth0.com" });
  });

  it("requires the provider from its local source address", () => {
    const synthesized = synth((stack) => {
      new Auth0RolesProvider(stack, "auth0");
    });
    const parsed = JSON.parse(synthesized) as SynthesizedStack;
    expect(parsed.terraform.required_providers.auth0roles?.source).toBe(PROVIDER_SOURCE);
  });

  it("keeps an empty role list, which means the member holds no roles", () => {
    const synthesized = synth((stack) => {
      new Auth0RolesProvider(stack, "auth0");
      new OrganizationMemberRoles(stack, "nobody", {
        organizationId: "org_1",
        userId: "auth0|bob",
        roles: [],
      });
    });
    expect(memberRoles(synthesized, "nobody").roles).toEqual([]);
  });

  it("passes tokens through as Terraform expressions", () => {
    const synthesized = synth((stack) => {
      new Auth0RolesProvider(stack, "auth0");
      const org = new TerraformVariable(stack, "org", { type: "string" });
      const adminRole = new TerraformVariable(stack, "admin_role", { type: "string" });
      const extraRoles = new TerraformVariable(stack, "extra_roles", { type: "list(string)" });
      const alice = new OrganizationMemberRoles(stack, "alice", {
        organizationId: org.stringValue,
        userId: "auth0|alice",
        roles: [adminRole.stringValue, "rol_billing012345678"],
      });
      // Bob holds whatever Alice holds, plus a list from a variable.
      new OrganizationMemberRoles(stack, "bob", {
        organizationId: alice.organizationId,
        userId: "auth0|bob",
        roles: Fn.concat([Token.asList(alice.roles), extraRoles.listValue]),
      });
    });

    expect(memberRoles(synthesized, "alice")).toMatchObject({
      organization_id: tf("var.org"),
      roles: [tf("var.admin_role"), "rol_billing012345678"],
    });
    expect(memberRoles(synthesized, "bob")).toMatchObject({
      organization_id: tf(`${MEMBER_ROLES_RESOURCE}.alice.organization_id`),
      roles: tf(`concat(tolist(${MEMBER_ROLES_RESOURCE}.alice.roles), var.extra_roles)`),
    });
  });

  it("passes the usual meta-arguments through", () => {
    const synthesized = synth((stack) => {
      new Auth0RolesProvider(stack, "auth0");
      const eu = new Auth0RolesProvider(stack, "eu", { alias: "eu", domain: "example.eu.auth0.com" });
      const members = new TerraformVariable(stack, "member_ids", { type: "list(string)" });
      const first = new OrganizationMemberRoles(stack, "first", {
        organizationId: "org_1",
        userId: "auth0|alice",
        roles: [],
      });
      const each = TerraformIterator.fromList(members.listValue);
      new OrganizationMemberRoles(stack, "members", {
        provider: eu,
        dependsOn: [first],
        lifecycle: { preventDestroy: true },
        forEach: each,
        organizationId: "org_1",
        userId: Token.asString(each.value),
        roles: ["rol_viewer0123456789"],
      });
    });

    expect(memberRoles(synthesized, "members")).toMatchObject({
      provider: "auth0roles.eu",
      depends_on: [`${MEMBER_ROLES_RESOURCE}.first`],
      lifecycle: { prevent_destroy: true },
      for_each: tf("toset(var.member_ids)"),
      user_id: tf("each.value"),
    });
  });
});
