/**
 * hclog-style JSON lines on stderr. go-plugin reads the provider's stderr and re-logs each JSON
 * line at its `@level`, so Terraform shows them under TF_LOG / TF_LOG_PROVIDER. Callers must never
 * pass secrets in messages or fields.
 */

export type LogFields = Record<string, string | number | boolean>;

export interface Logger {
  trace(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const LEVELS = ["trace", "debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LEVELS)[number];

export interface LoggerOptions {
  /** Lowest level written; "off" writes nothing. Defaults to the level Terraform was asked for. */
  readonly level?: LogLevel | "off";
  /** Where lines go; defaults to stderr (stdout belongs to the plugin handshake). */
  readonly write?: (line: string) => void;
  readonly now?: () => Date;
}

/**
 * The provider inherits Terraform's environment, so it can skip formatting lines Terraform would
 * discard anyway. TF_LOG=JSON means trace; unset or unrecognised means info.
 */
export function levelFromEnvironment(env: NodeJS.ProcessEnv): LogLevel | "off" {
  const raw = (env.TF_LOG_PROVIDER || env.TF_LOG || "").trim().toLowerCase();
  if (raw === "off") return "off";
  if (raw === "json") return "trace";
  return (LEVELS as readonly string[]).includes(raw) ? (raw as LogLevel) : "info";
}

/**
 * go-plugin parses `@timestamp` with Go layout `2006-01-02T15:04:05.000000Z07:00`, which demands
 * exactly six fraction digits; any other form makes it treat the whole line as unstructured text.
 */
function hclogTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 23)}000Z`;
}

export function createLogger(module: string, options: LoggerOptions = {}): Logger {
  const threshold = options.level ?? levelFromEnvironment(process.env);
  const minimum = threshold === "off" ? LEVELS.length : LEVELS.indexOf(threshold);
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const now = options.now ?? (() => new Date());

  const emit = (level: LogLevel) => (message: string, fields?: LogFields) => {
    if (LEVELS.indexOf(level) < minimum) return;
    // Fields first so they cannot overwrite the hclog keys.
    const entry = {
      ...fields,
      "@level": level,
      "@message": message,
      "@module": module,
      "@timestamp": hclogTimestamp(now()),
    };
    write(`${JSON.stringify(entry)}\n`);
  };

  return {
    trace: emit("trace"),
    debug: emit("debug"),
    info: emit("info"),
    warn: emit("warn"),
    error: emit("error"),
  };
}
