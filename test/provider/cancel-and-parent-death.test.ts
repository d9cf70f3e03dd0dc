import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { type Emulator, startEmulator } from "../../src/emulator";
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from "../../src/provider/plugin/handshake";
import { encodeDynamicValue } from "../../src/provider/protocol/codec";
import type { TfObject } from "../../src/provider/protocol/values";
import { memberRolesSchema, providerSchema } from "../../src/provider/schema";
import { generateSelfSignedCertificate } from "../../src/tls/self-signed-cert";
import { PluginClient, ProviderProcess, parseHandshake } from "../support/terraform-client";

// Once Terraform cancels an RPC, calls StopProvider, or dies, no write may start: nobody would
// record its result. The emulator's request log is the witness of what the provider sent.
const EXECUTABLE = resolve(__dirname, "../../bin/terraform-provider-auth0roles");
const PARENT = resolve(__dirname, "../support/fixtures/provider-parent.js");
const TYPE = "auth0roles_organization_member_roles";
const ORG = "org_acme000000000001";
const ALICE = "auth0|alice";
const ROLES_PATH = /\/members\/auth0%7Calice\/roles$/;
const [ADMIN, BILLING, VIEWER] = ["rol_admin00000000001", "rol_billing000000001", "rol_viewer0000000001"];
/** How long the tenant takes to answer the first read: the window in which Terraform gives up. */
const READ_LATENCY_MS = 500;
/** After the read's answer would have arrived, how long a write would have had to show up. */
const WRITE_WINDOW_MS = 1_000;

let emu: Emulator;

beforeEach(async () => {
  emu = await startEmulator({
    rateLimits: false,
    seed: {
      clients: [
        {
          clientId: "ci",
          clientSecret: "ci-secret-0123456789",
          scopes: [
            "read:organization_member_roles",
            "create:organization_member_roles",
            "delete:organization_member_roles",
          ],
        },
      ],
      roles: [ADMIN, BILLING, VIEWER].map((id) => ({ id, name: id })),
      users: [{ user_id: ALICE }],
      organizations: [{ id: ORG, name: "acme", members: [{ user_id: ALICE, roles: [ADMIN, BILLING] }] }],
    },
  });
});

afterEach(() => emu.stop());

const member = (roles: string[]): TfObject => ({
  id: `${ORG}::${ALICE}`,
  organization_id: ORG,
  user_id: ALICE,
  roles,
});

async function configure(client: PluginClient): Promise<void> {
  const configured = await client.call("ConfigureProvider", {
    config: encodeDynamicValue(
      { domain: emu.url, client_id: "ci", client_secret: "ci-secret-0123456789" },
      providerSchema.block,
    ),
    terraform_version: "1.11.4",
  });
  expect(configured.diagnostics ?? []).toEqual([]);
}

/** An update that, left alone, grants viewer and revokes admin and billing. */
function startUpdate(client: PluginClient) {
  emu.injectFault({ method: "GET", path: ROLES_PATH, kind: "latency", latencyMs: READ_LATENCY_MS });
  return client.start("ApplyResourceChange", {
    type_name: TYPE,
    prior_state: encodeDynamicValue(member([ADMIN, BILLING]), memberRolesSchema.block),
    planned_state: encodeDynamicValue(member([VIEWER]), memberRolesSchema.block),
    config: encodeDynamicValue(member([VIEWER]), memberRolesSchema.block),
  });
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(20);
}

const roleCalls = () => emu.requests.filter((r) => ROLES_PATH.test(r.path));
const writes = () => roleCalls().filter((r) => r.method !== "GET");

/** Waits for the slow read to be received, then for its answer (sent or not) and the window after it. */
async function readInFlight(): Promise<void> {
  await until(() => roleCalls().length > 0);
}
async function writeWindowPassed(): Promise<void> {
  await until(() => roleCalls().every((r) => r.status !== 0));
  await sleep(WRITE_WINDOW_MS);
}

