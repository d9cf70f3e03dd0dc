import { readFileSync } from "node:fs";
import { ConfigurationError } from "./errors";

const PEM_CERTIFICATE = "-----BEGIN CERTIFICATE-----";

/**
 * The certificates HTTPS to the tenant trusts, in PEM; undefined for Node's own roots (Mozilla's,
 * plus NODE_EXTRA_CA_CERTS). When SSL_CERT_FILE names a bundle, its certificates replace Node's
 * roots, as they do for Go programs (Terraform, the official Auth0 provider) and OpenSSL, so one
 * variable serves every provider of a pipeline behind a private CA or a TLS-inspecting proxy.
 * NODE_EXTRA_CA_CERTS still adds to them: a Node user's extra roots keep working.
 *
 * Read when the client is built, not at start-up: Node 20 loads its whole root store while starting
 * whenever NODE_EXTRA_CA_CERTS is set, which costs every provider process 16-40 ms (bench:startup,
 * the "one CA" rows, on two machines).
 */
export function trustedRoots(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const bundle = env.SSL_CERT_FILE;
  // Empty means unset, as for Go.
  if (bundle === undefined || bundle === "") return undefined;
  const roots = readBundle(bundle);
  const extra = env.NODE_EXTRA_CA_CERTS;
  return extra === undefined || extra === "" ? roots : `${roots}\n${readExtra(extra)}`;
}

function readBundle(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ConfigurationError(
      "SSL_CERT_FILE",
      `SSL_CERT_FILE names ${file}, which cannot be read (${reason}). Point it at a PEM bundle of the CA certificates to trust, or unset it to trust Node.js's default roots.`,
    );
  }
  if (!text.includes(PEM_CERTIFICATE)) {
    throw new ConfigurationError(
      "SSL_CERT_FILE",
      `SSL_CERT_FILE names ${file}, which holds no PEM certificate ("${PEM_CERTIFICATE}"). Point it at a PEM bundle of the CA certificates to trust, or unset it to trust Node.js's default roots.`,
    );
  }
  return text;
}

/** Node has already warned at start-up about an extra-certificates file it could not load. */
function readExtra(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}
