import type { Emulator } from "../../src/emulator";
import { OFFICIAL_SOURCE, officialProvider } from "./official-provider";
import { TerraformWorkspace } from "./terraform";

/**
 * A workspace where both providers talk to one HTTPS emulator: this repository's and the official
 * Auth0 provider (mirrored as registry.terraform.io/auth0/auth0). One AUTH0_DOMAIN serves both: the
 * official provider drops the scheme and always speaks HTTPS; both trust the emulator's certificate
 * through SSL_CERT_FILE (Go reads it; so does this provider's Management API client).
 */
export function officialWorkspace(
  emu: Emulator,
  client: { id: string; secret: string },
): { tf: TerraformWorkspace; version: string } {
  if (!emu.caFile) throw new Error("The official provider speaks HTTPS only: start the emulator with https.");
  const official = officialProvider();
  const tf = new TerraformWorkspace(officialEnv(emu, client));
  tf.mirrorExecutable(OFFICIAL_SOURCE, official.version, official.path);
  return { tf, version: official.version };
}

/** The environment both providers read their credentials and trust from. */
export function officialEnv(emu: Emulator, client: { id: string; secret: string }): Record<string, string> {
  return {
    AUTH0_DOMAIN: emu.url,
    AUTH0_CLIENT_ID: client.id,
    AUTH0_CLIENT_SECRET: client.secret,
    SSL_CERT_FILE: emu.caFile as string,
  };
}

/** `terraform { required_providers }` naming the official provider at `version` and, with `ours`, this one. */
export function requiredProviders(version: string, ours = true): string {
  return `terraform {
  required_providers {
    auth0 = { source = "auth0/auth0", version = "${version}" }
${ours ? '    auth0roles = { source = "terraform.local/rolesascode/auth0roles" }\n' : ""}  }
}
`;
}
