import type { Logger } from "../../../src/provider/plugin/logger";
import { Auth0RolesProvider } from "../../../src/provider/provider";

const ignore = (): void => {};
const logger: Logger = { trace: ignore, debug: ignore, info: ignore, warn: ignore, error: ignore };
const CREDENTIALS = { domain: "http://127.0.0.1:1", client_id: "id", client_secret: "secret" };

describe("max_requests_per_second and bulk_refresh", () => {
  it.each([0, -2])("refuses max_requests_per_second = %p with a diagnostic on the attribute", (value) => {
    const provider = new Auth0RolesProvider({ logger, env: {} });
    const [diagnostic, ...rest] = provider.validateProviderConfig({ max_requests_per_second: value });
    expect(rest).toEqual([]);
    expect(diagnostic).toMatchObject({
      severity: "error",
      summary: "Invalid `max_requests_per_second`",
      attribute: [{ attribute: "max_requests_per_second" }],
    });
    expect(diagnostic?.detail).toMatch(/must be a number greater than 0/);
  });

  it("accepts a positive rate and a boolean bulk_refresh", async () => {
    const provider = new Auth0RolesProvider({ logger, env: {} });
    const config = { ...CREDENTIALS, max_requests_per_second: 0.5, bulk_refresh: false };
    expect(provider.validateProviderConfig(config)).toEqual([]);
    expect(await provider.configureProvider(config, "1.9.0")).toEqual([]);
  });

  it("falls back to AUTH0_MAX_REQUESTS_PER_SECOND, and names it when it is not a positive number", async () => {
    const valid = new Auth0RolesProvider({ logger, env: { AUTH0_MAX_REQUESTS_PER_SECOND: "4" } });
    expect(await valid.configureProvider(CREDENTIALS, "1.9.0")).toEqual([]);
    const invalid = new Auth0RolesProvider({ logger, env: { AUTH0_MAX_REQUESTS_PER_SECOND: "fast" } });
    const [diagnostic] = await invalid.configureProvider(CREDENTIALS, "1.9.0");
    expect(diagnostic).toMatchObject({
      severity: "error",
      attribute: [{ attribute: "max_requests_per_second" }],
    });
    expect(diagnostic?.detail).toContain("AUTH0_MAX_REQUESTS_PER_SECOND");
  });
});
