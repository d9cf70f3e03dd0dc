import { createPrivateKey, X509Certificate } from "node:crypto";
import { derToPem, generateSelfSignedCertificate } from "../../src/tls/self-signed-cert";

describe("generateSelfSignedCertificate", () => {
  const now = new Date("2031-03-04T05:06:07.890Z");
  const cert = generateSelfSignedCertificate({ now });
  const x509 = new X509Certificate(cert.certDer);

  it("names localhost in both the subject and a DNS SAN", () => {
    expect(x509.subject).toBe("CN=localhost");
    expect(x509.issuer).toBe("CN=localhost");
    expect(x509.subjectAltName).toBe("DNS:localhost");
  });

  it("names IPv4 addresses as iPAddress SANs and DNS names as DNS SANs, the first as the subject", () => {
    const both = new X509Certificate(
      generateSelfSignedCertificate({ now, hosts: ["127.0.0.1", "localhost"] }).certDer,
    );
    expect(both.subject).toBe("CN=127.0.0.1");
    expect(both.subjectAltName).toBe("IP Address:127.0.0.1, DNS:localhost");
    expect(both.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(both.checkHost("localhost")).toBe("localhost");
  });

  it("is self-signed with an ECDSA P-256 key and allows server and client authentication", () => {
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.publicKey.asymmetricKeyDetails).toEqual({ namedCurve: "prime256v1" });
    expect(x509.keyUsage).toEqual(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"]);
  });

  it("is valid from 30 seconds before now, in UTC", () => {
    expect(new Date(x509.validFrom).toISOString()).toBe("2031-03-04T05:05:37.000Z");
    expect(new Date(x509.validTo).getTime()).toBeGreaterThan(now.getTime());
  });

  it("uses GeneralizedTime for dates from 2050, as RFC 5280 requires", () => {
    const late = new X509Certificate(
      generateSelfSignedCertificate({ now: new Date("2050-06-01T00:00:00Z") }).certDer,
    );
    expect(new Date(late.validFrom).toISOString()).toBe("2050-05-31T23:59:30.000Z");
  });

  it("pairs the PEM forms of the certificate and its private key", () => {
    expect(new X509Certificate(cert.certPem).fingerprint256).toBe(x509.fingerprint256);
    expect(derToPem(cert.certDer)).toBe(cert.certPem);
    expect(x509.checkPrivateKey(createPrivateKey(cert.keyPem))).toBe(true);
  });

  it("uses a fresh key and serial number every time", () => {
    const other = new X509Certificate(generateSelfSignedCertificate({ now }).certDer);
    expect(other.serialNumber).not.toBe(x509.serialNumber);
    expect(other.fingerprint256).not.toBe(x509.fingerprint256);
  });
});
