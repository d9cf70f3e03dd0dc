import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  STATUS_CODES,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { type AddressInfo, isIPv6 } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateSelfSignedCertificate } from "../tls/self-signed-cert";
import { ApiError, errorBody } from "./errors";
import { FaultInjector, RandomFaults } from "./faults";
import {
  DEFAULT_RATE_LIMITS,
  GLOBAL_LIMIT_MESSAGE,
  RateLimiter,
  headers as rateLimitHeaders,
} from "./rate-limits";
import { type ApiRequest, insufficientScope, matchRoute, type RequestBody } from "./routes";
import { DEFAULT_SEED } from "./seed";
import { Tenant } from "./tenant";
import { TokenIssuer } from "./tokens";
import type { Emulator, EmulatorOptions, FaultSpec, RandomFaultSpec, RequestLogEntry } from "./types";

/** What Auth0 answers for client-credentials tokens. */
const TOKEN_LIFETIME_SECONDS = 86400;
/** Bodies past this are refused with 413: no request of these endpoints comes close. */
const MAX_BODY_BYTES = 1024 * 1024;
const ADMIN_PREFIX = "/__emulator/";

/** True for names and addresses that stay on this machine. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  return bare === "localhost" || bare === "::1" || /^127(\.\d{1,3}){3}$/.test(bare);
}

function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  return address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127.");
}

/** Starts an emulated Auth0 tenant on loopback. Resolves once it is listening. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? "127.0.0.1";
  if (!isLoopbackHost(host)) {
    throw new Error(
      `The Auth0 emulator listens on loopback only; refusing host "${host}". Use 127.0.0.1, ::1 or localhost.`,
    );
  }
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(
      `The emulator port must be an integer from 0 to 65535 (got ${port}); 0 picks a free port.`,
    );
  }
  const tenant = new Tenant();
  tenant.seed(options.seed ?? DEFAULT_SEED, "EmulatorOptions.seed");
  const limiter = new RateLimiter(options.rateLimits);

  const tls = options.https ? serverIdentity(host, options.https) : undefined;
  const server: Server = tls ? createHttpsServer({ cert: tls.certPem, key: tls.keyPem }) : createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host.replace(/^\[(.*)\]$/, "$1"), () => {
      server.off("error", reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  const url = `${tls ? "https" : "http"}://${urlHost}:${bound}`;
  const emulator = new EmulatorServer(server, url, tenant, limiter, tls);
  server.on("request", (req, res) => {
    emulator.handle(req, res).catch((err: unknown) => emulator.internalError(res, err));
  });
  return emulator;
}

/** The HTTPS mode's certificate and where its clients find it. */
interface ServerIdentity {
  readonly certPem: string;
  readonly keyPem: string;
  readonly caFile: string;
  /** The directory the emulator made for caFile (removed on stop), if it chose the place. */
  readonly ownDir?: string;
}

/**
 * A self-signed certificate for the loopback names clients use (Go's TLS clients, the official
 * provider's among them, check an iPAddress SAN for 127.0.0.1), written where clients can trust it
 * as their root: SSL_CERT_FILE for Go, NODE_EXTRA_CA_CERTS for Node.js.
 */
function serverIdentity(host: string, https: true | { caFile: string }): ServerIdentity {
  const bare = host.replace(/^\[(.*)\]$/, "$1");
  // The certificate writer knows DNS names and IPv4 addresses only: an IPv6 host (::1, ::) is left out.
  const hosts = [...new Set([bare, "127.0.0.1", "localhost"])].filter((h) => !isIPv6(h));
  const { certPem, keyPem } = generateSelfSignedCertificate({ hosts });
  const ownDir = https === true ? mkdtempSync(join(tmpdir(), "auth0-emulator-ca-")) : undefined;
  const caFile = https === true ? join(ownDir as string, "ca.pem") : https.caFile;
  writeFileSync(caFile, certPem);
  return { certPem, keyPem, caFile, ownDir };
}

interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  entry: RequestLogEntry;
  /** An "after-apply" fault: the request is served, then its answer replaced by this one. */
  failAfterApply?: FaultSpec;
}

class EmulatorServer implements Emulator {
  readonly audience: string;
  private readonly log: RequestLogEntry[] = [];
  private readonly faults = new FaultInjector();
  private random: RandomFaults | undefined;
  private readonly tokens: TokenIssuer;
  private stopped: Promise<void> | undefined;

  constructor(
    private readonly server: Server,
    readonly url: string,
    readonly tenant: Tenant,
    private readonly limiter: RateLimiter,
    private readonly identity?: ServerIdentity,
  ) {
    this.audience = `${url}/api/v2/`;
    this.tokens = new TokenIssuer(`${url}/`);
  }

