import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { createServer as createHttpsServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type Emulator, startEmulator } from "../../src/emulator";
import { decodeDynamicValue, encodeDynamicValue } from "../../src/provider/protocol/codec";
import { memberRolesSchema, providerSchema } from "../../src/provider/schema";
import { generateSelfSignedCertificate } from "../../src/tls/self-signed-cert";
import { ProviderProcess } from "../support/terraform-client";

// The plugin transport trusts nothing but Terraform's certificate (an empty trust store, so Node never
// builds its root store at start-up). The Auth0 client must still verify HTTPS the normal way: with
// Node's default roots plus NODE_EXTRA_CA_CERTS, or with the bundle SSL_CERT_FILE names (as Go
// programs do), refusing a certificate nobody vouches for.
const EXECUTABLE = resolve(__dirname, "../../bin/terraform-provider-auth0roles");
const ORG = "org_acme000000000001";
const ALICE = "auth0|alice";
const ADMIN = "rol_admin00000000001";

/** A loopback HTTPS front for the emulator, with a self-signed certificate for `localhost`. */
interface HttpsFront {
  readonly url: string;
  readonly certFile: string;
  /** TLS handshakes a client broke off, and HTTP requests that got through. */
  readonly refusedHandshakes: () => number;
  readonly requests: () => number;
  stop(): Promise<void>;
}

