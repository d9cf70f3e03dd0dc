import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  Auth0Roles,
  Auth0RolesProvider,
  OrganizationMemberRoles,
  OrganizationRoles,
} from "auth0-org-member-roles-cdktn";
import { type App, TerraformStack, Testing } from "cdktn";

// The cdktn layer is as thin as the cdktf one: these check that each of its constructs synthesizes
// under cdktn and carries the shared checks (their details are tested once, in test/constructs and
// test/cdktf).
const ORG = "org_0123456789abcdef";
const ADMIN = "rol_admin0123456789";

let outRoot: string;
beforeAll(() => {
  outRoot = mkdtempSync(join(tmpdir(), "cdktn-constructs-"));
});
afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

function newApp(): { app: App; stack: TerraformStack } {
  const app = Testing.app({ outdir: mkdtempSync(join(outRoot, "app-")) });
  const stack = new TerraformStack(app, "stack");
  new Auth0RolesProvider(stack, "auth0");
  return { app, stack };
}

function synthErrors(app: App): string[] {
  try {
    app.synth();
    return [];
  } catch (error) {
    return String(error instanceof Error ? error.message : error)
      .split("\n")
      .filter((line) => line.startsWith("  ["))
      .map((line) => line.trim());
  }
}

interface Synthesized {
  terraform: { required_providers: Record<string, { source: string; version: string }> };
  data: { auth0roles_roles: Record<string, { names: string[] }> };
  resource: {
    auth0roles_organization_member_roles: Record<string, { roles: string[] }>;
    auth0roles_organization_roles: Record<
      string,
      { organization_id: string; members: Record<string, string[]> }
    >;
  };
}

describe("the cdktn constructs", () => {
  it("synthesize the provider, both resources and role names for the data source", () => {
    const { stack } = newApp();
    const roles = new Auth0Roles(stack, "roles");
    new OrganizationRoles(stack, "acme", { organizationId: ORG, members: { "auth0|alice": [ADMIN] } });
    new OrganizationMemberRoles(stack, "bob", {
      organizationId: "org_other0000000001",
      userId: "auth0|bob",
      roles: [roles.id("viewer")],
    });
    const json = JSON.parse(Testing.synth(stack)) as Synthesized;
    expect(json.terraform.required_providers.auth0roles?.source).toBe(
      "terraform.local/rolesascode/auth0roles",
    );
    expect(json.data.auth0roles_roles).toEqual({ roles: { names: ["viewer"] } });
    expect(json.resource.auth0roles_organization_roles.acme).toMatchObject({
      organization_id: ORG,
      members: { "auth0|alice": [ADMIN] },
    });
    expect(json.resource.auth0roles_organization_member_roles.bob?.roles).toEqual([
      '\u0024{data.auth0roles_roles.roles.roles["viewer"]}',
    ]);
  });

  it("apply the shared checks across both resources", () => {
    const { app, stack } = newApp();
    new OrganizationRoles(stack, "acme", { organizationId: ORG, members: { "auth0|alice": [ADMIN] } });
    new OrganizationMemberRoles(stack, "alice", {
      organizationId: ORG,
      userId: "auth0|alice",
      roles: [ADMIN, ADMIN],
    });
    const errors = synthErrors(app);
    expect(
      errors.some((e) => e.startsWith("[stack/alice] roles of OrganizationMemberRoles stack/alice:")),
    ).toBe(true);
    expect(errors.some((e) => e.includes("stack/acme"))).toBe(true);
  });
});
