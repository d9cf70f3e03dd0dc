import { MAX_ROLES_PER_MEMBER, validateMemberRoles } from "../../src/roles";

const roleIds = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => `rol_${String(i).padStart(16, "0")}`);

describe("validateMemberRoles", () => {
  it("accepts well-formed input without findings", () => {
    expect(
      validateMemberRoles({
        organizationId: "org_0123456789abcdef",
        userId: "auth0|alice",
        roles: roleIds(3),
      }),
    ).toEqual([]);
  });

  it("skips every check for values that are not known yet", () => {
    expect(validateMemberRoles({})).toEqual([]);
  });

  it("accepts an empty role set: the member then holds no roles", () => {
    expect(validateMemberRoles({ roles: [] })).toEqual([]);
  });

  it.each(["", "   "])("rejects organization_id %p and says what to set", (organizationId) => {
    const findings = validateMemberRoles({ organizationId });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: "error", field: "organization_id" });
    expect(findings[0]?.message).toMatch(/organization_id is empty.*org_/);
  });

  it.each(["", "\t"])("rejects user_id %p and says what to set", (userId) => {
    const findings = validateMemberRoles({ userId });
    expect(findings).toEqual([
      { severity: "error", field: "user_id", message: expect.stringMatching(/user_id is empty.*auth0\|/) },
    ]);
  });

  it("warns about an organization id that is probably a name, naming the value", () => {
    const findings = validateMemberRoles({ organizationId: "acme-corp" });
    expect(findings).toEqual([
      { severity: "warning", field: "organization_id", message: expect.stringContaining('"acme-corp"') },
    ]);
    expect(findings[0]?.message).toMatch(/not its name/);
  });

  it(`rejects more than ${MAX_ROLES_PER_MEMBER} roles and says how many to remove`, () => {
    const findings = validateMemberRoles({ roles: roleIds(MAX_ROLES_PER_MEMBER + 3) });
    expect(findings).toEqual([
      {
        severity: "error",
        field: "roles",
        message: expect.stringMatching(/53 roles.*at most 50.*Remove 3/),
      },
    ]);
  });

  it(`accepts exactly ${MAX_ROLES_PER_MEMBER} roles`, () => {
    expect(validateMemberRoles({ roles: roleIds(MAX_ROLES_PER_MEMBER) })).toEqual([]);
  });

  it("counts duplicates once, as Terraform's set does", () => {
    const roles = [...roleIds(MAX_ROLES_PER_MEMBER), ...roleIds(5)];
    expect(validateMemberRoles({ roles })).toEqual([]);
  });

  it("rejects an empty role id", () => {
    const findings = validateMemberRoles({ roles: ["rol_0123456789abcdef", ""] });
    expect(findings).toEqual([
      { severity: "error", field: "roles", message: expect.stringMatching(/empty role id.*rol_/) },
    ]);
  });

  it("warns about each role that looks like a name, naming it", () => {
    const findings = validateMemberRoles({ roles: ["admin", "rol_ok", "rol_bad-id"] });
    expect(findings.map((f) => [f.severity, f.field])).toEqual([
      ["warning", "roles"],
      ["warning", "roles"],
    ]);
    expect(findings[0]?.message).toContain('"admin"');
    expect(findings[1]?.message).toContain('"rol_bad-id"');
    expect(findings[0]?.message).toMatch(/role's id/);
  });

  it("reports problems in every field at once", () => {
    const findings = validateMemberRoles({ organizationId: "", userId: "", roles: [""] });
    expect(findings.map((f) => f.field)).toEqual(["organization_id", "user_id", "roles"]);
    expect(findings.every((f) => f.severity === "error")).toBe(true);
  });
});
