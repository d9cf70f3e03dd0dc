import { parseDuration } from "../../../src/provider/operation-timeout";
import type { Logger } from "../../../src/provider/plugin/logger";
import { Auth0RolesProvider } from "../../../src/provider/provider";
import { resolveTuning } from "../../../src/provider/request-tuning";

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

describe("operation_timeout", () => {
  it.each([
    ["300", 300_000],
    ["90s", 90_000],
    ["5m", 300_000],
    ["1h30m", 5_400_000],
    ["1.5m", 90_000],
    ["2500ms", 2_500],
  ])("reads %p as %p ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(["0s", "500ms", "25h", "fast", "5 minutes", "-5m", ""])(
    "refuses %p with a diagnostic on the attribute that says what it takes",
    (value) => {
      const provider = new Auth0RolesProvider({ logger, env: {} });
      const [diagnostic, ...rest] = provider.validateProviderConfig({ operation_timeout: value });
      expect(rest).toEqual([]);
      expect(diagnostic).toMatchObject({
        severity: "error",
        summary: "Invalid `operation_timeout`",
        attribute: [{ attribute: "operation_timeout" }],
      });
      expect(diagnostic?.detail).toContain('("90s", "5m", "1h30m")');
    },
  );

  it("defaults to 5 minutes, takes AUTH0_OPERATION_TIMEOUT, and the block wins over it", () => {
    expect(resolveTuning(CREDENTIALS, {})).toMatchObject({
      ok: true,
      tuning: { operationTimeoutMs: 300_000 },
    });
    expect(resolveTuning(CREDENTIALS, { AUTH0_OPERATION_TIMEOUT: "45s" })).toMatchObject({
      ok: true,
      tuning: { operationTimeoutMs: 45_000 },
    });
    expect(
      resolveTuning({ ...CREDENTIALS, operation_timeout: "2m" }, { AUTH0_OPERATION_TIMEOUT: "45s" }),
    ).toMatchObject({ ok: true, tuning: { operationTimeoutMs: 120_000 } });
  });

  it("names AUTH0_OPERATION_TIMEOUT when its value is wrong", async () => {
    const provider = new Auth0RolesProvider({ logger, env: { AUTH0_OPERATION_TIMEOUT: "soon" } });
    const [diagnostic] = await provider.configureProvider(CREDENTIALS, "1.9.0");
    expect(diagnostic).toMatchObject({ severity: "error", attribute: [{ attribute: "operation_timeout" }] });
    expect(diagnostic?.detail).toContain("AUTH0_OPERATION_TIMEOUT environment variable");
    expect(diagnostic?.detail).toContain('got "soon"');
  });
});
