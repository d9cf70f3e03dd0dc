/** go-plugin's start-up contract: the environment Terraform sets, and the one line we answer with. */

export const MAGIC_COOKIE_KEY = "TF_PLUGIN_MAGIC_COOKIE";
export const MAGIC_COOKIE_VALUE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
const CORE_PROTOCOL_VERSION = 1;
export const PLUGIN_PROTOCOL_VERSION = 6;

export const NOT_A_COMMAND_MESSAGE =
  "This binary is a plugin for Terraform and is not meant to be executed directly.\n" +
  "Use it from a Terraform (or CDKTF) configuration: Terraform starts it when it needs it.\n";

export type TransportSecurity =
  | { readonly kind: "mtls"; readonly clientCertPem: string }
  | { readonly kind: "insecure" };

export type StartupDecision =
  | { readonly ok: true; readonly security: TransportSecurity }
  | { readonly ok: false; readonly message: string };

/** Decides from the environment whether and how to serve; Terraform always sets all of it. */
export function decideStartup(env: NodeJS.ProcessEnv): StartupDecision {
  if (env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) return { ok: false, message: NOT_A_COMMAND_MESSAGE };

  // Unset means the host did not negotiate; go-plugin then assumes the plugin's own version.
  const offered = env.PLUGIN_PROTOCOL_VERSIONS;
  if (
    offered !== undefined &&
    !offered.split(",").some((v) => Number(v.trim()) === PLUGIN_PROTOCOL_VERSION)
  ) {
    return {
      ok: false,
      message:
        `This provider speaks Terraform plugin protocol ${PLUGIN_PROTOCOL_VERSION}, but this Terraform ` +
        `offers only protocol(s) ${offered}. Use Terraform 1.0 or later (or OpenTofu).\n`,
    };
  }

  const clientCertPem = env.PLUGIN_CLIENT_CERT;
  if (env.TF_DISABLE_PLUGIN_TLS || !clientCertPem) return { ok: true, security: { kind: "insecure" } };
  return { ok: true, security: { kind: "mtls", clientCertPem } };
}

/**
 * `CORE|APP|NETWORK|ADDRESS|PROTOCOL|CERT`. The certificate is DER in unpadded standard base64
 * (Go's RawStdEncoding); an empty field means plain text.
 */
export function handshakeLine(socketPath: string, serverCertDer: Uint8Array | null): string {
  const cert = serverCertDer ? Buffer.from(serverCertDer).toString("base64").replace(/=+$/, "") : "";
  return `${CORE_PROTOCOL_VERSION}|${PLUGIN_PROTOCOL_VERSION}|unix|${socketPath}|grpc|${cert}\n`;
}
