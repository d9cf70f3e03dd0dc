/**
 * The listening end of go-plugin's transport: a unix socket whose connections are authenticated
 * here (AutoMTLS) and then handed to grpc-js, which speaks HTTP/2 on them.
 *
 * Why TLS is not left to grpc-js (`ServerCredentials.createSsl`): it gives Terraform's certificate
 * to Node as `ca`, and Node 20 builds its bundled root-certificate store (~140 certificates, about
 * 15 ms of start-up) the moment any `ca` certificate is added, although that context then never uses
 * it. Terraform starts the provider 3-4 times per command, and the plugin transport trusts exactly one
 * certificate, so the context here has an explicitly empty trust store (`ca: []`), and the client is
 * authenticated by pinning instead: the certificate it proves it holds (TLS CertificateVerify) must be
 * byte for byte one that Terraform announced in PLUGIN_CLIENT_CERT, checked before grpc-js sees the
 * connection. The Auth0 API client is untouched by this: its HTTPS requests build their own contexts
 * with Node's default roots.
 */
import { createServer as createNetServer, type Server as NetServer, type Socket } from "node:net";
import { createServer as createTlsServer, type TLSSocket } from "node:tls";
import { type Server, ServerCredentials } from "@grpc/grpc-js";
import type { Logger } from "./logger";

export type ListenerSecurity =
  | {
      readonly kind: "mtls";
      /** PLUGIN_CLIENT_CERT: the certificate(s) Terraform will present, PEM. */
      readonly clientCertPem: string;
      /** This process's own certificate and key, PEM; the certificate goes into the handshake line. */
      readonly certPem: string;
      readonly keyPem: string;
    }
  | { readonly kind: "insecure" };

export interface PluginListener {
  /** Stops accepting connections; the ones handed to grpc-js are closed by grpc-js's shutdown. */
  close(): Promise<void>;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+?)-----END CERTIFICATE-----/g;

/** The DER bytes of every PEM certificate in `pem`; throws, naming the variable, when there is none. */
export function pemCertificates(pem: string): Buffer[] {
  const ders = [...pem.matchAll(PEM_CERTIFICATE)].map((m) =>
    Buffer.from((m[1] ?? "").replace(/\s+/g, ""), "base64"),
  );
  if (ders.length === 0) {
    throw new Error(
      "PLUGIN_CLIENT_CERT holds no PEM certificate; Terraform sets it when it starts the provider " +
        "(unset TF_DISABLE_PLUGIN_TLS, or leave both to Terraform).",
    );
  }
  return ders;
}

/** Listens on `socketPath` and feeds every accepted (and, with mTLS, authenticated) connection to `server`. */
export function listenForPlugin(
  server: Server,
  socketPath: string,
  security: ListenerSecurity,
  logger: Logger,
): Promise<PluginListener> {
  // The connections arrive already decrypted and authenticated, so grpc-js serves them as plain HTTP/2.
  const injector = server.createConnectionInjector(ServerCredentials.createInsecure());
  const accept = (socket: Socket) => injector.injectConnection(socket);
  const listener = security.kind === "mtls" ? mtlsServer(security, accept, logger) : createNetServer(accept);
  return new Promise((resolve, reject) => {
    listener.once("error", reject);
    listener.listen(socketPath, () => {
      listener.off("error", reject);
      resolve({ close: () => new Promise((done) => listener.close(() => done())) });
    });
  });
}

function mtlsServer(
  security: Extract<ListenerSecurity, { kind: "mtls" }>,
  accept: (socket: TLSSocket) => void,
  logger: Logger,
): NetServer {
  const trusted = pemCertificates(security.clientCertPem);
  const tlsServer = createTlsServer(
    {
      cert: security.certPem,
      key: security.keyPem,
      ca: [],
      requestCert: true,
      // OpenSSL cannot vouch for the client with an empty trust store; the pin below decides instead.
      rejectUnauthorized: false,
      ALPNProtocols: ["h2"],
    },
    (socket) => {
      const presented = socket.getPeerCertificate().raw as Buffer | undefined;
      if (presented === undefined || !trusted.some((der) => der.equals(presented))) {
        logger.warn("Refused a plugin connection: its client certificate is not the one Terraform announced");
        socket.destroy();
        return;
      }
      // As grpc-js does for its own TLS sockets: a reset connection must not be an unhandled 'error'.
      socket.on("error", (error) => logger.debug("A plugin connection failed", { error: error.message }));
      accept(socket);
    },
  );
  tlsServer.on("tlsClientError", (error) =>
    logger.debug("A plugin connection failed its TLS handshake", { error: error.message }),
  );
  return tlsServer;
}
