import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { ApiError } from "./errors";

export interface TokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  scope: string;
  iat: number;
  exp: number;
  azp?: string;
  gty?: string;
}

const HEADER = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));

function unauthorized(message: string, errorCode: string): ApiError {
  return new ApiError(401, message, errorCode);
}

/** A bearer token that is not one of this tenant's, as Auth0 answers it: no errorCode, the message again in attributes. */
function invalidToken(): ApiError {
  return new ApiError(401, "Invalid token", undefined, {}, { error: "Invalid token" });
}

/** HS256 JWTs signed with a secret that only this emulator instance knows. */
export class TokenIssuer {
  private readonly secret = randomBytes(32);

  constructor(
    private readonly issuer: string,
    private readonly now: () => number = Date.now,
  ) {}

  sign(opts: {
    sub: string;
    audience: string;
    scopes: readonly string[];
    expiresInSeconds: number;
    azp?: string;
  }): string {
    const iat = Math.floor(this.now() / 1000);
    const claims: TokenClaims = {
      iss: this.issuer,
      sub: opts.sub,
      aud: opts.audience,
      scope: opts.scopes.join(" "),
      iat,
      exp: iat + opts.expiresInSeconds,
    };
    if (opts.azp !== undefined) {
      claims.azp = opts.azp;
      claims.gty = "client-credentials";
    }
    const unsigned = `${HEADER}.${base64url(JSON.stringify(claims))}`;
    return `${unsigned}.${this.signature(unsigned).toString("base64url")}`;
  }

  /** Returns the claims, or throws a 401 `ApiError` with Auth0's message for what is wrong. */
  verify(token: string, acceptedAudiences: readonly string[]): TokenClaims {
    const parts = token.split(".");
    if (parts.length !== 3) throw invalidToken();
    const [header, payload, signature] = parts as [string, string, string];
    let claims: TokenClaims;
    try {
      const decodedHeader = JSON.parse(Buffer.from(header, "base64url").toString("utf8"));
      if (decodedHeader?.alg !== "HS256") throw new Error("alg");
      claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
      if (typeof claims !== "object" || claims === null) throw new Error("claims");
    } catch {
      throw invalidToken();
    }
    const expected = this.signature(`${header}.${payload}`);
    const given = Buffer.from(signature, "base64url");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw unauthorized("Invalid signature received for JSON Web Token validation.", "invalid_signature");
    }
    if (typeof claims.exp !== "number" || claims.exp <= Math.floor(this.now() / 1000)) {
      throw unauthorized("Expired token received for JSON Web Token validation", "token_expired");
    }
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.some((aud) => acceptedAudiences.includes(aud))) {
      throw unauthorized(
        `Bad audience: ${audiences.join(" ")}. This API's audience is ${acceptedAudiences[0]}; request the token with that audience.`,
        "invalid_audience",
      );
    }
    if (typeof claims.scope !== "string") claims.scope = "";
    return claims;
  }

  private signature(unsigned: string): Buffer {
    return createHmac("sha256", this.secret).update(unsigned).digest();
  }
}

function base64url(text: string): string {
  return Buffer.from(text, "utf8").toString("base64url");
}
