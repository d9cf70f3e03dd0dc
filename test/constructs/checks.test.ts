import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as cdktfApi from "auth0-org-member-roles-cdktf";
import * as cdktnApi from "auth0-org-member-roles-cdktn";
import * as cdktf from "cdktf";
import * as cdktn from "cdktn";

// The synth-time checks live once in src/constructs; both construct layers must apply them alike.
// cdktn is cdktf's API under another name, so one kit type (cdktf's) describes both.
interface Kit {
  readonly Testing: typeof cdktf.Testing;
  readonly TerraformStack: typeof cdktf.TerraformStack;
  readonly TerraformVariable: typeof cdktf.TerraformVariable;
  readonly Token: typeof cdktf.Token;
  readonly Auth0RolesProvider: typeof cdktfApi.Auth0RolesProvider;
  readonly OrganizationMemberRoles: typeof cdktfApi.OrganizationMemberRoles;
}

const KITS: readonly [string, Kit][] = [
  ["cdktf", { ...cdktf, ...cdktfApi }],
  ["cdktn", { ...cdktn, ...cdktnApi } as unknown as Kit],
];

const ORG = "org_0123456789abcdef";
const ADMIN = "rol_admin0123456789";
const BILLING = "rol_billing012345678";

let outRoot: string;
beforeAll(() => {
  outRoot = mkdtempSync(join(tmpdir(), "construct-checks-"));
});
afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

