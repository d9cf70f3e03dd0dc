import {
  decideStartup,
  handshakeLine,
  MAGIC_COOKIE_KEY,
  MAGIC_COOKIE_VALUE,
} from "../../../src/provider/plugin/handshake";

const cookie = { [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE };

describe("decideStartup", () => {
  it("refuses to serve without Terraform's magic cookie", () => {
    expect(decideStartup({})).toMatchObject({
      ok: false,
      message: expect.stringContaining("plugin for Terraform"),
    });
    expect(decideStartup({ [MAGIC_COOKIE_KEY]: "wrong" }).ok).toBe(false);
  });

  it("serves protocol 6 whenever it is offered, in any order", () => {
    expect(decideStartup({ ...cookie, PLUGIN_PROTOCOL_VERSIONS: "6,5" }).ok).toBe(true);
    expect(decideStartup({ ...cookie, PLUGIN_PROTOCOL_VERSIONS: "5, 6" }).ok).toBe(true);
    expect(decideStartup({ ...cookie, PLUGIN_PROTOCOL_VERSIONS: "5" })).toMatchObject({
      ok: false,
      message: expect.stringContaining("Terraform 1.0 or later"),
    });
  });

  it("uses mTLS with Terraform's certificate unless TLS is disabled", () => {
    const env = { ...cookie, PLUGIN_PROTOCOL_VERSIONS: "6", PLUGIN_CLIENT_CERT: "PEM" };
    expect(decideStartup(env)).toEqual({ ok: true, security: { kind: "mtls", clientCertPem: "PEM" } });
    expect(decideStartup({ ...env, TF_DISABLE_PLUGIN_TLS: "1" })).toEqual({
      ok: true,
      security: { kind: "insecure" },
    });
    expect(decideStartup({ ...cookie })).toEqual({ ok: true, security: { kind: "insecure" } });
  });
});

describe("handshakeLine", () => {
  it("writes the certificate as unpadded base64", () => {
    expect(handshakeLine("/tmp/x/plugin.sock", Buffer.from([1, 2, 3, 4]))).toBe(
      "1|6|unix|/tmp/x/plugin.sock|grpc|AQIDBA\n",
    );
  });

  it("leaves the certificate empty when serving without TLS", () => {
    expect(handshakeLine("/s", null)).toBe("1|6|unix|/s|grpc|\n");
  });
});
