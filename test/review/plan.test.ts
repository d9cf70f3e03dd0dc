import { PlanInputError, parsePlanText, readPlan } from "../../src/review";

// Shapes real plans have that the end-to-end plans do not reach: unknown roles, `removed` blocks,
// imports that change roles, data sources and other providers' resources.

const ORG = "org_acme000000000001";
const member = (user: string, roles: string[]) => ({
  organization_id: ORG,
  user_id: user,
  roles,
  id: `${ORG}::${user}`,
});

function change(actions: string[], before: unknown, after: unknown, extra: Record<string, unknown> = {}) {
  return {
    address: "auth0roles_organization_member_roles.x",
    mode: "managed",
    type: "auth0roles_organization_member_roles",
    name: "x",
    change: { actions, before, after, after_unknown: {}, ...extra },
  };
}

const plan = (resource_changes: unknown[], resource_drift: unknown[] = []) => ({
  format_version: "1.2",
  planned_values: {},
  resource_changes,
  resource_drift,
});

describe("readPlan", () => {
  it("marks roles known only after apply as unknown", () => {
    const entry = change(
      ["create"],
      null,
      { organization_id: ORG, user_id: "auth0|a" },
      { after_unknown: { roles: true, id: true } },
    );
    expect(readPlan(plan([entry]), "p").changes).toEqual([
      {
        address: entry.address,
        action: "create",
        organizationId: ORG,
        userId: "auth0|a",
        before: null,
        after: "unknown",
      },
    ]);
  });

  it("reads a removed block that keeps the roles as forget, an import that changes roles as update", () => {
    const forget = change(["forget"], member("auth0|a", ["rol_1"]), null);
    const importing = change(["update"], member("auth0|b", ["rol_1"]), member("auth0|b", ["rol_2"]), {
      importing: { id: `${ORG}::auth0|b` },
    });
    const noopImport = change(["no-op"], member("auth0|c", ["rol_1"]), member("auth0|c", ["rol_1"]), {
      importing: { id: `${ORG}::auth0|c` },
    });
    const noop = change(["no-op"], member("auth0|d", ["rol_1"]), member("auth0|d", ["rol_1"]));
    expect(
      readPlan(plan([forget, importing, noopImport, noop]), "p").changes.map((c) => [c.userId, c.action]),
    ).toEqual([
      ["auth0|a", "forget"],
      ["auth0|b", "update"],
      ["auth0|c", "import"],
    ]);
  });

  it("shows a member whose id is known only after apply under a placeholder", () => {
    const entry = change(
      ["create"],
      null,
      { organization_id: ORG, roles: ["rol_1"] },
      { after_unknown: { user_id: true, id: true } },
    );
    expect(readPlan(plan([entry]), "p").changes).toEqual([
      {
        address: entry.address,
        action: "create",
        organizationId: ORG,
        userId: "(known after apply)",
        before: null,
        after: ["rol_1"],
      },
    ]);
  });

  it("ignores data sources and other providers' resources", () => {
    const other = { ...change(["create"], null, {}), type: "auth0_organization_member_roles" };
    const data = { ...change(["read"], null, {}), mode: "data", type: "auth0roles_roles" };
    expect(readPlan(plan([other, data]), "p")).toEqual({ changes: [], drift: [], exclusiveScans: [] });
  });

  it("splits a replacement into the member losing the resource and the one gaining it", () => {
    const replace = change(["delete", "create"], member("auth0|a", ["rol_1"]), member("auth0|b", ["rol_1"]));
    expect(readPlan(plan([replace]), "p").changes.map((c) => [c.phase, c.userId, c.before, c.after])).toEqual(
      [
        ["destroy", "auth0|a", ["rol_1"], null],
        ["create", "auth0|b", null, ["rol_1"]],
      ],
    );
  });

  it("reads drift, including a member gone from the organization", () => {
    const granted = change(["update"], member("auth0|a", ["rol_1"]), member("auth0|a", ["rol_1", "rol_2"]));
    const gone = change(["delete"], member("auth0|b", ["rol_1"]), null);
    expect(readPlan(plan([], [granted, gone]), "p").drift).toEqual([
      {
        address: granted.address,
        organizationId: ORG,
        userId: "auth0|a",
        before: ["rol_1"],
        after: ["rol_1", "rol_2"],
      },
      { address: gone.address, organizationId: ORG, userId: "auth0|b", before: ["rol_1"], after: null },
    ]);
  });

  it.each([
    [[], "p has no format_version; expected the output of terraform show -json PLANFILE."],
    [
      { format_version: "2.0", planned_values: {} },
      "p has format_version 2.0; this command reads format 1.x (Terraform >= 1.0).",
    ],
    [
      { format_version: "1.0", values: {} },
      "p is a state, not a plan (no planned_values or resource_changes); run terraform plan -out=PLANFILE, then terraform show -json PLANFILE.",
    ],
    [{ format_version: "1.2", resource_changes: {} }, "p: resource_changes is not a list."],
    [
      plan([change(["explode"], null, {})]),
      'p: resource_changes[0] (auth0roles_organization_member_roles.x) has unknown actions ["explode"].',
    ],
    [
      plan([change(["create"], null, { organization_id: ORG, user_id: "auth0|a", roles: "rol_1" })]),
      "p: resource_changes[0] (auth0roles_organization_member_roles.x): roles is not a list of role ids.",
    ],
  ])("rejects unusable input with a message naming the problem (%#)", (input, message) => {
    expect(() => readPlan(input, "p")).toThrow(new PlanInputError(message));
  });
});

describe("parsePlanText", () => {
  // A plan's JSON holds the provider configuration's client secret in clear; the parser's own
  // messages quote the text around the error.
  const SECRET = "s3cr3t-0123456789abcdef";
  it.each([
    [`{"client_secret": "${SECRET}" x}`, "invalid at character 45"],
    [`client_secret = "${SECRET}"`, "not valid JSON"],
    [`{"a": x"${SECRET}"}`, "not valid JSON"],
    [`{"client_secret": "${SECRET}`, "invalid at character 43"],
    ['{"a": ', "it ends too early"],
  ])("says where text is not JSON without quoting it (%#)", (text, where) => {
    let message = "";
    try {
      parsePlanText(text, "plan.json");
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(
      `plan.json is not JSON (${where}); expected the output of terraform show -json PLANFILE.`,
    );
    expect(message).not.toContain(SECRET.slice(0, 3));
  });
});