  get caFile(): string | undefined {
    return this.identity?.caFile;
  }

  get requests(): readonly RequestLogEntry[] {
    return this.log;
  }

  clearRequests(): void {
    this.log.length = 0;
  }

  injectFault(f: FaultSpec): void {
    this.faults.add(f);
  }

  clearFaults(): void {
    this.faults.clear();
    this.random = undefined;
  }

  randomFaults(spec: RandomFaultSpec | undefined): void {
    this.random = spec === undefined ? undefined : new RandomFaults(spec);
  }

  issueToken(opts: { scopes: string[]; expiresInSeconds?: number; audience?: string }): string {
    return this.tokens.sign({
      sub: "api-token@clients",
      audience: opts.audience ?? this.audience,
      scopes: opts.scopes,
      expiresInSeconds: opts.expiresInSeconds ?? TOKEN_LIFETIME_SECONDS,
    });
  }

  stop(): Promise<void> {
    this.stopped ??= new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
      if (this.identity?.ownDir) rmSync(this.identity.ownDir, { recursive: true, force: true });
    });
    return this.stopped;
  }

  async handle(req: IncomingMessage, res: ServerResponse) {
    const method = (req.method ?? "GET").toUpperCase();
    const rawUrl = req.url ?? "/";
    const q = rawUrl.indexOf("?");
    const rawPath = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const query = Object.fromEntries(new URLSearchParams(q < 0 ? "" : rawUrl.slice(q + 1)));
    const entry: RequestLogEntry = { method, path: rawPath, query, status: 0, at: this.limiter.now() };
    const admin = rawPath.startsWith(ADMIN_PREFIX);
    if (!admin) this.log.push(entry);
    const ex: Exchange = { req, res, entry };

    const text = await readBody(req);
    if (text === null)
      return this.send(ex, 413, errorBody(413, `Request body larger than ${MAX_BODY_BYTES} bytes.`));
    const contentType = String(req.headers["content-type"] ?? "");
    const body = parseBody(text, contentType);
    // An unparsable token request may still carry a client secret in its text: log only that it was unreadable.
    if (body.kind === "json") entry.body = redactSecrets(body.value);
    else if (body.kind === "invalid")
      entry.body = rawPath === "/oauth/token" ? "[unparsable body]" : body.text;

    // Split the RAW path first, then decode each segment: `auth0%7Cx%2Fy` is one segment, "auth0|x/y".
    let segments: string[];
    try {
      segments = rawPath.split("/").map((s) => decodeURIComponent(s));
    } catch {
      return this.send(ex, 400, errorBody(400, "Path contains malformed percent-encoding.", "invalid_uri"));
    }

    if (admin) return this.admin(ex, segments.slice(2), body);

    const fault =
      this.faults.take(method, rawPath, segments.join("/")) ??
      (rawPath.startsWith("/api/v2/") ? this.random?.draw() : undefined);
    if (fault) {
      entry.fault = fault.kind;
      if (fault.kind === "after-apply") ex.failAfterApply = fault;
      if (fault.kind === "drop") {
        req.socket.destroy();
        return;
      }
      // Left open: the client's timeout, or stop() closing every connection, ends it.
      if (fault.kind === "hang") return;
      if (fault.kind === "malformed-body") {
        ex.entry.status = fault.status ?? 200;
        res.writeHead(ex.entry.status, { "content-type": "application/json; charset=utf-8" });
        res.end(fault.body);
        return;
      }
      // Unref'd: a delayed answer to a client that gave up must not keep a stopped emulator's process alive.
      if (fault.kind === "latency")
        await new Promise((resolve) => setTimeout(resolve, fault.latencyMs).unref());
      if (fault.kind === "status") {
        const status = fault.status as number;
        return this.send(
          ex,
          status,
          errorBody(status, `${STATUS_CODES[status] ?? "Error"} (fault injected by the emulator).`),
        );
      }
      if (fault.kind === "rate-limit") {
        const retryAfter = fault.retryAfterSeconds ?? 1;
        const limit = DEFAULT_RATE_LIMITS.global.burst;
        const reset = Math.ceil(this.limiter.now() / 1000) + retryAfter;
        return this.send(ex, 429, errorBody(429, GLOBAL_LIMIT_MESSAGE, "too_many_requests"), {
          ...rateLimitHeaders({ limit, remaining: 0, reset }),
          "retry-after": String(retryAfter),
        });
      }
    }

    if (rawPath === "/oauth/token") return this.token(ex, body);
    if (segments[1] === "api" && segments[2] === "v2") {
      return this.api(ex, segments.slice(3), body, fault?.kind === "repeated-page" ? fault : undefined);
    }
    return this.send(ex, 404, errorBody(404, "Not Found"));
  }

  internalError(res: ServerResponse, err: unknown): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const message = `Emulator error: ${err instanceof Error ? err.message : String(err)}`;
    res.writeHead(500, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify(errorBody(500, message)));
  }

  private api(ex: Exchange, segments: string[], body: RequestBody, repeat?: FaultSpec) {
    const match = matchRoute(ex.entry.method, segments);
    // Rate limits apply to every Management API request, before authentication, global bucket first.
    const decision = this.limiter.check(match.kind === "found" ? match.operation.group : undefined);
    const limitHeaders = decision.headers;
    if (!decision.allowed)
      return this.send(ex, 429, errorBody(429, decision.message, "too_many_requests"), limitHeaders);
    if (match.kind === "not-found") return this.send(ex, 404, errorBody(404, "Not Found"), limitHeaders);
    if (match.kind === "method-not-allowed") {
      const allowed = match.allowed.join(", ");
      return this.send(
        ex,
        405,
        errorBody(405, `Method ${ex.entry.method} is not allowed here; allowed: ${allowed}.`),
        { ...limitHeaders, allow: allowed },
      );
    }
    try {
      const claims = this.authenticate(ex.req);
      const scopes = new Set(claims.scope.split(" ").filter(Boolean));
      if (!scopes.has(match.operation.scope)) {
        throw match.operation.scopeError?.() ?? insufficientScope(match.operation.scope);
      }
      const query = repeat ? firstPageQuery(ex.entry.query) : ex.entry.query;
      const request: ApiRequest = { params: match.params, query, body, scopes };
      const reply = match.operation.handle(request, this.tenant);
      return this.send(
        ex,
        reply.status,
        repeat ? claimTotal(reply.body, repeat.total) : reply.body,
        limitHeaders,
      );
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      return this.send(ex, err.statusCode, err.toBody(), { ...limitHeaders, ...err.headers });
    }
  }

  private authenticate(req: IncomingMessage) {
    const header = req.headers.authorization;
    if (!header) throw new ApiError(401, "Missing authentication", "missing_authentication");
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match)
      throw new ApiError(401, "Bad HTTP authentication header format", "invalid_authentication_header");
    return this.tokens.verify(match[1] as string, this.acceptedAudiences(req));
  }

  /** The emulator's audience, and the same for the Host header the client used (e.g. localhost). */
  private acceptedAudiences(req: IncomingMessage): string[] {
    const host = req.headers.host;
    const scheme = this.identity ? "https" : "http";
    return host ? [this.audience, `${scheme}://${host}/api/v2/`] : [this.audience];
  }

  /** `POST /oauth/token`, client credentials only (JSON or form body, or HTTP Basic client auth). */
  private token(ex: Exchange, body: RequestBody) {
    const oauthError = (status: number, error: string, description: string) =>
      this.send(ex, status, { error, error_description: description });
    if (ex.entry.method !== "POST")
      return this.send(ex, 405, errorBody(405, "Use POST for /oauth/token."), { allow: "POST" });
    if (
      body.kind !== "json" ||
      typeof body.value !== "object" ||
      body.value === null ||
      Array.isArray(body.value)
    ) {
      return oauthError(
        400,
        "invalid_request",
        "The body must be a JSON object or application/x-www-form-urlencoded.",
      );
    }
    const params = body.value as Record<string, unknown>;
    const param = (name: string) => (typeof params[name] === "string" ? (params[name] as string) : undefined);
    let clientId = param("client_id");
    let clientSecret = param("client_secret");
    const basic = /^Basic\s+(\S+)$/i.exec(ex.req.headers.authorization ?? "");
    if (basic) {
      const decoded = Buffer.from(basic[1] as string, "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      if (colon > 0) {
        clientId = decodeURIComponent(decoded.slice(0, colon));
        clientSecret = decodeURIComponent(decoded.slice(colon + 1));
      }
    }
    const grantType = param("grant_type");
    if (!grantType) return oauthError(400, "invalid_request", "Missing required parameter: grant_type");
    if (grantType !== "client_credentials") {
      return oauthError(403, "unsupported_grant_type", `Unsupported grant type: ${grantType}`);
    }
    if (!clientId) return oauthError(400, "invalid_request", "Missing required parameter: client_id");
    const client = this.tenant.getClient(clientId);
    if (!client || client.clientSecret !== clientSecret)
      return oauthError(401, "access_denied", "Unauthorized");
    const audience = param("audience");
    if (!audience) {
      return oauthError(
        403,
        "access_denied",
        "No audience parameter was provided, and no default audience has been configured",
      );
    }
    if (!this.acceptedAudiences(ex.req).includes(audience)) {
      return oauthError(403, "access_denied", `Service not found: ${audience}`);
    }
    const requested = param("scope")?.split(" ").filter(Boolean);
    const scopes = requested ? client.scopes.filter((s) => requested.includes(s)) : client.scopes;
    const accessToken = this.tokens.sign({
      sub: `${client.clientId}@clients`,
      azp: client.clientId,
      audience,
      scopes,
      expiresInSeconds: TOKEN_LIFETIME_SECONDS,
    });
    return this.send(ex, 200, {
      access_token: accessToken,
      scope: scopes.join(" "),
      expires_in: TOKEN_LIFETIME_SECONDS,
      token_type: "Bearer",
    });
  }

  /** `/__emulator/...`: no auth, loopback callers only. */
  private admin(ex: Exchange, segments: string[], body: RequestBody) {
    if (!isLoopbackAddress(ex.req.socket.remoteAddress)) {
      return this.send(
        ex,
        403,
        errorBody(403, "The emulator's admin surface answers loopback callers only."),
      );
    }
    const route = `${ex.entry.method} ${segments.join("/")}`;
    try {
      switch (route) {
        case "GET state":
          return this.send(ex, 200, this.tenant.snapshot());
        case "GET requests":
          return this.send(ex, 200, this.log);
        case "DELETE requests":
          this.clearRequests();
          return this.send(ex, 204);
        case "POST seed":
          this.tenant.seed(jsonBody(body) as never, "POST /__emulator/seed");
          return this.send(ex, 204);
        case "POST faults":
          this.injectFault(faultFromJson(jsonBody(body)));
          return this.send(ex, 204);
        case "DELETE faults":
          this.clearFaults();
          return this.send(ex, 204);
        default:
          return this.send(
            ex,
            404,
            errorBody(
              404,
              "Unknown admin route. Try GET /__emulator/state, GET|DELETE /__emulator/requests, " +
                "POST /__emulator/seed, POST|DELETE /__emulator/faults.",
            ),
          );
      }
    } catch (err) {
      return this.send(ex, 400, errorBody(400, err instanceof Error ? err.message : String(err)));
    }
  }

  private send(ex: Exchange, status: number, body?: unknown, headers: Record<string, string> = {}): void {
    const fault = ex.failAfterApply;
    if (fault) {
      ex.failAfterApply = undefined;
      if (fault.status === undefined) {
        ex.req.socket.destroy();
        return;
      }
      this.send(
        ex,
        fault.status,
        errorBody(
          fault.status,
          `${STATUS_CODES[fault.status] ?? "Error"} (fault injected by the emulator after the request was applied).`,
        ),
      );
      return;
    }
    ex.entry.status = status;
    if (body === undefined || status === 204) {
      ex.res.writeHead(status, headers);
      ex.res.end();
      return;
    }
    const payload = JSON.stringify(body);
    ex.res.writeHead(status, {
      ...headers,
      "content-type": "application/json; charset=utf-8",
      "content-length": String(Buffer.byteLength(payload)),
    });
    ex.res.end(payload);
  }
}

