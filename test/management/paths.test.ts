import type { Emulator } from "../../src/emulator";
import { ALICE, apiRequests, clientFor, failure, ORG, ROLE_IDS, useTestEmulator } from "./fixtures";

// Ids become path segments. Whatever an id holds, the request must reach the member-roles endpoint
// of that id, as the emulator's request log (the raw path it received) shows.
let emu: Emulator;
useTestEmulator((started) => {
  emu = started;
});

const ROLE = ROLE_IDS[5] as string;

describe("URL handling removes dot segments, encoded or not", () => {
  // Why encoding is not enough: the WHATWG URL parser axios uses treats %2E as a dot.
  it.each([
    ["/api/v2/organizations/../members/../roles", "/api/v2/roles"],
    ["/api/v2/organizations/%2E%2E/members/%2e/roles", "/api/v2/members/roles"],
  ])("new URL(%p) goes to %p", (path, resolved) => {
    expect(new URL(path, "http://127.0.0.1").pathname).toBe(resolved);
  });
});

describe("ids that cannot be a path segment", () => {
  it.each([
    ["..", ".."],
    [".", ALICE],
    [ORG, "."],
    [ORG, ".."],
    ["", ALICE],
    [ORG, ""],
    [ORG, "auth0|a\tb"],
    [ORG, "auth0|a\nb"],
  ])("organization %p with user %p: every call fails before any request", async (org, user) => {
    const client = clientFor(emu);
    for (const call of [
      () => client.listMemberRoles(org, user),
      () => client.assignMemberRoles(org, user, [ROLE]),
      () => client.removeMemberRoles(org, user, [ROLE]),
    ]) {
      const error = await failure(call());
      expect(error.reason).toBe("invalid_request");
      expect(error.message).toMatch(/(organization_id|user_id) .*no request was made/);
    }
    await failure(client.listOrganizationMemberRoles(org === ORG ? ".." : org));
    expect(emu.requests).toEqual([]);
  });
});

describe("ids that stay in their segment", () => {
  it.each([
    "auth0|a/../../../roles",
    "..%2F..",
    "%2e%2e",
    ".%2E",
    "...",
    "a?b#c",
    "a\\..\\b",
    " .. ",
    "auth0|😀",
  ])("user %p reaches that user's roles endpoint", async (user) => {
    emu.tenant.addUser({ user_id: user });
    emu.tenant.addMember(ORG, user);
    const client = clientFor(emu);
    await client.assignMemberRoles(ORG, user, [ROLE]);
    expect((await client.listMemberRoles(ORG, user)).map((r) => r.id)).toEqual([ROLE]);
    await client.removeMemberRoles(ORG, user, [ROLE]);
    expect(emu.tenant.memberRoles(ORG, user)).toEqual([]);

    const expected = `/api/v2/organizations/${ORG}/members/${encodeURIComponent(user)}/roles`;
    expect(apiRequests(emu).map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST ${expected}`,
      `GET ${expected}`,
      `DELETE ${expected}`,
    ]);
  });
});