async function startHttpsFront(target: string): Promise<HttpsFront> {
  const identity = generateSelfSignedCertificate();
  const dir = mkdtempSync(join(tmpdir(), "https-roots-"));
  const certFile = join(dir, "front.pem");
  writeFileSync(certFile, identity.certPem);
  let refused = 0;
  let requests = 0;
  const server: Server = createHttpsServer({ cert: identity.certPem, key: identity.keyPem }, (req, res) => {
    requests++;
    const upstream = httpRequest(
      `${target}${req.url ?? "/"}`,
      { method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  server.on("tlsClientError", () => {
    refused++;
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://localhost:${port}`,
    certFile,
    refusedHandshakes: () => refused,
    requests: () => requests,
    stop: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          done();
        });
      }),
  };
}

/** The variables that decide the trust, unset: each test sets what it plays (this machine sets both). */
const NO_TRUST_SETTINGS = { NODE_EXTRA_CA_CERTS: undefined, SSL_CERT_FILE: undefined };

/**
 * A refresh of Alice's roles through a provider process configured for `domain`; a provider that
 * refuses its configuration answers with those diagnostics and reads nothing.
 */
async function refreshThrough(domain: string, audience: string, env: Record<string, string | undefined>) {
  const provider = await ProviderProcess.start({
    command: [EXECUTABLE],
    env: { ...NO_TRUST_SETTINGS, ...env },
  });
  try {
    const configured = await provider.client.call("ConfigureProvider", {
      terraform_version: "1.11.4",
      config: encodeDynamicValue(
        { domain, audience, client_id: "ci", client_secret: "ci-secret-value" },
        providerSchema.block,
      ),
    });
    const refused = (configured.diagnostics ?? []).map((d) => `${d.summary}: ${d.detail}`);
    if (refused.length > 0) {
      await provider.shutdown();
      return { diagnostics: refused, state: undefined };
    }
    const state = { id: `${ORG}::${ALICE}`, organization_id: ORG, user_id: ALICE, roles: [] };
    const read = await provider.client.call("ReadResource", {
      type_name: "auth0roles_organization_member_roles",
      current_state: encodeDynamicValue(state, memberRolesSchema.block),
    });
    await provider.shutdown();
    return {
      diagnostics: (read.diagnostics ?? []).map((d) => `${d.summary}: ${d.detail}`),
      state: decodeDynamicValue(read.new_state, memberRolesSchema.block),
    };
  } finally {
    await provider.kill();
  }
}

describe("the Auth0 client's HTTPS trust (run `npm run build` first)", () => {
  let emu: Emulator;
  let front: HttpsFront;

  beforeAll(async () => {
    emu = await startEmulator({
      rateLimits: false,
      seed: {
        clients: [
          { clientId: "ci", clientSecret: "ci-secret-value", scopes: ["read:organization_member_roles"] },
        ],
        roles: [{ id: ADMIN, name: "admin" }],
        users: [{ user_id: ALICE }],
        organizations: [{ id: ORG, name: "acme", members: [{ user_id: ALICE, roles: [ADMIN] }] }],
      },
    });
    front = await startHttpsFront(emu.url);
  });

  afterAll(async () => {
    await front?.stop();
    await emu?.stop();
  });

  it("refuses a tenant whose certificate no default root vouches for", async () => {
    const result = await refreshThrough(front.url, `${emu.url}/api/v2/`, {});
    expect(result.diagnostics.join("\n")).toMatch(/SELF_SIGNED_CERT/);
    expect(front.refusedHandshakes()).toBeGreaterThan(0);
    expect(front.requests()).toBe(0);
  });

  it("reaches the same tenant once its certificate is trusted through NODE_EXTRA_CA_CERTS", async () => {
    const result = await refreshThrough(front.url, `${emu.url}/api/v2/`, {
      NODE_EXTRA_CA_CERTS: front.certFile,
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.state).toMatchObject({ roles: [ADMIN] });
    expect(front.requests()).toBeGreaterThan(0);
  });

  it("trusts the bundle SSL_CERT_FILE names, as Go programs do, without NODE_EXTRA_CA_CERTS", async () => {
    const result = await refreshThrough(front.url, `${emu.url}/api/v2/`, { SSL_CERT_FILE: front.certFile });
    expect(result.diagnostics).toEqual([]);
    expect(result.state).toMatchObject({ roles: [ADMIN] });
  });

  it("trusts only that bundle, and NODE_EXTRA_CA_CERTS beside it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "https-roots-other-"));
    const otherCa = join(dir, "other.pem");
    // Another subject: OpenSSL looks a root up by subject, and these certificates carry no key ids.
    writeFileSync(otherCa, generateSelfSignedCertificate({ hosts: ["ca.example"] }).certPem);
    try {
      const refusedBefore = front.refusedHandshakes();
      const alone = await refreshThrough(front.url, `${emu.url}/api/v2/`, { SSL_CERT_FILE: otherCa });
      expect(alone.diagnostics.join("\n")).toMatch(/SELF_SIGNED_CERT/);
      expect(front.refusedHandshakes()).toBeGreaterThan(refusedBefore);
      const withExtra = await refreshThrough(front.url, `${emu.url}/api/v2/`, {
        SSL_CERT_FILE: otherCa,
        NODE_EXTRA_CA_CERTS: front.certFile,
      });
      expect(withExtra.diagnostics).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses its configuration, before any request, when SSL_CERT_FILE is unreadable or holds no certificate", async () => {
    const dir = mkdtempSync(join(tmpdir(), "https-roots-bad-"));
    const notPem = join(dir, "not-a-bundle.txt");
    writeFileSync(notPem, "not a certificate\n");
    try {
      const requestsBefore = front.requests();
      const missing = await refreshThrough(front.url, `${emu.url}/api/v2/`, {
        SSL_CERT_FILE: join(dir, "gone.pem"),
      });
      expect(missing.diagnostics).toEqual([
        expect.stringMatching(
          /^Invalid provider configuration: SSL_CERT_FILE names .*gone\.pem, which cannot be read \(ENOENT\)\. Point it at a PEM bundle/,
        ),
      ]);
      const empty = await refreshThrough(front.url, `${emu.url}/api/v2/`, { SSL_CERT_FILE: notPem });
      expect(empty.diagnostics).toEqual([
        expect.stringMatching(/SSL_CERT_FILE names .*not-a-bundle\.txt, which holds no PEM certificate/),
      ]);
      expect(front.requests()).toBe(requestsBefore);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