/** The whole body as text, or null past MAX_BODY_BYTES (the rest is drained, not kept). */
function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function parseBody(text: string, contentType: string): RequestBody {
  if (text.trim() === "") return { kind: "none" };
  if (contentType.includes("application/x-www-form-urlencoded")) {
    return { kind: "json", value: Object.fromEntries(new URLSearchParams(text)) };
  }
  try {
    return { kind: "json", value: JSON.parse(text) };
  } catch {
    return { kind: "invalid", text };
  }
}

/** The request log is readable over HTTP: never keep a client secret in it. */
function redactSecrets(value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value) || !("client_secret" in value))
    return value;
  return { ...value, client_secret: "[redacted]" };
}

function jsonBody(body: RequestBody): unknown {
  if (body.kind !== "json") throw new Error("Send a JSON body.");
  return body.value;
}

/** A FaultSpec from JSON: `path` is an exact path, `pathPattern` a regular expression. */
function faultFromJson(value: unknown): FaultSpec {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new Error("A fault is a JSON object.");
  const { pathPattern, ...rest } = value as Record<string, unknown>;
  const spec = rest as unknown as FaultSpec;
  if (typeof pathPattern === "string") spec.path = new RegExp(pathPattern);
  return spec;
}

/** The query of the first page: offset pages restart at 0, checkpoint walks at the beginning. */
function firstPageQuery(query: Record<string, string>): Record<string, string> {
  const { page: _page, from: _from, ...rest } = query;
  return rest;
}

/** A listing body claiming `total` items, when it reports totals at all. */
function claimTotal(body: unknown, total: number | undefined): unknown {
  if (total === undefined || typeof body !== "object" || body === null || !("total" in body)) return body;
  return { ...body, total };
}
