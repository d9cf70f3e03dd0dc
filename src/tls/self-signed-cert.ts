/**
 * Self-signed ECDSA P-256 certificates, by default with CN and DNS SAN `localhost` (Go refuses a
 * certificate whose only host name is the legacy Common Name): go-plugin's AutoMTLS, where Terraform
 * pins this exact certificate from the handshake line, and the emulator's HTTPS mode, whose clients
 * trust it as their own root (SSL_CERT_FILE, NODE_EXTRA_CA_CERTS).
 */
import { generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { isIPv4 } from "node:net";
import {
  bitString,
  booleanTrue,
  explicit,
  implicitPrimitive,
  objectIdentifier,
  octetString,
  sequence,
  set,
  smallInteger,
  time,
  unsignedInteger,
  utf8String,
} from "./der";

export interface SelfSignedCertificate {
  readonly certDer: Buffer;
  readonly certPem: string;
  readonly keyPem: string;
}

export interface CertificateOptions {
  /** Defaults to now; injectable so tests can check the validity window. */
  readonly now?: Date;
  /** The names it is valid for: DNS names, or IPv4 addresses (an iPAddress SAN). Default `["localhost"]`. */
  readonly hosts?: readonly string[];
}

const ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
const COMMON_NAME = "2.5.4.3";
const SUBJECT_ALT_NAME = "2.5.29.17";
const BASIC_CONSTRAINTS = "2.5.29.19";
const KEY_USAGE = "2.5.29.15";
const EXT_KEY_USAGE = "2.5.29.37";
const SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
const CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

const DEFAULT_HOSTS = ["localhost"];
/** Clocks of the two processes may differ slightly; go-plugin back-dates too. */
const BACKDATE_MS = 30_000;
/** The certificate lives only as long as one provider process; a day is ample. */
const LIFETIME_MS = 24 * 60 * 60 * 1000;

/** GeneralName: dNSName [2] or iPAddress [7], both IMPLICIT primitives. */
function generalName(host: string): Buffer {
  if (isIPv4(host)) return implicitPrimitive(7, Buffer.from(host.split(".").map(Number)));
  return implicitPrimitive(2, Buffer.from(host, "ascii"));
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return critical
    ? sequence(objectIdentifier(oid), booleanTrue(), octetString(value))
    : sequence(objectIdentifier(oid), octetString(value));
}

export function generateSelfSignedCertificate(options: CertificateOptions = {}): SelfSignedCertificate {
  const now = options.now ?? new Date();
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const algorithm = sequence(objectIdentifier(ECDSA_WITH_SHA256));
  const hosts = options.hosts ?? DEFAULT_HOSTS;
  const name = sequence(set(sequence(objectIdentifier(COMMON_NAME), utf8String(hosts[0] ?? "localhost"))));

  const serial = randomBytes(16);
  // First byte 0x40-0x7f: positive (top bit clear) and non-zero, so the INTEGER stays 16 bytes.
  serial[0] = 0x40 | ((serial[0] ?? 0) & 0x3f);

  const tbs = sequence(
    explicit(0, smallInteger(2)), // X.509 v3
    unsignedInteger(serial),
    algorithm,
    name,
    sequence(time(new Date(now.getTime() - BACKDATE_MS)), time(new Date(now.getTime() + LIFETIME_MS))),
    name,
    publicKey.export({ type: "spki", format: "der" }),
    explicit(
      3,
      sequence(
        extension(SUBJECT_ALT_NAME, false, sequence(...hosts.map(generalName))),
        // Marked as a CA with certSign like go-plugin's certificates: the same profile then works
        // for both verifiers (Go pins it as a root; OpenSSL trusts it as its own anchor).
        extension(BASIC_CONSTRAINTS, true, sequence(booleanTrue())),
        // digitalSignature (bit 0) and keyCertSign (bit 5): 0b10000100, two unused trailing bits.
        extension(KEY_USAGE, true, bitString(Buffer.from([0x84]), 2)),
        extension(
          EXT_KEY_USAGE,
          false,
          sequence(objectIdentifier(SERVER_AUTH), objectIdentifier(CLIENT_AUTH)),
        ),
      ),
    ),
  );
  const signature = sign("sha256", tbs, privateKey); // DER-encoded ECDSA signature, as X.509 wants
  const certDer = sequence(tbs, algorithm, bitString(signature));

  return {
    certDer,
    certPem: derToPem(certDer),
    keyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
}

export function derToPem(certDer: Uint8Array): string {
  const base64 = Buffer.from(certDer).toString("base64");
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}
