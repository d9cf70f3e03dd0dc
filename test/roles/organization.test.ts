import {
  checkListing,
  type MemberRolesMap,
  memberSteps,
  membersToChange,
  validateOrganizationRoles,
} from "../../src/roles";

const roles = (n: number, prefix = "rol_r") =>
  Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(3, "0")}`);
const map = (entries: Record<string, string[]>): MemberRolesMap => new Map(Object.entries(entries));

describe("memberSteps", () => {
  it("grants before it revokes when the cap leaves room", () => {
    expect(memberSteps(["rol_a", "rol_keep"], ["rol_keep", "rol_b"])).toEqual([
      { action: "grant", roles: ["rol_b"] },
      { action: "revoke", roles: ["rol_a"] },
    ]);
  });

  it("makes no call for an unchanged member", () => {
    expect(memberSteps(["rol_a", "rol_b"], ["rol_b", "rol_a"])).toEqual([]);
  });

  it("revokes just enough first to stay under 50 roles, then grants, then revokes the rest", () => {
    const current = roles(50, "rol_old");
    const desired = [...current.slice(0, 45), ...roles(5, "rol_new")];
    const steps = memberSteps(current, desired);
    expect(steps).toEqual([
      { action: "revoke", roles: current.slice(45, 50) },
      { action: "grant", roles: roles(5, "rol_new") },
    ]);
    const partial = memberSteps(roles(48, "rol_old"), roles(10, "rol_new"));
    expect(partial.map((s) => [s.action, s.roles.length])).toEqual([
      ["revoke", 8],
      ["grant", 10],
      ["revoke", 40],
    ]);
    // At no point does the member hold more than 50.
    let held = 48;
    for (const step of partial) {
      held += step.action === "grant" ? step.roles.length : -step.roles.length;
      expect(held).toBeLessThanOrEqual(50);
    }
  });
});

describe("checkListing", () => {
  it("confirms declared members the listing agrees with and asks for the others", () => {
    const result = checkListing({
      declared: map({ "auth0|a": ["rol_1"], "auth0|b": ["rol_1"], "auth0|gone": [] }),
      undeclared: new Map(),
      exclusive: false,
      listed: map({ "auth0|a": ["rol_1"], "auth0|b": ["rol_2"], "auth0|other": ["rol_9"] }),
    });
    expect([...result.confirmed]).toEqual([["auth0|a", ["rol_1"]]]);
    // b disagrees; gone is not listed. other is not managed without exclusive.
    expect(result.toConfirm).toEqual(["auth0|b", "auth0|gone"]);
  });

  it("with exclusive, checks every other member the listing shows holding roles, and those the state knew", () => {
    const result = checkListing({
      declared: map({ "auth0|a": ["rol_1"] }),
      undeclared: map({ "auth0|known": ["rol_2"], "auth0|left": ["rol_2"] }),
      exclusive: true,
      listed: map({
        "auth0|a": ["rol_1"],
        "auth0|known": ["rol_2"],
        "auth0|hand": ["rol_admin"],
        "auth0|plain": [],
      }),
    });
    expect([...result.confirmed.keys()].sort()).toEqual(["auth0|a", "auth0|known"]);
    expect(result.toConfirm.sort()).toEqual(["auth0|hand", "auth0|left"]);
  });
});

describe("membersToChange", () => {
  it("touches declared members whose roles differ or are unknown, and revokes removed members", () => {
    const changes = membersToChange({
      desired: map({ "auth0|same": ["rol_1"], "auth0|diff": ["rol_2"], "auth0|new": ["rol_1"] }),
      known: map({
        "auth0|same": ["rol_1"],
        "auth0|diff": ["rol_1"],
        "auth0|removed": ["rol_1"],
        "auth0|x": ["rol_3"],
      }),
      previouslyDeclared: new Set(["auth0|same", "auth0|diff", "auth0|removed"]),
      exclusive: false,
    });
    expect(changes).toEqual([
      { userId: "auth0|diff", believed: ["rol_1"], desired: ["rol_2"], kind: "declared" },
      { userId: "auth0|new", believed: undefined, desired: ["rol_1"], kind: "declared" },
      { userId: "auth0|removed", believed: ["rol_1"], desired: [], kind: "removed" },
    ]);
  });

  it("with exclusive, revokes every other member known to hold roles", () => {
    const changes = membersToChange({
      desired: map({ "auth0|a": ["rol_1"] }),
      known: map({ "auth0|a": ["rol_1"], "auth0|hand": ["rol_admin"], "auth0|none": [] }),
      previouslyDeclared: new Set(),
      exclusive: true,
    });
    expect(changes).toEqual([
      { userId: "auth0|hand", believed: ["rol_admin"], desired: [], kind: "undeclared" },
    ]);
  });
});

describe("validateOrganizationRoles", () => {
  it("names the member at fault for the 50-role cap and empty role ids", () => {
    const findings = validateOrganizationRoles({
      organizationId: "org_0123456789abcdef",
      members: new Map([
        ["auth0|big", roles(51)],
        ["auth0|empty", [""]],
        ["auth0|ok", ["rol_0123456789abcdef"]],
      ]),
    });
    const errors = findings.filter((f) => f.severity === "error");
    expect(errors.map((f) => [f.member, f.field])).toEqual([
      ["auth0|big", "members"],
      ["auth0|empty", "members"],
    ]);
    expect(errors[0]?.message).toContain('members["auth0|big"]: roles lists 51 roles');
    expect(errors[0]?.message).toContain("Remove 1 of them");
  });

  it("rejects an empty organization id and an empty user id key", () => {
    const findings = validateOrganizationRoles({ organizationId: " ", members: new Map([["", []]]) });
    expect(findings.map((f) => [f.severity, f.field])).toEqual([
      ["error", "organization_id"],
      ["error", "members"],
    ]);
    expect(findings[1]?.message).toContain("empty user id");
  });

  it("rejects dot-segment and control-character ids, naming the member key", () => {
    const findings = validateOrganizationRoles({
      organizationId: "..",
      members: new Map([
        ["..", []],
        ["auth0|a\nb", []],
      ]),
    });
    expect(findings.map((f) => [f.severity, f.field, f.member])).toEqual([
      ["error", "organization_id", undefined],
      ["error", "members", ".."],
      ["error", "members", "auth0|a\nb"],
    ]);
    expect(findings[1]?.message).toBe(
      'members[".."]: the user id key ".." is not an id: "." and ".." are path steps, not ids. Use the member\'s Auth0 user id (like auth0|abc123).',
    );
    expect(findings[2]?.message).toContain("control character U+000A");
  });

  it("warns about ids that do not look like Auth0 ids and skips what is unknown", () => {
    const findings = validateOrganizationRoles({
      organizationId: "acme",
      members: new Map([
        ["auth0|a", ["admin"]],
        ["auth0|b", undefined],
      ]),
    });
    expect(findings.map((f) => [f.severity, f.field, f.member])).toEqual([
      ["warning", "organization_id", undefined],
      ["warning", "members", "auth0|a"],
    ]);
  });
});
