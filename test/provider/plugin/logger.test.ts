import { createLogger, type LoggerOptions, levelFromEnvironment } from "../../../src/provider/plugin/logger";

function capture(level: Pick<LoggerOptions, "level">) {
  const lines: string[] = [];
  const logger = createLogger("provider.test", {
    ...level,
    write: (line) => lines.push(line),
    now: () => new Date("2030-01-02T03:04:05.678Z"),
  });
  return { logger, entries: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>), lines };
}

describe("createLogger", () => {
  it("writes one hclog JSON line per entry, with fields", () => {
    const { logger, entries, lines } = capture({ level: "trace" });
    logger.info("Configured", { tf_rpc: "ConfigureProvider", attempt: 2 });
    expect(lines[0]?.endsWith("}\n")).toBe(true);
    expect(entries()).toEqual([
      {
        "@level": "info",
        "@message": "Configured",
        "@module": "provider.test",
        "@timestamp": "2030-01-02T03:04:05.678000Z",
        tf_rpc: "ConfigureProvider",
        attempt: 2,
      },
    ]);
  });

  it("drops entries below the level and keeps hclog keys from being overwritten", () => {
    const { logger, entries } = capture({ level: "warn" });
    logger.debug("hidden");
    logger.info("hidden");
    logger.warn("shown", { "@level": "trace" });
    logger.error("shown too");
    expect(entries().map((e) => [e["@level"], e["@message"]])).toEqual([
      ["warn", "shown"],
      ["error", "shown too"],
    ]);
  });

  it("writes nothing when off", () => {
    const { logger, lines } = capture({ level: "off" });
    logger.error("nope");
    expect(lines).toEqual([]);
  });
});

describe("levelFromEnvironment", () => {
  it("follows TF_LOG_PROVIDER, then TF_LOG", () => {
    expect(levelFromEnvironment({ TF_LOG: "DEBUG" })).toBe("debug");
    expect(levelFromEnvironment({ TF_LOG: "debug", TF_LOG_PROVIDER: "error" })).toBe("error");
    expect(levelFromEnvironment({ TF_LOG: "json" })).toBe("trace");
    expect(levelFromEnvironment({ TF_LOG: "off" })).toBe("off");
    expect(levelFromEnvironment({})).toBe("info");
  });
});
