import { spawn } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { existsSync } from "node:fs";
import { dirname } from "node:path";
import { status } from "@grpc/grpc-js";
import { encodeDynamicValue } from "../../../src/provider/protocol/codec";
import { generateSelfSignedCertificate } from "../../../src/tls/self-signed-cert";
import { echoProviderSchema } from "../../support/fixtures/echo-handlers";
import { type BundledProvider, bundleProvider } from "../../support/provider-fixture";
import { ProviderProcess } from "../../support/terraform-client";

let fixture: BundledProvider;
const running: ProviderProcess[] = [];

beforeAll(async () => {
  fixture = await bundleProvider();
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.kill()));
});

afterAll(() => fixture.remove());

async function start(env: Record<string, string | undefined> = {}): Promise<ProviderProcess> {
  const provider = await ProviderProcess.start({ command: fixture.command, env });
  running.push(provider);
  return provider;
}

/** Runs the fixture to completion without the helper, for start-ups that must fail. */
function runRaw(
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const [program, ...args] = fixture.command;
    const child = spawn(program, args, { env: { PATH: process.env.PATH ?? "", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function waitForStderr(provider: ProviderProcess, text: string): Promise<void> {
  return new Promise((resolve) => {
    const check = () => (provider.stderr.includes(text) ? resolve() : setImmediate(check));
    check();
  });
}

describe("plugin handshake", () => {
  it("prints exactly one go-plugin line on stdout, naming a unix socket and the server certificate", async () => {
    const provider = await start();
    const { handshake } = provider;
    expect(handshake.line).toMatch(/^1\|6\|unix\|\/[^|]+\|grpc\|[A-Za-z0-9+/]+\n$/);
    expect(handshake.line).not.toContain("=");
    expect(existsSync(handshake.address)).toBe(true);

    const cert = new X509Certificate(handshake.serverCertDer as Buffer);
    expect(cert.subjectAltName).toBe("DNS:localhost");
    expect(cert.checkHost("localhost")).toBe("localhost");

    await provider.client.call("GetProviderSchema", {});
    await provider.shutdown();
    expect(provider.stdout).toBe(handshake.line);
  });

  it("keeps console.log output off stdout", async () => {
    const provider = await start();
    const greeting = encodeDynamicValue({ greeting: "hello" }, echoProviderSchema.block);
    await provider.client.call("ConfigureProvider", { terraform_version: "1.11.4", config: greeting });
    await provider.shutdown();
    expect(provider.stdout).toBe(provider.handshake.line);
    expect(provider.stderr).toContain("hello");
  });

  it("answers the go-plugin health check for the plugin service", async () => {
    const provider = await start();
    await expect(provider.client.healthCheck("plugin")).resolves.toEqual({ status: "SERVING" });
    await expect(provider.client.healthCheck("elsewhere")).rejects.toMatchObject({ code: status.NOT_FOUND });
  });

  it("serves plain gRPC with an empty certificate field when TLS is disabled", async () => {
    const provider = await start({ TF_DISABLE_PLUGIN_TLS: "1", PLUGIN_CLIENT_CERT: undefined });
    expect(provider.handshake.line).toMatch(/^1\|6\|unix\|[^|]+\|grpc\|\n$/);
    await expect(provider.client.call("GetProviderSchema", {})).resolves.toHaveProperty("provider");
  });
});

describe("mutual TLS", () => {
  it("refuses a client that presents no certificate", async () => {
    const provider = await start();
    const anonymous = provider.connect(null);
    await expect(anonymous.call("GetProviderSchema", {})).rejects.toMatchObject({ code: status.UNAVAILABLE });
    await expect(provider.client.call("GetProviderSchema", {})).resolves.toHaveProperty("provider");
  });

  it("refuses a client certificate other than the one Terraform announced", async () => {
    const provider = await start();
    const stranger = provider.connect(generateSelfSignedCertificate());
    await expect(stranger.call("GetProviderSchema", {})).rejects.toMatchObject({ code: status.UNAVAILABLE });
  });
});

describe("process lifecycle", () => {
  it("exits after Shutdown and removes its socket directory", async () => {
    const provider = await start();
    const socketDir = dirname(provider.handshake.address);
    expect(existsSync(socketDir)).toBe(true);
    const exit = await provider.shutdown();
    expect(exit.code).toBe(0);
    expect(existsSync(socketDir)).toBe(false);
  });

  it("ignores SIGINT and exits on SIGTERM", async () => {
    const provider = await start({ TF_LOG: "debug" });
    provider.signal("SIGINT");
    await waitForStderr(provider, "Ignoring SIGINT");
    await expect(provider.client.call("GetProviderSchema", {})).resolves.toHaveProperty("provider");

    provider.signal("SIGTERM");
    expect((await provider.stop()).code).toBe(0);
    expect(existsSync(dirname(provider.handshake.address))).toBe(false);
  });

  it("writes hclog JSON lines to stderr", async () => {
    const provider = await start({ TF_LOG: "debug" });
    await provider.client.call("GetProviderSchema", {});
    await provider.shutdown();
    const entry = provider.stderr
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((e) => e.tf_rpc === "GetProviderSchema");
    expect(entry).toMatchObject({
      "@level": "debug",
      "@module": "provider.echo",
      "@message": "Received RPC",
    });
    expect(entry?.["@timestamp"]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it("exits 1 with a human message when not started by Terraform", async () => {
    const result = await runRaw({});
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("This binary is a plugin for Terraform");
    expect(result.stderr).toContain("not meant to be executed directly");
  });

  it("exits 1 when Terraform does not offer protocol 6", async () => {
    const result = await runRaw({
      TF_PLUGIN_MAGIC_COOKIE: "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
      PLUGIN_PROTOCOL_VERSIONS: "4,5",
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("protocol 6");
  });

  it("exits 1 naming PLUGIN_CLIENT_CERT when it holds no certificate", async () => {
    const result = await runRaw({
      TF_PLUGIN_MAGIC_COOKIE: "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
      PLUGIN_PROTOCOL_VERSIONS: "6",
      PLUGIN_CLIENT_CERT: "not a certificate",
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("PLUGIN_CLIENT_CERT holds no PEM certificate");
  });
});
