import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as cdktfApi from "auth0-org-member-roles-cdktf";
import * as cdktnApi from "auth0-org-member-roles-cdktn";
import * as cdktf from "cdktf";
import * as cdktn from "cdktn";

// Auth0Roles lives once in src/constructs; both construct layers must behave alike. cdktn is
// cdktf's API under another name, so one kit type (cdktf's) describes both.
interface Kit {
  readonly Testing: typeof cdktf.Testing;
  readonly TerraformStack: typeof cdktf.TerraformStack;
  readonly TerraformVariable: typeof cdktf.TerraformVariable;
  readonly Token: typeof cdktf.Token;
  readonly Auth0Roles: typeof cdktfApi.Auth0Roles;
  readonly Auth0RolesProvider: typeof cdktfApi.Auth0RolesProvider;
  readonly OrganizationMemberRoles: typeof cdktfApi.OrganizationMemberRoles;
  readonly OrganizationRoles: typeof cdktfApi.OrganizationRoles;
}

const KITS: readonly [string, Kit][] = [
  ["cdktf", { ...cdktf, ...cdktfApi }],
  ["cdktn", { ...cdktn, ...cdktnApi } as unknown as Kit],
];

const ORG = "org_0123456789abcdef";
const ADMIN = "rol_admin0123456789";

let outRoot: string;
beforeAll(() => {
  outRoot = mkdtempSync(join(tmpdir(), "auth0-roles-"));
});
afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

interface Synthesized {
  data?: { auth0roles_roles?: Record<string, { names?: string[] }> };
  resource: { auth0roles_organization_member_roles: Record<string, { roles: string[] }> };
}

