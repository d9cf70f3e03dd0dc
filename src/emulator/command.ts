import { loadSeedFile } from "./seed";
import { startEmulator } from "./server";
import type { Emulator, EmulatorOptions } from "./types";

export const EMULATOR_USAGE = `Usage: emulator [--port N] [--host HOST] [--seed FILE] [--no-rate-limits] [--time-scale N] [--https [--ca-file FILE]]

Runs a local Auth0 tenant emulator (Management API for organization member roles) on loopback.
  --port N          port to listen on (default 0: a free port)
  --host HOST       loopback address to bind (default 127.0.0.1; 127.x.x.x, ::1 or localhost)
  --seed FILE       JSON seed file (clients, roles, users, organizations); default: the built-in demo tenant
  --no-rate-limits  never answer 429 (rate-limit headers are still sent)
  --time-scale N    refill rate-limit buckets N times faster than real time (default 1)
  --https           serve HTTPS with a fresh self-signed certificate (for 127.0.0.1 and localhost)
  --ca-file FILE    with --https: write that certificate (PEM) to FILE, for SSL_CERT_FILE or
                    NODE_EXTRA_CA_CERTS (default: a temporary file, printed at start)
Stops on SIGINT or SIGTERM.`;

/** Hooks for tests and embedding; the CLI passes none. */
export interface EmulatorCommandIO {
  /** Where the startup lines go (default: process.stdout). */
  stdout?: (line: string) => void;
  /** Stops the emulator when aborted, like SIGINT/SIGTERM. */
  signal?: AbortSignal;
  /** Called once the emulator listens. */
  onStarted?: (emulator: Emulator) => void;
}

/** Parses the command's flags; throws a one-line message naming the flag on anything it does not know. */
export function parseEmulatorArgs(argv: readonly string[]): EmulatorOptions | "help" {
  const options: EmulatorOptions = {};
  let timeScale: number | undefined;
  let noRateLimits = false;
  let https = false;
  let caFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.indexOf("=");
    const flag = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (flag !== arg) return arg.slice(eq + 1);
      const next = argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value.`);
      return next;
    };
    switch (flag) {
      case "--help":
      case "-h":
        return "help";
      case "--port": {
        const text = value();
        const port = Number(text);
        if (!/^\d+$/.test(text) || port > 65535)
          throw new Error(`--port must be an integer from 0 to 65535 (got "${text}").`);
        options.port = port;
        break;
      }
      case "--host":
        options.host = value();
        break;
      case "--seed":
        options.seed = loadSeedFile(value());
        break;
      case "--https":
        https = true;
        break;
      case "--ca-file":
        caFile = value();
        break;
      case "--no-rate-limits":
        noRateLimits = true;
        break;
      case "--time-scale": {
        const text = value();
        timeScale = Number(text);
        if (!(timeScale > 0) || !Number.isFinite(timeScale)) {
          throw new Error(`--time-scale must be a positive number (got "${text}").`);
        }
        break;
      }
      default:
        throw new Error(`Unknown option "${arg}".`);
    }
  }
  if (caFile !== undefined && !https) throw new Error("--ca-file needs --https.");
  if (https) options.https = caFile === undefined ? true : { caFile };
  if (noRateLimits) options.rateLimits = false;
  else if (timeScale !== undefined) options.rateLimits = { timeScale };
  return options;
}

/**
 * `emulator` subcommand of the project CLI: starts the emulator, prints where it listens and which
 * clients it knows (never their secrets), and resolves after stopping cleanly on SIGINT/SIGTERM.
 */
export async function runEmulatorCommand(argv: string[], io: EmulatorCommandIO = {}): Promise<void> {
  const print = io.stdout ?? ((line: string) => process.stdout.write(`${line}\n`));
  const options = parseEmulatorArgs(argv);
  if (options === "help") {
    print(EMULATOR_USAGE);
    return;
  }
  const emulator = await startEmulator(options);
  print(`Auth0 emulator listening on ${emulator.url}`);
  if (emulator.caFile)
    print(
      `  CA certificate ${emulator.caFile} (SSL_CERT_FILE for Go and this provider, NODE_EXTRA_CA_CERTS for other Node.js clients)`,
    );
  for (const client of emulator.tenant.snapshot().clients) {
    print(`  client_id ${client.clientId} (audience ${emulator.audience}; ${client.scopes.length} scopes)`);
  }
  io.onStarted?.(emulator);

  await new Promise<void>((resolve) => {
    const done = () => {
      process.off("SIGINT", done);
      process.off("SIGTERM", done);
      io.signal?.removeEventListener("abort", done);
      resolve();
    };
    process.on("SIGINT", done);
    process.on("SIGTERM", done);
    if (io.signal?.aborted) done();
    else io.signal?.addEventListener("abort", done);
  });
  await emulator.stop();
}
