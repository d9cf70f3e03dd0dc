import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as cdktfApi from "auth0-org-member-roles-cdktf";
import * as cdktnApi from "auth0-org-member-roles-cdktn";
import * as cdktf from "cdktf";
import * as cdktn from "cdktn";
import { ORGANIZATION_ROLES_RESOURCE } from "../../src/provider/startup/provider-names";

// OrganizationRoles' checks live once in src/constructs; both construct layers must apply them alike.
// cdktn is cdktf's API under another name, so one kit type (cdktf's) describes both.
interface Kit {
  readonly Testing: typeof cdktf.Testing;
  readonly TerraformStack: typeof cdktf.TerraformStack;
  readonly TerraformVariable: typeof cdktf.TerraformVariable;
  readonly Token: typeof cdktf.Token;
  readonly Auth0RolesProvider: typeof cdktfApi.Auth0RolesProvider;
  readonly OrganizationMemberRoles: typeof cdktfApi.OrganizationMemberRoles;
  readonly OrganizationRoles: typeof cdktfApi.OrganizationRoles;
}

const KITS: readonly [string, Kit][] = [
  ["cdktf", { ...cdktf, ...cdktfApi }],
  ["cdktn", { ...cdktn, ...cdktnApi } as unknown as Kit],
];

const ORG = "org_0123456789abcdef";
const OTHER_ORG = "org_fedcba9876543210";
const ADMIN = "rol_admin0123456789";
const BILLING = "rol_billing012345678";

let outRoot: string;
beforeAll(() => {
  outRoot = mkdtempSync(join(tmpdir(), "cdktf-organization-roles-"));
});
afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

describe.each(KITS)("OrganizationRoles under %s", (_name, kit) => {
  const {
    Testing,
    TerraformStack,
    TerraformVariable,
    Token,
    Auth0RolesProvider,
    OrganizationMemberRoles,
    OrganizationRoles,
  } = kit;
  type App = cdktf.App;
  type TerraformStack = cdktf.TerraformStack;

  function newStack(): { app: App; stack: TerraformStack } {
    const app = Testing.app({ outdir: mkdtempSync(join(outRoot, "app-")) });
    const stack = new TerraformStack(app, "stack");
    new Auth0RolesProvider(stack, "auth0");
    return { app, stack };
  }

  /** The validation errors `cdktf synth` would report, one per line. */
  function synthErrors(build: (stack: TerraformStack) => void): string[] {
    const { app, stack } = newStack();
    build(stack);
    try {
      app.synth();
      return [];
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      expect(message).toMatch(/^Validation failed with the following errors:/);
      return message
        .split("\n")
        .filter((line) => line.startsWith("  ["))
        .map((line) => line.trim());
    }
  }

  describe("synthesis", () => {
    it("synthesizes the resource with the attribute names of the provider schema", () => {
      const synthesized = Testing.synthScope((scope) => {
        new OrganizationRoles(scope, "acme", {
          organizationId: ORG,
          members: { "auth0|alice": [ADMIN, BILLING], "auth0|bob": [] },
          exclusive: false,
        });
      });
      const parsed = JSON.parse(synthesized) as { resource: Record<string, Record<string, unknown>> };
      expect(parsed.resource[ORGANIZATION_ROLES_RESOURCE]?.acme).toEqual({
        organization_id: ORG,
        members: { "auth0|alice": [ADMIN, BILLING], "auth0|bob": [] },
        exclusive: false,
      });
    });

    it("accepts a well-formed organization next to member constructs of other organizations", () => {
      expect(
        synthErrors((stack) => {
          new OrganizationRoles(stack, "acme", { organizationId: ORG, members: { "auth0|alice": [ADMIN] } });
          new OrganizationMemberRoles(stack, "other", {
            organizationId: OTHER_ORG,
            userId: "auth0|alice",
            roles: [ADMIN],
          });
        }),
      ).toEqual([]);
    });

    it("refuses more than 50 roles and duplicate roles, naming the construct path and the member", () => {
      const many = Array.from({ length: 51 }, (_, i) => `rol_many${String(i).padStart(11, "0")}`);
      const errors = synthErrors((stack) => {
        new OrganizationRoles(stack, "acme", {
          organizationId: ORG,
          members: { "auth0|alice": many, "auth0|bob": [ADMIN, BILLING, ADMIN] },
        });
      });
      expect(errors).toHaveLength(2);
      expect(errors[0]).toContain(
        'OrganizationRoles stack/acme: members["auth0|alice"]: roles lists 51 roles',
      );
      expect(errors[1]).toContain(
        `OrganizationRoles stack/acme: members["auth0|bob"] lists role "${ADMIN}" 2 times`,
      );
    });

    it("names both construct paths when a member is also managed by OrganizationMemberRoles", () => {
      const errors = synthErrors((stack) => {
        new OrganizationRoles(stack, "acme", {
          organizationId: ORG,
          members: { "auth0|alice": [ADMIN] },
          exclusive: false,
        });
        new OrganizationMemberRoles(stack, "alice", {
          organizationId: ORG,
          userId: "auth0|alice",
          roles: [BILLING],
        });
        new OrganizationMemberRoles(stack, "bob", {
          organizationId: ORG,
          userId: "auth0|bob",
          roles: [BILLING],
        });
      });
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain("OrganizationRoles stack/acme");
      expect(errors[0]).toContain('member "auth0|alice"');
      expect(errors[0]).toContain("OrganizationMemberRoles stack/alice");
    });

    it("when exclusive, refuses any OrganizationMemberRoles of the organization", () => {
      const errors = synthErrors((stack) => {
        new OrganizationRoles(stack, "acme", { organizationId: ORG, members: { "auth0|alice": [ADMIN] } });
        new OrganizationMemberRoles(stack, "bob", {
          organizationId: ORG,
          userId: "auth0|bob",
          roles: [BILLING],
        });
      });
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain("it is exclusive");
      expect(errors[0]).toContain("OrganizationMemberRoles stack/bob");
    });

    it("refuses a second OrganizationRoles for the same organization", () => {
      const errors = synthErrors((stack) => {
        new OrganizationRoles(stack, "first", { organizationId: ORG, members: {} });
        new OrganizationRoles(stack, "second", { organizationId: ORG, members: {} });
      });
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain("OrganizationRoles stack/second");
      expect(errors[0]).toContain("already managed by OrganizationRoles stack/first");
    });

    it("leaves tokens to the provider: a members map or a role list that is a token is not checked", () => {
      expect(
        synthErrors((stack) => {
          const members = new TerraformVariable(stack, "members", { type: "map(set(string))" });
          const roles = new TerraformVariable(stack, "roles", { type: "set(string)" });
          new OrganizationRoles(stack, "a", { organizationId: ORG, members: members.value });
          new OrganizationRoles(stack, "b", {
            organizationId: OTHER_ORG,
            members: { "auth0|alice": Token.asList(roles.value) },
          });
        }),
      ).toEqual([]);
    });
  });
});