describe("a cancelled RPC or StopProvider mid-apply (gRPC, mTLS)", () => {
  let provider: ProviderProcess;
  beforeEach(async () => {
    provider = await ProviderProcess.start({ command: [EXECUTABLE] });
    await configure(provider.client);
  });
  afterEach(() => provider.kill());

  test("left alone, the same update grants and revokes (the writes the other tests must not see)", async () => {
    const { response } = startUpdate(provider.client);
    await response;
    expect(roleCalls().map((r) => r.method)).toEqual(["GET", "POST", "DELETE"]);
    expect(emu.tenant.memberRoles(ORG, ALICE)).toEqual([VIEWER]);
  });

  test("a cancelled ApplyResourceChange starts no write", async () => {
    const { response, cancel } = startUpdate(provider.client);
    await readInFlight();
    cancel();
    await expect(response).rejects.toMatchObject({ details: "Cancelled on client" });
    await writeWindowPassed();
    expect(writes()).toEqual([]);
    expect(emu.tenant.memberRoles(ORG, ALICE)).toEqual([ADMIN, BILLING]);
  });

  test("StopProvider mid-apply starts no write, and the apply reports the cancellation", async () => {
    const { response } = startUpdate(provider.client);
    await readInFlight();
    await provider.client.call("StopProvider", {});
    const applied = await response;
    expect((applied.diagnostics ?? []).map((d) => d.detail).join("\n")).toMatch(/cancelled/);
    await writeWindowPassed();
    expect(writes()).toEqual([]);
    expect(emu.tenant.memberRoles(ORG, ALICE)).toEqual([ADMIN, BILLING]);
  });
});

describe("stderr without a reader", () => {
  test.each([
    ["SIGTERM", (p: ProviderProcess) => p.signal("SIGTERM")],
    [
      "StopProvider then Shutdown",
      async (p: ProviderProcess) => {
        await p.client.call("StopProvider", {});
        await p.client.shutdown();
      },
    ],
  ])("%s exits 0 and removes the socket directory", async (_how, stop) => {
    const provider = await ProviderProcess.start({ command: [EXECUTABLE], env: { TF_LOG: "debug" } });
    const socketDir = dirname(provider.handshake.address);
    await configure(provider.client);
    provider.closeStderr();
    // A log line now meets a pipe without a reader (EPIPE) ...
    await provider.client.call("ReadResource", {
      type_name: TYPE,
      current_state: encodeDynamicValue(member([ADMIN, BILLING]), memberRolesSchema.block),
    });
    // ... and so do the lines logged while stopping.
    await stop(provider);
    expect(await provider.stop()).toEqual({ code: 0, signal: null });
    expect(existsSync(socketDir)).toBe(false);
  });
});

describe("Terraform killed with SIGKILL mid-apply", () => {
  let parent: ChildProcess | undefined;
  afterEach(() => {
    if (parent?.exitCode === null && parent.signalCode === null) parent.kill("SIGKILL");
  });

  test("the provider starts no write, removes its socket directory and exits", async () => {
    const clientCert = generateSelfSignedCertificate();
    parent = spawn(process.execPath, [PARENT, EXECUTABLE], {
      env: {
        ...process.env,
        [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE,
        PLUGIN_PROTOCOL_VERSIONS: "5,6",
        PLUGIN_CLIENT_CERT: clientCert.certPem,
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const started = await firstLine(parent);
    const { pid, handshake: line } = JSON.parse(started) as { pid: number; handshake: string };
    const handshake = parseHandshake(line);
    const client = new PluginClient(handshake, clientCert);
    try {
      await configure(client);
      const { response } = startUpdate(client);
      response.catch(() => {});
      await readInFlight();
      expect(isRunning(pid)).toBe(true);

      parent.kill("SIGKILL");
      await until(() => !isRunning(pid));
      expect(existsSync(dirname(handshake.address))).toBe(false);
      await writeWindowPassed();
      expect(writes()).toEqual([]);
      expect(emu.tenant.memberRoles(ORG, ALICE)).toEqual([ADMIN, BILLING]);
    } finally {
      client.close();
      if (isRunning(pid)) process.kill(pid, "SIGKILL");
    }
  });
});

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let text = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      const newline = text.indexOf("\n");
      if (newline >= 0) resolvePromise(text.slice(0, newline));
    });
    child.on("exit", () => reject(new Error(`The parent exited before the provider's handshake: ${text}`)));
  });
}

/** A process that exited but was not reaped yet (a zombie) counts as gone. */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(join("/proc", String(pid), "stat"), "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}
