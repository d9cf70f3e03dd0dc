import { MAX_ROLES_PER_MEMBER, validateMemberRoles } from "../../src/roles";
import { MAX_ID_LENGTH, MAX_ORGANIZATION_ID_LENGTH } from "../../src/roles/limits";

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

  describe("ids that would change the request path or cannot be ids", () => {
    it.each([".", ".."])("rejects organization_id and user_id %p as path steps", (id) => {
      const findings = validateMemberRoles({ organizationId: id, userId: id });
      expect(findings).toEqual([
        { severity: "error", field: "organization_id", message: expect.stringMatching(/path steps.*org_/) },
        { severity: "error", field: "user_id", message: expect.stringMatching(/path steps.*auth0\|/) },
      ]);
    });

    it("accepts dots inside an id, which stay inside their path segment", () => {
      expect(validateMemberRoles({ userId: "auth0|first.last..x", roles: [".."] })).toEqual([
        { severity: "warning", field: "roles", message: expect.stringContaining('".."') },
      ]);
    });

    it.each([
      ["a NUL", "auth0|a\u0000b", "U+0000", 8],
      ["a newline", "auth0|alice\n", "U+000A", 12],
      ["DEL", "auth0|\u007f", "U+007F", 7],
      ["a C1 control", "auth0|\u0085x", "U+0085", 7],
    ])("rejects a user_id with %s, naming the character and where it is", (_what, userId, code, position) => {
      const findings = validateMemberRoles({ userId });
      expect(findings).toEqual([
        {
          severity: "error",
          field: "user_id",
          message: expect.stringContaining(`control character ${code}`),
        },
      ]);
      expect(findings[0]?.message).toContain(`at position ${position}`);
    });

    it("rejects control characters in organization and role ids", () => {
      const findings = validateMemberRoles({ organizationId: "org_a\tb", roles: ["rol_x\r"] });
      expect(findings.map((f) => [f.severity, f.field])).toEqual([
        ["error", "organization_id"],
        ["error", "roles"],
      ]);
    });

    it(`rejects an organization_id longer than ${MAX_ORGANIZATION_ID_LENGTH} characters, naming the limit`, () => {
      const organizationId = `org_${"a".repeat(MAX_ORGANIZATION_ID_LENGTH - 3)}`;
      expect(validateMemberRoles({ organizationId: organizationId.slice(0, -1) })).toEqual([]);
      const findings = validateMemberRoles({ organizationId });
      expect(findings).toEqual([
        {
          severity: "error",
          field: "organization_id",
          message: expect.stringContaining(`at most ${MAX_ORGANIZATION_ID_LENGTH} characters`),
        },
      ]);
    });

    it(`rejects user and role ids longer than ${MAX_ID_LENGTH} characters without echoing them whole`, () => {
      const huge = `rol_${"x".repeat(1024 * 1024)}`;
      const findings = validateMemberRoles({ userId: `auth0|${"u".repeat(MAX_ID_LENGTH)}`, roles: [huge] });
      expect(findings.map((f) => [f.severity, f.field])).toEqual([
        ["error", "user_id"],
        ["error", "roles"],
      ]);
      expect(findings[1]?.message).toContain(`${huge.length} characters long`);
      expect(findings[1]?.message).toContain(`at most ${MAX_ID_LENGTH} characters`);
      expect(findings.every((f) => f.message.length < 400)).toBe(true);
    });

    it("keeps the findings for 10,000 bad role ids short: ten, then a count", () => {
      const roles = Array.from({ length: 10_000 }, (_, i) => `role-${i}`);
      const findings = validateMemberRoles({ roles });
      expect(findings[0]).toMatchObject({ severity: "error", message: expect.stringMatching(/10000 roles/) });
      expect(findings).toHaveLength(12);
      expect(findings[11]?.message).toMatch(/^9990 more role ids/);
    });
  });
});
