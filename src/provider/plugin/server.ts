/**
 * Runs the provider as a go-plugin gRPC plugin: checks the environment Terraform sets, serves
 * tfplugin6 plus go-plugin's own services over AutoMTLS on a private unix socket, prints the
 * handshake line, and returns once Terraform (or SIGTERM) says to stop.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Server } from "@grpc/grpc-js";
import { generateSelfSignedCertificate } from "../../tls/self-signed-cert";
import type { ProviderHandlers } from "../protocol/handlers";
import { createProviderService } from "../protocol/service";
import { providerServiceDefinition } from "../protocol/service-definitions";
import { addGoPluginServices } from "./go-plugin-services";
import { decideStartup, handshakeLine, type TransportSecurity } from "./handshake";
import { type ListenerSecurity, listenForPlugin, type PluginListener } from "./listener";
import { createLogger, type Logger } from "./logger";

export interface ServeOptions {
  logger?: Logger;
  /** Defaults to process.env; injectable for tests. */
  env?: NodeJS.ProcessEnv;
}

/** Linux limits a unix socket path to 107 bytes; fail clearly instead of with a bind error. */
const MAX_SOCKET_PATH = 107;
/** How long open calls may take to finish after Shutdown before the server is closed hard. */
const SHUTDOWN_GRACE_MS = 500;
/** How often the provider checks that Terraform, its parent process, is still alive. */
const PARENT_POLL_MS = 200;

let handshakeWriter: ((line: string) => void) | undefined;

/**
 * Keeps stdout for the handshake alone: anything else written there (a stray console.log in a
 * dependency) would break Terraform's start-up, so it is sent to stderr instead.
 */
function claimStdout(): (line: string) => void {
  if (handshakeWriter === undefined) {
    const writeStdout = process.stdout.write.bind(process.stdout);
    process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
    handshakeWriter = (line) => writeStdout(line);
  }
  return handshakeWriter;
}

/**
 * Terraform reads the provider's stderr (logs) and stdout. Once it is gone, or closes them, a write
 * fails with EPIPE, which Node raises as an 'error' event: unhandled, that would crash the provider
 * in the middle of shutting down. Logs nobody reads are dropped instead.
 */
function tolerateClosedOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.listenerCount("error") === 0) stream.on("error", () => {});
  }
}

/**
 * Calls `onGone` once the parent process (Terraform) has exited: the provider is then re-parented,
 * and its parent id changes. Nobody would record what it does from then on, so it must stop. (No
 * pipe tells this reliably: go-plugin hands the provider Terraform's own stdin.)
 */
function watchParent(onGone: () => void): () => void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onGone();
  }, PARENT_POLL_MS);
  // The server keeps the process alive while it serves; this timer must not keep it alive after.
  timer.unref();
  return () => clearInterval(timer);
}

function listenerSecurity(security: TransportSecurity): {
  security: ListenerSecurity;
  certDer: Buffer | null;
} {
  if (security.kind === "insecure") return { security, certDer: null };
  const identity = generateSelfSignedCertificate();
  return {
    security: {
      kind: "mtls",
      clientCertPem: security.clientCertPem,
      certPem: identity.certPem,
      keyPem: identity.keyPem,
    },
    certDer: identity.certDer,
  };
}

/**
 * Resolves when the process should exit (Shutdown or SIGTERM); rejects when serving fails. When the
 * environment is not Terraform's it prints why to stderr and exits the process with code 1 itself,
 * so that outcome does not depend on the caller.
 */
export async function servePlugin(handlers: ProviderHandlers, options: ServeOptions = {}): Promise<void> {
  tolerateClosedOutput();
  const writeHandshake = claimStdout();
  const env = options.env ?? process.env;
  const logger = options.logger ?? createLogger("provider");

  const decision = decideStartup(env);
  if (!decision.ok) {
    process.stderr.write(decision.message);
    process.exit(1);
  }

  const socketDir = mkdtempSync(join(tmpdir(), "tf-provider-"));
  const socketPath = join(socketDir, "plugin.sock");
  const server = new Server();
  let listener: PluginListener | undefined;
  let resolveStop: () => void = () => {};
  const stopRequested = new Promise<void>((resolve) => {
    resolveStop = resolve;
  });
  // However the provider is told to stop, no API call may start after: calls in flight are cancelled.
  const requestStop = () => {
    resolveStop();
    handlers.stopProvider().catch(() => {});
  };
  let stopWatchingParent = () => {};
  const ignoreInterrupt = () => logger.debug("Ignoring SIGINT; Terraform stops providers itself");
  const onTerminate = () => {
    logger.info("Received SIGTERM, shutting down");
    requestStop();
  };

  try {
    if (socketPath.length > MAX_SOCKET_PATH) {
      throw new Error(`The socket path ${socketPath} is too long; set TMPDIR to a shorter directory.`);
    }
    const { security, certDer } = listenerSecurity(decision.security);
    const definition = providerServiceDefinition();
    server.addService(definition, createProviderService(handlers, logger));
    const goPlugin = addGoPluginServices(server, () => {
      logger.debug("Received Shutdown");
      requestStop();
    });
    listener = await listenForPlugin(server, socketPath, security, logger);

    // Terraform handles Ctrl-C itself (it calls StopProvider); dying on SIGINT would lose state.
    process.on("SIGINT", ignoreInterrupt);
    process.on("SIGTERM", onTerminate);
    stopWatchingParent = watchParent(() => {
      logger.info("Terraform (the parent process) exited; cancelling API calls and shutting down");
      requestStop();
    });
    writeHandshake(handshakeLine(socketPath, certDer));
    // Terraform takes a few milliseconds to read that line and connect: build the message codecs
    // (which every first call waits for) in the meantime. A failure here recurs, reported, on that call.
    setImmediate(() => {
      try {
        definition.GetProviderSchema?.requestDeserialize(Buffer.alloc(0));
      } catch {}
    });
    logger.debug("Plugin server started", { socket: socketPath, tls: certDer !== null });

    await stopRequested;
    goPlugin.endStreams();
    await Promise.all([listener.close(), closeServer(server)]);
  } catch (error) {
    server.forceShutdown();
    await listener?.close();
    throw error;
  } finally {
    stopWatchingParent();
    process.off("SIGINT", ignoreInterrupt);
    process.off("SIGTERM", onTerminate);
    rmSync(socketDir, { recursive: true, force: true });
  }
}

/** Lets the Shutdown answer reach Terraform, but never waits on a client that keeps streams open. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    const hardStop = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, SHUTDOWN_GRACE_MS);
    server.tryShutdown(() => {
      clearTimeout(hardStop);
      resolve();
    });
  });
}
