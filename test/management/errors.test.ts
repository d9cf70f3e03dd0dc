import type { Emulator } from "../../src/emulator";
import { ConfigurationError, ManagementApiError, ManagementClient } from "../../src/management";
import {
  ALICE,
  apiRequests,
  CLIENT_ID,
  CLIENT_SECRET,
  clientFor,
  FAST_RETRY,
  failure,
  ORG,
  OTHER_ORG,
  OUTSIDER,
  ROLE_IDS,
  tokenRequests,
  useTestEmulator,
} from "./fixtures";
import { startStub } from "./stub-server";

let emu: Emulator;
useTestEmulator((started) => {
  emu = started;
});

describe("404s name what is missing", () => {
  it("organization", async () => {
    const error = await failure(clientFor(emu).listMemberRoles("org_missing000000001", ALICE));
    expect(error).toMatchObject({
      reason: "organization_not_found",
      status: 404,
      errorCode: "inexistent_organization",
      method: "GET",
    });
    expect(error.message).toMatch(
      /organization "org_missing000000001" does not exist.*Check organization_id/,
    );
  });

  it("user", async () => {
    const error = await failure(clientFor(emu).listMemberRoles(ORG, "auth0|nobody"));
    expect(error).toMatchObject({ reason: "user_not_found", status: 404, errorCode: "inexistent_user" });
    expect(error.message).toMatch(/user "auth0\|nobody" does not exist.*Check user_id/);
  });

  it("not a member", async () => {
    const error = await failure(
      clientFor(emu).assignMemberRoles(OTHER_ORG, OUTSIDER, [ROLE_IDS[0] as string]),
    );
    expect(error).toMatchObject({ reason: "not_a_member", status: 404, method: "POST" });
    expect(error.message).toMatch(
      /"auth0\|outsider" is not a member of the organization "org_globex0000000001"/,
    );
    expect(error.message).toMatch(/Add the user to the organization first/);
  });

  it("role", async () => {
    const error = await failure(clientFor(emu).assignMemberRoles(ORG, ALICE, ["rol_doesnotexist0001"]));
    // Auth0's role 404 carries no errorCode: the message tells.
    expect(error).toMatchObject({ reason: "role_not_found", status: 404, errorCode: undefined });
    expect(error.message).toMatch(/rol_doesnotexist0001/);
    expect(error.message).toMatch(/Check the role ids/);
  });
});

describe("403 insufficient_scope", () => {
  it("names the missing scope, parsed from Auth0's message, and where to grant it", async () => {
    const client = clientFor(emu, {
      credentials: {
        kind: "client-credentials",
        clientId: "reader-only",
        clientSecret: "reader-secret-do-not-leak-0123",
      },
    });
    const error = await failure(client.removeMemberRoles(ORG, ALICE, [ROLE_IDS[0] as string]), [
      "reader-secret-do-not-leak-0123",
    ]);
    expect(error).toMatchObject({
      reason: "insufficient_scope",
      status: 403,
      errorCode: "insufficient_scope",
    });
    expect(error.message).toMatch(/lacks the scope delete:organization_member_roles/);
    expect(error.message).toContain("APIs > Auth0 Management API > Machine to Machine Applications");
  });

  it.each([
    ["the recorded answer", "Insufficient scope, expected any of: delete:organization_member_roles"],
    ["the docs' wording", "Insufficient scope; expected any of: delete:organization_member_roles."],
  ])("names the scope from %s", async (_, message) => {
    const stub = await startStub(() => ({
      status: 403,
      body: { statusCode: 403, error: "Forbidden", message, errorCode: "insufficient_scope" },
    }));
    try {
      const client = new ManagementClient({
        domain: stub.url,
        credentials: { kind: "api-token", token: "opaque-token" },
        retry: FAST_RETRY,
      });
      const error = await failure(client.removeMemberRoles(ORG, ALICE, [ROLE_IDS[0] as string]), []);
      expect(error.reason).toBe("insufficient_scope");
      expect(error.message).toMatch(/lacks the scope delete:organization_member_roles\. Issue a token/);
    } finally {
      await stub.stop();
    }
  });

  it("tells api_token users to issue a token with the scope", async () => {
    const token = emu.issueToken({ scopes: ["read:organization_member_roles"] });
    const client = clientFor(emu, { credentials: { kind: "api-token", token } });
    const error = await failure(client.assignMemberRoles(ORG, ALICE, [ROLE_IDS[3] as string]), [token]);
    expect(error.reason).toBe("insufficient_scope");
    expect(error.message).toMatch(
      /api_token \(AUTH0_API_TOKEN\) lacks the scope create:organization_member_roles/,
    );
  });
});

