import { ConfigurationError } from "../../src/management";
import { resolveBaseUrl } from "../../src/management/base-url";

describe("resolveBaseUrl", () => {
  it.each([
    ["tenant.eu.auth0.com", "https://tenant.eu.auth0.com"],
    ["  tenant.eu.auth0.com  ", "https://tenant.eu.auth0.com"],
    ["https://tenant.eu.auth0.com/", "https://tenant.eu.auth0.com"],
    ["HTTPS://Login.Example.com", "https://login.example.com"],
    ["http://127.0.0.1:1234", "http://127.0.0.1:1234"],
    ["http://127.8.9.10:80", "http://127.8.9.10"],
    ["http://localhost:8080", "http://localhost:8080"],
    ["http://[::1]:4000", "http://[::1]:4000"],
  ])("%p -> %p", (domain, expected) => {
    expect(resolveBaseUrl(domain)).toBe(expected);
  });

  it.each([
    "http://tenant.eu.auth0.com",
    "http://10.0.0.5:8080",
    "http://128.0.0.1",
    "http://localhost.evil.com",
  ])("refuses plain http to the non-loopback host in %p, naming domain and the fix", (domain) => {
    const error = captureConfigurationError(() => resolveBaseUrl(domain));
    expect(error.field).toBe("domain");
    expect(error.message).toMatch(/non-loopback/);
    expect(error.message).toMatch(/Use https:\/\//);
  });

  it.each([
    ["", /domain is empty.*AUTH0_DOMAIN/],
    ["ftp://tenant.eu.auth0.com", /unsupported scheme ftp:/],
    ["https://tenant.eu.auth0.com/api/v2", /without credentials, path or query/],
    ["https://user:pw@tenant.eu.auth0.com", /without credentials, path or query/],
    ["https://", /not a valid host name or URL/],
  ])("rejects %p", (domain, message) => {
    const error = captureConfigurationError(() => resolveBaseUrl(domain));
    expect(error.field).toBe("domain");
    expect(error.message).toMatch(message);
  });

  it("does not echo credentials embedded in the URL", () => {
    const error = captureConfigurationError(() =>
      resolveBaseUrl("https://user:hunter2secret@tenant.eu.auth0.com"),
    );
    expect(error.message).not.toContain("hunter2secret");
  });
});

function captureConfigurationError(fn: () => unknown): ConfigurationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error("expected a ConfigurationError");
}