describe.each(KITS)("under %s", (_name, kit) => {
  const {
    Testing,
    TerraformStack,
    TerraformVariable,
    Token,
    Auth0Roles,
    Auth0RolesProvider,
    OrganizationMemberRoles,
    OrganizationRoles,
  } = kit;
  type App = cdktf.App;
  type TerraformStack = cdktf.TerraformStack;

  function newApp(): { app: App; stack: TerraformStack } {
    const app = Testing.app({ outdir: mkdtempSync(join(outRoot, "app-")) });
    const stack = new TerraformStack(app, "stack");
    new Auth0RolesProvider(stack, "auth0");
    return { app, stack };
  }

  function synthesized(stack: TerraformStack): Synthesized {
    return JSON.parse(Testing.synth(stack)) as Synthesized;
  }

  /** The validation errors `cdktf synth` reports, one line each. */
  function synthErrors(app: App): string[] {
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

  function member(stack: TerraformStack, id: string, roles: string[]): void {
    new OrganizationMemberRoles(stack, id, { organizationId: ORG, userId: `auth0|${id}`, roles });
  }

  describe("Auth0Roles", () => {
    it("references role ids by name, mixed with literal ids, and tells the data source every name used", () => {
      const { app, stack } = newApp();
      const roles = new Auth0Roles(stack, "roles");
      member(stack, "alice", [ADMIN, roles.id("viewer"), roles.id("billing")]);
      member(stack, "bob", [roles.id("viewer")]);

      const json = synthesized(stack);
      expect(json.data?.auth0roles_roles).toEqual({ roles: { names: ["billing", "viewer"] } });
      const resources = json.resource.auth0roles_organization_member_roles;
      expect(resources.alice?.roles).toEqual([
        ADMIN,
        `\${data.auth0roles_roles.roles.roles["viewer"]}`,
        `\${data.auth0roles_roles.roles.roles["billing"]}`,
      ]);
      expect(resources.bob?.roles).toEqual([`\${data.auth0roles_roles.roles.roles["viewer"]}`]);
      expect(synthErrors(app)).toEqual([]);
    });

    it("leaves names out when no role is referenced by name", () => {
      const { stack } = newApp();
      new Auth0Roles(stack, "roles");
      expect(synthesized(stack).data?.auth0roles_roles).toEqual({ roles: {} });
    });

    it("is the data source: its whole map stays available", () => {
      const { stack } = newApp();
      const roles = new Auth0Roles(stack, "roles");
      expect(Token.isUnresolved(roles.roles.lookup("admin"))).toBe(true);
      expect(roles.id("admin")).toBe(roles.id("admin"));
    });

    it("reports one name listed twice in a member's roles as a duplicate, written as the code wrote it", () => {
      const { app, stack } = newApp();
      const roles = new Auth0Roles(stack, "roles");
      member(stack, "alice", [roles.id("billing"), ADMIN, roles.id("billing")]);
      expect(synthErrors(app)).toEqual([
        '[stack/alice] roles of OrganizationMemberRoles stack/alice: role roles.id("billing") is listed 2 times. roles is a set, so the copies would collapse into one; remove the duplicate (or replace it with the role you meant).',
      ]);
    });

    it("still checks the literal ids next to names", () => {
      const { app, stack } = newApp();
      const roles = new Auth0Roles(stack, "roles");
      member(stack, "alice", [roles.id("billing"), ADMIN, ADMIN]);
      const errors = synthErrors(app);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain(`role "${ADMIN}" is listed 2 times`);
    });

    it("rejects an empty name at synth", () => {
      const { app, stack } = newApp();
      const roles = new Auth0Roles(stack, "roles");
      member(stack, "alice", [roles.id("")]);
      expect(synthErrors(app)).toEqual([
        '[stack/roles] Auth0Roles stack/roles: roles.id(""): the role name is empty. Use the name shown under User Management > Roles.',
      ]);
    });

    describe("with knownNames", () => {
      it("fails synth for a name not among them, naming the closest ones", () => {
        const { app, stack } = newApp();
        const roles = new Auth0Roles(stack, "roles", {
          knownNames: ["admin", "billing", "billing-admin", "viewer"],
        });
        member(stack, "alice", [roles.id("billng"), roles.id("viewer"), roles.id("auditor")]);
        expect(synthErrors(app)).toEqual([
          '[stack/roles] Auth0Roles stack/roles: roles.id("auditor"): no role called "auditor" in knownNames. No role name is close to it. Fix the spelling, or add the role to knownNames (and to the tenant).',
          '[stack/roles] Auth0Roles stack/roles: roles.id("billng"): no role called "billng" in knownNames. The closest role names: "billing". Fix the spelling, or add the role to knownNames (and to the tenant).',
        ]);
      });

      it("passes when every name is among them, and still tells the data source the names", () => {
        const { app, stack } = newApp();
        const roles = new Auth0Roles(stack, "roles", { knownNames: ["admin", "billing"] });
        member(stack, "alice", [roles.id("billing")]);
        expect(synthErrors(app)).toEqual([]);
        expect(synthesized(stack).data?.auth0roles_roles?.roles?.names).toEqual(["billing"]);
      });

      it("skips the synth check when the names are only known to Terraform", () => {
        const { app, stack } = newApp();
        const known = new TerraformVariable(stack, "known", { type: "list(string)" });
        const roles = new Auth0Roles(stack, "roles", { knownNames: Token.asList(known.value) });
        const name = new TerraformVariable(stack, "name", { type: "string" });
        member(stack, "alice", [roles.id("anything"), roles.id(name.stringValue)]);
        expect(synthErrors(app)).toEqual([]);
        expect(synthesized(stack).data?.auth0roles_roles?.roles?.names).toEqual([`\${var.name}`, "anything"]);
      });
    });
  });

  it("works in OrganizationRoles' members: names and ids mix, and one name listed twice is reported", () => {
    const { app, stack } = newApp();
    const roles = new Auth0Roles(stack, "roles");
    new OrganizationRoles(stack, "acme", {
      organizationId: ORG,
      members: {
        "auth0|alice": [roles.id("billing"), ADMIN],
        "auth0|bob": [roles.id("viewer"), roles.id("viewer")],
      },
    });
    const json = JSON.parse(Testing.synth(stack)) as {
      data: Record<string, unknown>;
      resource: Record<string, Record<string, { members: Record<string, string[]> }>>;
    };
    expect(json.data.auth0roles_roles).toEqual({ roles: { names: ["billing", "viewer"] } });
    expect(json.resource.auth0roles_organization_roles?.acme?.members["auth0|alice"]).toEqual([
      `\${data.auth0roles_roles.roles.roles["billing"]}`,
      ADMIN,
    ]);
    expect(synthErrors(app)).toEqual([
      '[stack/acme] OrganizationRoles stack/acme: members["auth0|bob"] lists role roles.id("viewer") 2 times. Each member\'s roles are a set, so the copies would collapse into one; remove the duplicate (or replace it with the role you meant).',
    ]);
  });
});
