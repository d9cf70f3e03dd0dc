/**
 * Plays Terraform's side of the plugin protocol against a provider executable: starts it with the
 * environment Terraform sets (AutoMTLS with a client certificate of our own), reads the handshake
 * line, and connects a gRPC client that pins the server certificate from that line.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { Client, credentials, type MethodDefinition, type ServiceDefinition } from "@grpc/grpc-js";
import goPluginDescriptor from "../../src/provider/plugin/go-plugin.json";
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from "../../src/provider/plugin/handshake";
import healthDescriptor from "../../src/provider/plugin/health.json";
import { encodeDynamicValue } from "../../src/provider/protocol/codec";
import type {
  ApplyResourceChangeRequest,
  ApplyResourceChangeResponse,
  ConfigureProviderRequest,
  Empty,
  GetMetadataResponse,
  GetProviderSchemaResponse,
  ImportResourceStateRequest,
  ImportResourceStateResponse,
  MoveResourceStateRequest,
  MoveResourceStateResponse,
  PlanResourceChangeRequest,
  PlanResourceChangeResponse,
  ReadDataSourceRequest,
  ReadDataSourceResponse,
  ReadResourceRequest,
  ReadResourceResponse,
  StopProviderResponse,
  UpgradeResourceStateRequest,
  UpgradeResourceStateResponse,
  ValidateDataResourceConfigRequest,
  ValidateProviderConfigRequest,
  ValidateResourceConfigRequest,
  WithDiagnostics,
} from "../../src/provider/protocol/messages";
import {
  providerServiceDefinition,
  serviceFromDescriptor,
} from "../../src/provider/protocol/service-definitions";
import { providerSchema } from "../../src/provider/schema";
import {
  derToPem,
  generateSelfSignedCertificate,
  type SelfSignedCertificate,
} from "../../src/tls/self-signed-cert";

/** Requests may leave fields out, as Terraform's Go client does for empty values. */
type Loose<T> = Partial<T>;

/** tfplugin6 RPC name -> [request, response]. */
export interface ProviderRpcs {
  GetMetadata: [Empty, GetMetadataResponse];
  GetProviderSchema: [Empty, GetProviderSchemaResponse];
  ValidateProviderConfig: [Loose<ValidateProviderConfigRequest>, WithDiagnostics];
  ValidateResourceConfig: [Loose<ValidateResourceConfigRequest>, WithDiagnostics];
  UpgradeResourceState: [Loose<UpgradeResourceStateRequest>, UpgradeResourceStateResponse];
  ConfigureProvider: [Loose<ConfigureProviderRequest>, WithDiagnostics];
  ReadResource: [Loose<ReadResourceRequest>, ReadResourceResponse];
  PlanResourceChange: [Loose<PlanResourceChangeRequest>, PlanResourceChangeResponse];
  ApplyResourceChange: [Loose<ApplyResourceChangeRequest>, ApplyResourceChangeResponse];
  ImportResourceState: [Loose<ImportResourceStateRequest>, ImportResourceStateResponse];
  MoveResourceState: [Loose<MoveResourceStateRequest>, MoveResourceStateResponse];
  ValidateDataResourceConfig: [Loose<ValidateDataResourceConfigRequest>, WithDiagnostics];
  ReadDataSource: [Loose<ReadDataSourceRequest>, ReadDataSourceResponse];
  GetFunctions: [Empty, WithDiagnostics];
  StopProvider: [Empty, StopProviderResponse];
}

