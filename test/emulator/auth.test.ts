import { createHmac } from "node:crypto";
import { ALL_SCOPES, type Emulator, startEmulator } from "../../src/emulator";
import { ACME, ALICE, call, clientToken, memberRolesPath } from "./helpers";

describe("tokens and authentication", () => {
  let emu: Emulator;
  beforeEach(async () => {
    emu = await startEmulator({ rateLimits: false });
  });
  afterEach(() => emu.stop());

  const rolesPath = memberRolesPath(ACME, ALICE);

  it("issues a client-credentials token (JSON body) that the API accepts", async () => {
    const reply = await clientToken(emu);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      access_token: expect.any(String),
      token_type: "Bearer",
      expires_in: 86400,
      scope: ALL_SCOPES.join(" "),
    });
    const claims = JSON.parse(Buffer.from(reply.body.access_token.split(".")[1], "base64url").toString());
    expect(claims).toMatchObject({
      iss: `${emu.url}/`,
      sub: "emulator-client@clients",
      aud: emu.audience,
      scope: ALL_SCOPES.join(" "),
    });
    expect(claims.exp - claims.iat).toBe(86400);
    const header = JSON.parse(Buffer.from(reply.body.access_token.split(".")[0], "base64url").toString());
    expect(header).toEqual({ alg: "HS256", typ: "JWT" });
    expect((await call(emu, "GET", rolesPath, { token: reply.body.access_token })).status).toBe(200);
  });

  it("accepts a form body and HTTP Basic client authentication", async () => {
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: "emulator-client",
      client_secret: "emulator-secret",
      audience: emu.audience,
    });
    const formReply = await call(emu, "POST", "/oauth/token", {
      token: null,
      rawBody: form.toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(formReply.status).toBe(200);
    const basic = Buffer.from("emulator-client:emulator-secret").toString("base64");
    const basicReply = await call(emu, "POST", "/oauth/token", {
      token: null,
      body: { grant_type: "client_credentials", audience: emu.audience },
      headers: { authorization: `Basic ${basic}` },
    });
    expect(basicReply.status).toBe(200);
  });

  it("also accepts the audience spelled with the Host header the client used", async () => {
    const localhostAudience = emu.audience.replace("127.0.0.1", "localhost");
    const reply = await fetch(`${emu.url.replace("127.0.0.1", "localhost")}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        grant_type: "client_credentials",
        client_id: "emulator-client",
        client_secret: "emulator-secret",
        audience: localhostAudience,
      }),
    }).catch(() => null);
    // Skip quietly where "localhost" resolves only to ::1 (the emulator listens on 127.0.0.1).
    if (reply) expect(reply.status).toBe(200);
  });

  it("narrows scopes to those requested", async () => {
    const reply = await clientToken(emu, { scope: "read:roles read:organization_member_roles nonsense" });
    expect(reply.body.scope).toBe("read:organization_member_roles read:roles");
  });

  it("refuses wrong credentials with Auth0's 401 body, and never logs the secret", async () => {
    const reply = await clientToken(emu, { client_secret: "wrong" });
    expect(reply.status).toBe(401);
    expect(reply.body).toEqual({ error: "access_denied", error_description: "Unauthorized" });
    expect((await clientToken(emu, { client_id: "nobody" })).status).toBe(401);
    expect(JSON.stringify(emu.requests)).not.toMatch(/emulator-secret|"wrong"/);
    expect(emu.requests[0]?.body).toMatchObject({
      client_id: "emulator-client",
      client_secret: "[redacted]",
    });
  });

  it("refuses other grant types, a missing or foreign audience", async () => {
    expect((await clientToken(emu, { grant_type: "password" })).body.error).toBe("unsupported_grant_type");
    const foreign = await clientToken(emu, { audience: "https://tenant.example/api/v2/" });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error_description).toBe("Service not found: https://tenant.example/api/v2/");
    const missing = await clientToken(emu, { audience: "" });
    expect(missing.status).toBe(403);
  });

  async function apiError(token: string | null, headers?: Record<string, string>) {
    const reply = await call(emu, "GET", rolesPath, { token, ...(headers ? { headers } : {}) });
    expect(reply.status).toBe(401);
    expect(reply.body.statusCode).toBe(401);
    expect(reply.body.error).toBe("Unauthorized");
    return reply.body;
  }

  it("answers 401 with Auth0's messages for missing, malformed, forged, expired and wrong-audience tokens", async () => {
    expect((await apiError(null)).message).toBe("Missing authentication");
    expect((await apiError(null, { authorization: "Token abc" })).message).toBe(
      "Bad HTTP authentication header format",
    );
    // Recorded from real tenants: no errorCode, the message again in attributes.
    expect(await apiError("not-a-jwt")).toEqual({
      statusCode: 401,
      error: "Unauthorized",
      message: "Invalid token",
      attributes: { error: "Invalid token" },
    });

    const valid = emu.issueToken({ scopes: [...ALL_SCOPES] });
    const [header, payload] = valid.split(".");
    const forged = `${header}.${payload}.${createHmac("sha256", "other-secret").update(`${header}.${payload}`).digest("base64url")}`;
    expect((await apiError(forged)).message).toBe(
      "Invalid signature received for JSON Web Token validation.",
    );

    const other = await startEmulator({ rateLimits: false });
    const foreign = other.issueToken({ scopes: [...ALL_SCOPES], audience: emu.audience });
    await other.stop();
    expect((await apiError(foreign)).message).toBe(
      "Invalid signature received for JSON Web Token validation.",
    );

    const expired = emu.issueToken({ scopes: [...ALL_SCOPES], expiresInSeconds: -5 });
    expect((await apiError(expired)).message).toBe("Expired token received for JSON Web Token validation");

    const wrongAudience = emu.issueToken({
      scopes: [...ALL_SCOPES],
      audience: "https://tenant.example/api/v2/",
    });
    const body = await apiError(wrongAudience);
    expect(body.message).toContain("Bad audience: https://tenant.example/api/v2/");
    expect(body.message).toContain(emu.audience);
  });

  const MEMBERS_403 =
    "Insufficient scope, expected any of: read:organization_members, read:organization_member_roles";
  it.each([
    ["GET", memberRolesPath(ACME, ALICE), "read:organization_member_roles", undefined],
    ["POST", memberRolesPath(ACME, ALICE), "create:organization_member_roles", undefined],
    ["DELETE", memberRolesPath(ACME, ALICE), "delete:organization_member_roles", undefined],
    // The members listing names both scopes it may need.
    ["GET", `/api/v2/organizations/${ACME}/members`, "read:organization_members", MEMBERS_403],
    ["POST", `/api/v2/organizations/${ACME}/members`, "create:organization_members", undefined],
    ["DELETE", `/api/v2/organizations/${ACME}/members`, "delete:organization_members", undefined],
    ["GET", "/api/v2/roles", "read:roles", undefined],
    ["GET", "/api/v2/roles/rol_admin00000000001", "read:roles", undefined],
  ])("%s %s needs %s (403 insufficient_scope otherwise)", async (method, path, scope, recorded) => {
    const others = ALL_SCOPES.filter((s) => s !== scope);
    const body = method === "GET" ? undefined : { roles: ["x"], members: ["x"] };
    const reply = await call(emu, method, path, { token: emu.issueToken({ scopes: others }), body });
    expect(reply.status).toBe(403);
    expect(reply.body).toEqual({
      statusCode: 403,
      error: "Forbidden",
      // As real tenants answer: a comma, and no final period.
      message: recorded ?? `Insufficient scope, expected any of: ${scope}`,
      errorCode: "insufficient_scope",
    });
  });

  it("needs read:organization_member_roles too when members are listed with their roles", async () => {
    const token = emu.issueToken({ scopes: ["read:organization_members"] });
    const path = `/api/v2/organizations/${ACME}/members`;
    expect((await call(emu, "GET", path, { token })).status).toBe(200);
    const reply = await call(emu, "GET", `${path}?fields=user_id,roles&include_fields=true`, { token });
    expect(reply.status).toBe(403);
    expect(reply.body.message).toBe(MEMBERS_403);
  });
});
