import { connectionFromEnv } from "../../src/management";

const domain = "tenant.example.com";

describe("connectionFromEnv", () => {
  it("needs AUTH0_DOMAIN", () => {
    expect(connectionFromEnv({ AUTH0_API_TOKEN: "t" })).toEqual({
      ok: false,
      problem: "AUTH0_DOMAIN is not set",
    });
  });

  it("reads client credentials, with the audience when set", () => {
    expect(
      connectionFromEnv({
        AUTH0_DOMAIN: domain,
        AUTH0_CLIENT_ID: "id",
        AUTH0_CLIENT_SECRET: "secret-value",
        AUTH0_AUDIENCE: "https://aud/",
      }),
    ).toEqual({
      ok: true,
      domain,
      credentials: {
        kind: "client-credentials",
        clientId: "id",
        clientSecret: "secret-value",
        audience: "https://aud/",
      },
    });
  });

  it("reads an API token", () => {
    expect(connectionFromEnv({ AUTH0_DOMAIN: domain, AUTH0_API_TOKEN: "tok" })).toEqual({
      ok: true,
      domain,
      credentials: { kind: "api-token", token: "tok" },
    });
  });

  it("refuses a token together with client credentials, as the provider does, without showing either", () => {
    const result = connectionFromEnv({
      AUTH0_DOMAIN: domain,
      AUTH0_API_TOKEN: "token-value",
      AUTH0_CLIENT_ID: "id",
      AUTH0_CLIENT_SECRET: "secret-value",
    });
    expect(result.ok).toBe(false);
    const problem = result.ok ? "" : result.problem;
    expect(problem).toBe(
      "AUTH0_API_TOKEN conflicts with AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET; unset either the token or the client credentials",
    );
    expect(problem).not.toMatch(/token-value|secret-value/);
  });

  it("names the half of the client credentials that is missing", () => {
    expect(connectionFromEnv({ AUTH0_DOMAIN: domain, AUTH0_CLIENT_ID: "id" })).toEqual({
      ok: false,
      problem: "AUTH0_CLIENT_ID is set but AUTH0_CLIENT_SECRET is not; set both",
    });
    expect(connectionFromEnv({ AUTH0_DOMAIN: domain, AUTH0_CLIENT_SECRET: "s" })).toEqual({
      ok: false,
      problem: "AUTH0_CLIENT_SECRET is set but AUTH0_CLIENT_ID is not; set both",
    });
  });

  it("says what to set when nothing is", () => {
    expect(connectionFromEnv({ AUTH0_DOMAIN: domain })).toEqual({
      ok: false,
      problem: "set AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET, or AUTH0_API_TOKEN",
    });
  });
});