describe.each(KITS)("under %s", (_name, kit) => {
  const { Testing, TerraformStack, TerraformVariable, Token, Auth0RolesProvider, OrganizationMemberRoles } =
    kit;
  type App = cdktf.App;
  type TerraformStack = cdktf.TerraformStack;

  function newApp(): App {
    return Testing.app({ outdir: mkdtempSync(join(outRoot, "app-")) });
  }

  function newStack(app: App, name = "stack"): TerraformStack {
    const stack = new TerraformStack(app, name);
    new Auth0RolesProvider(stack, "auth0");
    return stack;
  }

  /** Synthesizes the app the way `cdktf synth` does and returns the validation errors it reports. */
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

  function errorsFor(build: (stack: TerraformStack) => void): string[] {
    const app = newApp();
    build(newStack(app));
    return synthErrors(app);
  }

  describe("OrganizationMemberRoles synth-time validation", () => {
    it("accepts a well-formed member", () => {
      expect(
        errorsFor((stack) => {
          new OrganizationMemberRoles(stack, "alice", {
            organizationId: ORG,
            userId: "auth0|alice",
            roles: [ADMIN],
          });
        }),
      ).toEqual([]);
    });

    it("rejects an empty organizationId, naming the path and field and how to fix it", () => {
      const errors = errorsFor((stack) => {
        new OrganizationMemberRoles(stack, "alice", {
          organizationId: "",
          userId: "auth0|alice",
          roles: [ADMIN],
        });
      });
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/^\[stack\/alice\] organizationId of OrganizationMemberRoles stack\/alice: /);
      expect(errors[0]).toContain("is empty");
      expect(errors[0]).toContain("Set it to the id of the Auth0 organization");
    });

    it("rejects a blank userId", () => {
      const errors = errorsFor((stack) => {
        new OrganizationMemberRoles(stack, "alice", { organizationId: ORG, userId: "  ", roles: [ADMIN] });
      });
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/^\[stack\/alice\] userId of OrganizationMemberRoles stack\/alice: /);
      expect(errors[0]).toContain("Set it to the Auth0 user id");
    });

    it("rejects more than 50 roles and says how many to remove", () => {
      const roles = Array.from({ length: 52 }, (_, i) => `rol_${String(i).padStart(16, "0")}`);
      const errors = errorsFor((stack) => {
        new OrganizationMemberRoles(stack, "alice", { organizationId: ORG, userId: "auth0|alice", roles });
      });
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/^\[stack\/alice\] roles of OrganizationMemberRoles stack\/alice: /);
      expect(errors[0]).toContain("52 roles");
      expect(errors[0]).toContain("at most 50");
      expect(errors[0]).toContain("Remove 2");
    });

    it("accepts exactly 50 roles", () => {
      const roles = Array.from({ length: 50 }, (_, i) => `rol_${String(i).padStart(16, "0")}`);
      expect(
        errorsFor((stack) => {
          new OrganizationMemberRoles(stack, "alice", { organizationId: ORG, userId: "auth0|alice", roles });
        }),
      ).toEqual([]);
    });

    it("rejects an empty role id", () => {
      const errors = errorsFor((stack) => {
        new OrganizationMemberRoles(stack, "alice", {
          organizationId: ORG,
          userId: "auth0|alice",
          roles: [ADMIN, ""],
        });
      });
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/^\[stack\/alice\] roles of OrganizationMemberRoles stack\/alice: /);
      expect(errors[0]).toContain("empty role id");
    });

    it("rejects ids that are path steps or too long, as the provider does", () => {
      const errors = errorsFor((stack) => {
        new OrganizationMemberRoles(stack, "alice", {
          organizationId: "..",
          userId: ".",
          roles: [`rol_${"x".repeat(300)}`],
        });
      });
      expect(errors).toEqual([
        expect.stringContaining('organization_id ".." is not an id'),
        expect.stringContaining('user_id "." is not an id'),
        expect.stringContaining("at most 255 characters"),
      ]);
    });

    it("rejects a duplicate role id and says to remove it", () => {
      const errors = errorsFor((stack) => {
        new OrganizationMemberRoles(stack, "alice", {
          organizationId: ORG,
          userId: "auth0|alice",
          roles: [ADMIN, BILLING, ADMIN, ADMIN],
        });
      });
      expect(errors).toEqual([
        `[stack/alice] roles of OrganizationMemberRoles stack/alice: role "${ADMIN}" is listed 3 times. roles is a set, so the copies would collapse into one; remove the duplicate (or replace it with the role you meant).`,
      ]);
    });

    it("checks values set after construction", () => {
      const errors = errorsFor((stack) => {
        const alice = new OrganizationMemberRoles(stack, "alice", {
          organizationId: ORG,
          userId: "auth0|alice",
          roles: [ADMIN],
        });
        alice.roles = [BILLING, BILLING];
      });
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain(`role "${BILLING}" is listed 2 times`);
    });

    it("reports every problem of a construct at once", () => {
      const errors = errorsFor((stack) => {
        new OrganizationMemberRoles(stack, "alice", {
          organizationId: " ",
          userId: "",
          roles: [ADMIN, ADMIN],
        });
      });
      expect(errors.map((e) => e.split(":")[0])).toEqual([
        "[stack/alice] organizationId of OrganizationMemberRoles stack/alice",
        "[stack/alice] userId of OrganizationMemberRoles stack/alice",
        "[stack/alice] roles of OrganizationMemberRoles stack/alice",
      ]);
    });

    describe("two constructs managing the same member", () => {
      it("is one error naming both construct paths", () => {
        const errors = errorsFor((stack) => {
          new OrganizationMemberRoles(stack, "alice", {
            organizationId: ORG,
            userId: "auth0|alice",
            roles: [ADMIN],
          });
          new OrganizationMemberRoles(stack, "alice-billing", {
            organizationId: ORG,
            userId: "auth0|alice",
            roles: [BILLING],
          });
        });
        expect(errors).toEqual([
          `[stack/alice-billing] organizationId and userId of OrganizationMemberRoles stack/alice-billing: member "auth0|alice" of organization "${ORG}" is already managed by OrganizationMemberRoles stack/alice. Each would revoke the roles the other grants on every apply; list all of this member's roles in one of them and remove the other.`,
        ]);
      });

      it("is found across stacks of one app", () => {
        const app = newApp();
        new OrganizationMemberRoles(newStack(app, "admins"), "alice", {
          organizationId: ORG,
          userId: "auth0|alice",
          roles: [ADMIN],
        });
        new OrganizationMemberRoles(newStack(app, "billing"), "alice", {
          organizationId: ORG,
          userId: "auth0|alice",
          roles: [BILLING],
        });
        const errors = synthErrors(app);
        expect(errors).toHaveLength(1);
        expect(errors[0]).toMatch(
          /^\[billing\/alice\] organizationId and userId of OrganizationMemberRoles billing\/alice: /,
        );
        expect(errors[0]).toContain("already managed by OrganizationMemberRoles admins/alice");
      });

      it("follows the constructs from one synth to the next", () => {
        const app = newApp();
        const stack = newStack(app);
        new OrganizationMemberRoles(stack, "alice", {
          organizationId: ORG,
          userId: "auth0|alice",
          roles: [ADMIN],
        });
        const bob = new OrganizationMemberRoles(stack, "bob", {
          organizationId: ORG,
          userId: "auth0|bob",
          roles: [],
        });
        expect(synthErrors(app)).toEqual([]);
        bob.userId = "auth0|alice";
        expect(synthErrors(app)).toHaveLength(1);
        bob.userId = "auth0|bob";
        expect(synthErrors(app)).toEqual([]);
      });

      it("is not reported for the same user in another organization or another user in the same one", () => {
        expect(
          errorsFor((stack) => {
            new OrganizationMemberRoles(stack, "a", {
              organizationId: ORG,
              userId: "auth0|alice",
              roles: [],
            });
            new OrganizationMemberRoles(stack, "b", {
              organizationId: "org_other",
              userId: "auth0|alice",
              roles: [],
            });
            new OrganizationMemberRoles(stack, "c", { organizationId: ORG, userId: "auth0|bob", roles: [] });
          }),
        ).toEqual([]);
      });
    });

    describe("tokens", () => {
      it("skips checks on values Terraform resolves later", () => {
        const errors = errorsFor((stack) => {
          const org = new TerraformVariable(stack, "org", { type: "string" });
          const user = new TerraformVariable(stack, "user", { type: "string" });
          const roles = new TerraformVariable(stack, "roles", { type: "list(string)" });
          const role = new TerraformVariable(stack, "role", { type: "string" });
          new OrganizationMemberRoles(stack, "from-variables", {
            organizationId: org.stringValue,
            userId: user.stringValue,
            roles: Token.asList(roles.value),
          });
          // Same token ids: unknown until apply, so not reported as the same member.
          new OrganizationMemberRoles(stack, "same-variables", {
            organizationId: org.stringValue,
            userId: user.stringValue,
            roles: Array.from({ length: 60 }, () => role.stringValue),
          });
        });
        expect(errors).toEqual([]);
      });

      it("still checks the literal values next to tokens", () => {
        const errors = errorsFor((stack) => {
          const role = new TerraformVariable(stack, "role", { type: "string" });
          new OrganizationMemberRoles(stack, "alice", {
            organizationId: ORG,
            userId: "auth0|alice",
            roles: [role.stringValue, BILLING, BILLING],
          });
        });
        expect(errors).toHaveLength(1);
        expect(errors[0]).toContain(`role "${BILLING}" is listed 2 times`);
      });
    });

    describe("warnings", () => {
      it("records a role name used instead of a role id as a warning, once, without failing synth", () => {
        const app = newApp();
        const stack = newStack(app);
        new OrganizationMemberRoles(stack, "alice", {
          organizationId: ORG,
          userId: "auth0|alice",
          roles: ["admin"],
        });
        Testing.synth(stack, true);
        expect(synthErrors(app)).toEqual([]);

        const manifest = JSON.parse(readFileSync(join(app.outdir, "manifest.json"), "utf8")) as {
          stacks: Record<
            string,
            { annotations: { constructPath: string; level: string; message: string }[] }
          >;
        };
        const annotations = manifest.stacks.stack?.annotations ?? [];
        expect(annotations).toHaveLength(1);
        expect(annotations[0]).toMatchObject({ constructPath: "stack/alice", level: "@cdktf/warn" });
        expect(annotations[0]?.message).toMatch(
          /^roles of OrganizationMemberRoles stack\/alice: role "admin" does not look like/,
        );
      });
    });
  });
});

describe("a construct of one library in the other library's app", () => {
  it("stops at construction with the import that fits", () => {
    const cdktnStack = new cdktn.TerraformStack(cdktn.Testing.app(), "stack");
    expect(
      () => new cdktfApi.Auth0RolesProvider(cdktnStack as unknown as cdktf.TerraformStack, "auth0"),
    ).toThrow(
      'stack/auth0 is a cdktf construct in a stack that is not from cdktf (a cdktn app?): import it from "auth0-org-member-roles-cdktn".',
    );
    const cdktfStack = new cdktf.TerraformStack(cdktf.Testing.app(), "stack");
    expect(
      () =>
        new cdktnApi.OrganizationMemberRoles(cdktfStack as unknown as cdktn.TerraformStack, "alice", {
          organizationId: ORG,
          userId: "auth0|alice",
          roles: [],
        }),
    ).toThrow('import it from "auth0-org-member-roles-cdktf".');
  });
});