describe("401", () => {
  it("token endpoint: says the client credentials were rejected and which settings to check", async () => {
    const wrong = "wrong-secret-do-not-leak-0123456789";
    const client = clientFor(emu, {
      credentials: { kind: "client-credentials", clientId: CLIENT_ID, clientSecret: wrong },
    });
    const error = await failure(client.listMemberRoles(ORG, ALICE), [wrong, CLIENT_SECRET]);
    expect(error).toMatchObject({
      reason: "unauthorized",
      status: 401,
      errorCode: "access_denied",
      method: "POST",
      path: "/oauth/token",
    });
    expect(error.message).toMatch(/client credentials were rejected/);
    expect(error.message).toMatch(/client_id and client_secret \(AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET\)/);
    expect(apiRequests(emu)).toHaveLength(0);
  });

  it("token endpoint 403 (unknown audience): says to authorize the application and check audience", async () => {
    const client = clientFor(emu, {
      credentials: {
        kind: "client-credentials",
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        audience: "https://elsewhere.example/api/v2/",
      },
    });
    const error = await failure(client.listMemberRoles(ORG, ALICE));
    expect(error).toMatchObject({ reason: "unauthorized", status: 403, path: "/oauth/token" });
    expect(error.message).toMatch(/audience \(AUTH0_AUDIENCE\)/);
  });

  it("api_token: expired token is final and the message names api_token / AUTH0_API_TOKEN", async () => {
    const token = emu.issueToken({ scopes: ["read:organization_member_roles"], expiresInSeconds: -60 });
    const client = clientFor(emu, { credentials: { kind: "api-token", token } });
    const error = await failure(client.listMemberRoles(ORG, ALICE), [token]);
    expect(error).toMatchObject({ reason: "unauthorized", status: 401, errorCode: "token_expired" });
    expect(error.message).toMatch(/api_token \(AUTH0_API_TOKEN\)/);
    expect(apiRequests(emu)).toHaveLength(1);
    expect(tokenRequests(emu)).toBe(0);
  });

  it("client credentials: a 401 on the renewed token too is final and names the client settings", async () => {
    emu.injectFault({ kind: "status", status: 401, method: "GET", times: 2 });
    const error = await failure(clientFor(emu).listMemberRoles(ORG, ALICE));
    expect(error).toMatchObject({ reason: "unauthorized", status: 401 });
    expect(error.message).toMatch(/AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET/);
    expect(tokenRequests(emu)).toBe(2);
    expect(apiRequests(emu)).toHaveLength(2);
  });
});

describe("other statuses", () => {
  it("400 -> invalid_request with Auth0's message", async () => {
    const error = await failure(clientFor(emu).assignMemberRoles(ORG, ALICE, [""]));
    expect(error).toMatchObject({ reason: "invalid_request", status: 400, errorCode: "invalid_body" });
    expect(error.message).toMatch(/Payload validation error/);
  });

  it("409 -> too_many_roles, explaining the 50-role cap", async () => {
    emu.tenant.assignRoles(ORG, ALICE, ROLE_IDS.slice(2, 50));
    const error = await failure(clientFor(emu).assignMemberRoles(ORG, ALICE, [ROLE_IDS[55] as string]));
    expect(error).toMatchObject({ reason: "too_many_roles", status: 409, errorCode: "too_many_roles" });
    expect(error.message).toMatch(/No more roles can be assigned.*at most 50 roles/);
  });

  it("500 on every POST -> server_error, the POST never repeated as is", async () => {
    emu.injectFault({ kind: "status", status: 500, method: "POST", times: Number.POSITIVE_INFINITY });
    const error = await failure(clientFor(emu).assignMemberRoles(ORG, ALICE, [ROLE_IDS[9] as string]));
    expect(error).toMatchObject({ reason: "server_error", status: 500, outcomeUnknown: false });
    expect(error.message).toMatch(/outcome was unknown 3 times \(HTTP 500, HTTP 500, HTTP 500\).*run again/);
    // Each POST follows a read that found the role still missing.
    expect(apiRequests(emu).map((r) => r.method)).toEqual(["POST", "GET", "POST", "GET", "POST", "GET"]);
  });

  it("errors are ManagementApiError instances holding only plain data", async () => {
    const error = await failure(clientFor(emu).listMemberRoles(ORG, "auth0|nobody"));
    expect(error).toBeInstanceOf(ManagementApiError);
    expect(Object.keys(error).sort()).toEqual([
      "errorCode",
      "method",
      "name",
      "outcomeUnknown",
      "path",
      "reason",
      "status",
    ]);
    expect(error.path).toBe(`/api/v2/organizations/${ORG}/members/auth0%7Cnobody/roles`);
  });
});

describe("configuration", () => {
  const credentials = {
    kind: "client-credentials" as const,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
  };

  it("refuses http:// to a non-loopback host, naming domain and the fix", () => {
    expect(() => new ManagementClient({ domain: "http://tenant.eu.auth0.com", credentials })).toThrow(
      expect.objectContaining({
        name: "ConfigurationError",
        field: "domain",
        message: expect.stringMatching(/https/),
      }),
    );
  });

  it("builds an https base URL from a bare domain", () => {
    expect(new ManagementClient({ domain: "tenant.eu.auth0.com", credentials }).baseUrl).toBe(
      "https://tenant.eu.auth0.com",
    );
  });

  it.each([
    [{ pageSize: 101 }, "pageSize"],
    [{ timeoutMs: 0 }, "timeoutMs"],
    [{ retry: { maxAttempts: 0 } }, "retry.maxAttempts"],
    [{ credentials: { kind: "api-token" as const, token: " " } }, "api_token"],
    [{ credentials: { ...credentials, clientId: "" } }, "client_id"],
    [{ credentials: { ...credentials, clientSecret: "" } }, "client_secret"],
  ])("rejects %p naming %p", (override, field) => {
    let thrown: unknown;
    try {
      new ManagementClient({ domain: emu.url, credentials, retry: FAST_RETRY, ...override });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigurationError);
    expect((thrown as ConfigurationError).field).toBe(field);
    expect(String(thrown)).not.toContain(CLIENT_SECRET);
  });
});
