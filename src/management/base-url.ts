import { isIP } from "node:net";
import { ConfigurationError } from "./errors";

/**
 * Turns the `domain` option into an origin such as "https://tenant.eu.auth0.com". Plain http is
 * refused unless the host is loopback: credentials and tokens must never cross a network in clear.
 */
export function resolveBaseUrl(domain: string): string {
  const trimmed = domain.trim();
  if (trimmed === "") {
    throw new ConfigurationError(
      "domain",
      "domain is empty. Set domain (or AUTH0_DOMAIN) to your tenant's domain, e.g. example.eu.auth0.com.",
    );
  }
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed);
  let url: URL;
  try {
    url = new URL(hasScheme ? trimmed : `https://${trimmed}`);
  } catch {
    throw new ConfigurationError(
      "domain",
      `domain ${JSON.stringify(trimmed)} is not a valid host name or URL. Use the tenant's domain, e.g. example.eu.auth0.com.`,
    );
  }
  if (
    url.username !== "" ||
    url.password !== "" ||
    (url.pathname !== "/" && url.pathname !== "") ||
    url.search
  ) {
    throw new ConfigurationError(
      "domain",
      `domain must be a host name or an origin without credentials, path or query (got ${url.protocol}//${url.host}${url.pathname}). Use e.g. example.eu.auth0.com.`,
    );
  }
  if (url.protocol === "http:") {
    if (!isLoopbackHost(url.hostname)) {
      throw new ConfigurationError(
        "domain",
        `domain uses http:// with the non-loopback host ${url.hostname}. Use https:// (or just the host name, e.g. ${url.hostname}); plain http is only allowed for loopback addresses such as a local emulator (127.0.0.1, ::1, localhost).`,
      );
    }
  } else if (url.protocol !== "https:") {
    throw new ConfigurationError(
      "domain",
      `domain uses the unsupported scheme ${url.protocol}. Use https:// or just the host name, e.g. example.eu.auth0.com.`,
    );
  }
  return url.origin;
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  return host === "::1";
}
