import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ALL_SCOPES, DEFAULT_SEED, loadSeedFile, validateSeedShape } from "../../src/emulator";

describe("DEFAULT_SEED", () => {
  it("is the tenant README's table describes: every organization, member and role held", () => {
    const readme = readFileSync(resolve(__dirname, "../../README.md"), "utf8");
    const table = readme.slice(readme.indexOf("| organization | member | roles held |"));
    const rows = table.split("\n").slice(2);
    const described: string[] = [];
    let organization = "";
    for (const row of rows.slice(
      0,
      rows.findIndex((r) => !r.startsWith("|")),
    )) {
      const [org, member, roles] = row
        .slice(1, -1)
        .split(" | ")
        .map((cell) => cell.replace(/`/g, "").trim());
      organization = org || organization;
      described.push(`${organization} ${member}: ${roles}`);
    }
    const roleName = new Map((DEFAULT_SEED.roles ?? []).map((r) => [r.id, r.name]));
    const actual = (DEFAULT_SEED.organizations ?? []).flatMap((org) =>
      (org.members ?? []).map((m) => {
        const names = (m.roles ?? []).map((id) => roleName.get(id)).join(", ");
        return `${org.id} ${m.user_id}: ${names || "none"}`;
      }),
    );
    expect(described).toEqual(actual);
  });

  it("looks like a real tenant: rol_/org_ + 16 alphanumerics, one client with every scope", () => {
    for (const role of DEFAULT_SEED.roles ?? []) expect(role.id).toMatch(/^rol_[A-Za-z0-9]{16}$/);
    for (const org of DEFAULT_SEED.organizations ?? []) expect(org.id).toMatch(/^org_[A-Za-z0-9]{16}$/);
    expect(DEFAULT_SEED.clients).toEqual([
      { clientId: "emulator-client", clientSecret: "emulator-secret", scopes: [...ALL_SCOPES] },
    ]);
    expect(DEFAULT_SEED.roles?.map((r) => r.name)).toEqual(
      expect.arrayContaining(["admin", "billing", "viewer"]),
    );
    expect(DEFAULT_SEED.users?.map((u) => u.user_id)).toEqual(
      expect.arrayContaining(["auth0|alice", "auth0|bob"]),
    );
    expect(() => validateSeedShape(DEFAULT_SEED)).not.toThrow();
  });
});

describe("loadSeedFile", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "emulator-seed-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function file(name: string, content: string): string {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  }

  it("reads a valid seed file", () => {
    const path = file("ok.json", JSON.stringify(DEFAULT_SEED));
    expect(loadSeedFile(path)).toEqual(DEFAULT_SEED);
  });

  it("names the file when it is missing or not JSON", () => {
    expect(() => loadSeedFile(join(dir, "missing.json"))).toThrow(/Cannot read seed file .*missing\.json/);
    const path = file("bad.json", "{ roles: ");
    expect(() => loadSeedFile(path)).toThrow(`Seed file ${path} is not valid JSON`);
  });

  it.each([
    ["[]", "the seed must be a JSON object."],
    ['{"role": []}', "role is not a known field (expected one of: clients, roles, users, organizations)."],
    ['{"roles": {}}', "roles must be an array."],
    ['{"roles": [{"id": "rol_a"}]}', "roles[0].name must be a non-empty string."],
    [
      '{"roles": [{"id": "a", "name": "x"}, {"id": "a", "name": "y"}]}',
      'roles[1].id repeats "a" (already at roles[0].id).',
    ],
    ['{"users": [{"user_id": 7}]}', "users[0].user_id must be a non-empty string."],
    [
      '{"clients": [{"clientId": "c", "clientSecret": "s"}]}',
      "clients[0].scopes must be an array of scope names.",
    ],
    [
      '{"clients": [{"clientId": "c", "clientSecret": "s", "scopes": [1]}]}',
      "clients[0].scopes[0] must be a non-empty string.",
    ],
    [
      `{"organizations": [{"id": "org_${"x".repeat(47)}", "name": "n"}]}`,
      "organizations[0].id must be at most 50 characters.",
    ],
    [
      '{"organizations": [{"id": "o", "name": "n", "members": [{"user_id": "u", "roles": "r"}]}]}',
      "organizations[0].members[0].roles must be an array.",
    ],
    [
      '{"organizations": [{"id": "o", "name": "n", "members": [{"user": "u"}]}]}',
      "organizations[0].members[0].user is not a known field",
    ],
  ])("rejects %s naming the field", (content, message) => {
    const path = file("shape.json", content);
    expect(() => loadSeedFile(path)).toThrow(`Seed file ${path}: ${message}`);
  });
});