export interface Handshake {
  readonly line: string;
  readonly coreVersion: number;
  readonly protocolVersion: number;
  readonly network: string;
  readonly address: string;
  readonly protocol: string;
  /** The server certificate Terraform would pin; null when the provider serves without TLS. */
  readonly serverCertDer: Buffer | null;
}

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface StartOptions {
  /** The program and its arguments, e.g. `["node", "/tmp/echo-provider.js"]`. */
  readonly command: readonly [string, ...string[]];
  /** Added to (or, with undefined, removed from) the environment Terraform would set. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export function parseHandshake(line: string): Handshake {
  const parts = line.trim().split("|");
  if (parts.length !== 6) throw new Error(`Not a go-plugin handshake line: ${JSON.stringify(line)}`);
  const [core, protocolVersion, network, address, protocol, cert] = parts as [string, ...string[]];
  return {
    line,
    coreVersion: Number(core),
    protocolVersion: Number(protocolVersion),
    network: network as string,
    address: address as string,
    protocol: protocol as string,
    serverCertDer: cert ? Buffer.from(cert, "base64") : null,
  };
}

function unary<Req, Res>(client: Client, method: MethodDefinition<Req, Res>, request: Req): Promise<Res> {
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(
      method.path,
      method.requestSerialize,
      method.responseDeserialize,
      request,
      (error, value) => (error || value === undefined ? reject(error) : resolve(value)),
    );
  });
}

function method<Req, Res>(service: ServiceDefinition, name: string): MethodDefinition<Req, Res> {
  const definition = service[name];
  if (definition === undefined) throw new Error(`No method ${name}`);
  return definition as MethodDefinition<Req, Res>;
}

/** One gRPC connection to the provider, with Terraform's view of the services. */
export class PluginClient {
  private readonly client: Client;
  private readonly provider = providerServiceDefinition();
  private readonly controller = serviceFromDescriptor(goPluginDescriptor, "plugin.GRPCController");
  private readonly health = serviceFromDescriptor(healthDescriptor, "grpc.health.v1.Health");

  /** `clientCert` null connects without a client certificate (which the provider must refuse). */
  constructor(handshake: Handshake, clientCert: SelfSignedCertificate | null) {
    const target = `unix://${handshake.address}`;
    const channelCredentials = handshake.serverCertDer
      ? credentials.createSsl(
          Buffer.from(derToPem(handshake.serverCertDer)),
          clientCert ? Buffer.from(clientCert.keyPem) : null,
          clientCert ? Buffer.from(clientCert.certPem) : null,
        )
      : credentials.createInsecure();
    this.client = new Client(target, channelCredentials, {
      // go-plugin checks the server name `localhost` against the pinned certificate; so do we.
      "grpc.ssl_target_name_override": "localhost",
      "grpc.default_authority": "localhost",
    });
  }

  call<K extends keyof ProviderRpcs>(rpc: K, request: ProviderRpcs[K][0]): Promise<ProviderRpcs[K][1]> {
    return unary(this.client, method(this.provider, rpc), request) as Promise<ProviderRpcs[K][1]>;
  }

  /** Starts a call that can be cancelled midway, as Terraform cancels an RPC it gives up on. */
  start<K extends keyof ProviderRpcs>(
    rpc: K,
    request: ProviderRpcs[K][0],
  ): { response: Promise<ProviderRpcs[K][1]>; cancel: () => void } {
    const definition = method<ProviderRpcs[K][0], ProviderRpcs[K][1]>(this.provider, rpc);
    let cancel: () => void = () => {};
    const response = new Promise<ProviderRpcs[K][1]>((resolve, reject) => {
      const call = this.client.makeUnaryRequest(
        definition.path,
        definition.requestSerialize,
        definition.responseDeserialize,
        request,
        (error, value) => (error || value === undefined ? reject(error) : resolve(value)),
      );
      cancel = () => call.cancel();
    });
    return { response, cancel };
  }

  shutdown(): Promise<Empty> {
    return unary(this.client, method(this.controller, "Shutdown"), {});
  }

  healthCheck(service: string): Promise<{ status: string }> {
    return unary(this.client, method(this.health, "Check"), { service });
  }

  close(): void {
    this.client.close();
  }
}

/** A running provider process, connected like Terraform connects. */
export class ProviderProcess {
  private readonly clients: PluginClient[] = [];
  readonly exited: Promise<ExitInfo>;
  readonly client: PluginClient;

  private constructor(
    private readonly child: ChildProcess,
    readonly handshake: Handshake,
    readonly clientCert: SelfSignedCertificate,
    exited: Promise<ExitInfo>,
    private readonly output: { stdout: () => string; stderr: () => string },
  ) {
    this.exited = exited;
    this.client = this.connect(clientCert);
  }

  /** Starts the provider and waits for its handshake line. */
  static start(options: StartOptions): Promise<ProviderProcess> {
    const clientCert = generateSelfSignedCertificate();
    const env: Record<string, string | undefined> = {
      ...process.env,
      [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE,
      PLUGIN_PROTOCOL_VERSIONS: "5,6",
      PLUGIN_MIN_PORT: "10000",
      PLUGIN_MAX_PORT: "25000",
      PLUGIN_CLIENT_CERT: clientCert.certPem,
      TF_DISABLE_PLUGIN_TLS: undefined,
      ...options.env,
    };
    const [program, ...args] = options.command;
    const child = spawn(program, args, { env: dropUndefined(env), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = new Promise<ExitInfo>((resolve) =>
      child.on("close", (code, signal) => resolve({ code, signal })),
    );
    const output = { stdout: () => stdout, stderr: () => stderr };

    return new Promise((resolve, reject) => {
      const onData = () => {
        const newline = stdout.indexOf("\n");
        if (newline < 0) return;
        child.stdout?.off("data", onData);
        try {
          const handshake = parseHandshake(stdout.slice(0, newline + 1));
          resolve(new ProviderProcess(child, handshake, clientCert, exited, output));
        } catch (error) {
          child.kill("SIGKILL");
          reject(error);
        }
      };
      child.stdout?.on("data", onData);
      child.on("error", reject);
      exited.then((info) =>
        reject(
          new Error(`The provider exited (${info.code ?? info.signal}) before its handshake.\n${stderr}`),
        ),
      );
    });
  }

  /** The provider's process id, e.g. to read its CPU time. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Everything the provider wrote to stdout so far (should be the handshake line only). */
  get stdout(): string {
    return this.output.stdout();
  }

  get stderr(): string {
    return this.output.stderr();
  }

  /** Another connection, e.g. with a different client certificate or none. */
  connect(clientCert: SelfSignedCertificate | null): PluginClient {
    const client = new PluginClient(this.handshake, clientCert);
    this.clients.push(client);
    return client;
  }

  /** What Terraform does at the end of every provider process: Shutdown, then wait for the exit. */
  async shutdown(): Promise<ExitInfo> {
    await this.client.shutdown();
    return this.stop();
  }

  /** Waits for the exit, then closes the clients. */
  async stop(): Promise<ExitInfo> {
    const info = await this.exited;
    for (const client of this.clients) client.close();
    return info;
  }

  /** For test clean-up: ends the process if a test left it running, letting it remove its socket. */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGTERM");
    await this.stop();
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Stops reading the provider's stderr, so its next log line meets a pipe without a reader (EPIPE). */
  closeStderr(): void {
    this.child.stderr?.destroy();
  }
}

function dropUndefined(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

/**
 * ConfigureProvider with client credentials for an address nothing listens on: configuring makes no
 * call, so this loads and runs the configured code path (the API client) without a tenant.
 * Answers the provider's diagnostics.
 */
export async function configureOffline(
  provider: ProviderProcess,
): Promise<NonNullable<WithDiagnostics["diagnostics"]>> {
  const configured = await provider.client.call("ConfigureProvider", {
    config: encodeDynamicValue(
      { domain: "http://127.0.0.1:9", client_id: "ci", client_secret: "ci-secret-value" },
      providerSchema.block,
    ),
    terraform_version: "1.16.4",
  });
  return configured.diagnostics ?? [];
}
