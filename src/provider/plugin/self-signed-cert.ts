/**
 * The certificate for go-plugin's AutoMTLS: ECDSA P-256, self-signed, CN and DNS SAN `localhost`
 * (Go refuses a certificate whose only host name is the legacy Common Name). Terraform pins this
 * exact certificate from the handshake line, so no CA is involved.
 */
import { generateKeyPairSync, randomBytes, sign } from "node:crypto";
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
}

const ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
const COMMON_NAME = "2.5.4.3";
const SUBJECT_ALT_NAME = "2.5.29.17";
const BASIC_CONSTRAINTS = "2.5.29.19";
const KEY_USAGE = "2.5.29.15";
const EXT_KEY_USAGE = "2.5.29.37";
const SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
const CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

const HOST = "localhost";
/** Clocks of the two processes may differ slightly; go-plugin back-dates too. */
const BACKDATE_MS = 30_000;
/** The certificate lives only as long as one provider process; a day is ample. */
const LIFETIME_MS = 24 * 60 * 60 * 1000;

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return critical
    ? sequence(objectIdentifier(oid), booleanTrue(), octetString(value))
    : sequence(objectIdentifier(oid), octetString(value));
}

export function generateSelfSignedCertificate(options: CertificateOptions = {}): SelfSignedCertificate {
  const now = options.now ?? new Date();
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const algorithm = sequence(objectIdentifier(ECDSA_WITH_SHA256));
  const name = sequence(set(sequence(objectIdentifier(COMMON_NAME), utf8String(HOST))));

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
        extension(SUBJECT_ALT_NAME, false, sequence(implicitPrimitive(2, Buffer.from(HOST, "ascii")))),
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
