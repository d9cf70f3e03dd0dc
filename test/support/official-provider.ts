import { existsSync, readFileSync } from "node:fs";

/** The official Auth0 provider (registry.terraform.io/auth0/auth0), built from its source by `npm run engines`. */
export interface OfficialProvider {
  /** The executable. */
  readonly path: string;
  /** Its release, without the leading "v" (Terraform's mirror layout). */
  readonly version: string;
}

export const OFFICIAL_SOURCE = "registry.terraform.io/auth0/auth0";
const MODULE = "github.com/auth0/terraform-provider-auth0";

/**
 * The built official provider, from AUTH0ROLES_OFFICIAL_PROVIDER. Its version is the one Go recorded
 * in the executable's build information (`go install ...@vX.Y.Z` records it), or
 * AUTH0ROLES_OFFICIAL_PROVIDER_VERSION for a build from a source tree, which Go records as "(devel)".
 * Throws when either is missing: the comparisons with the official provider are never skipped.
 */
export function officialProvider(): OfficialProvider {
  const path = process.env.AUTH0ROLES_OFFICIAL_PROVIDER;
  if (!path) {
    throw new Error(
      "AUTH0ROLES_OFFICIAL_PROVIDER is not set. Run `npm run engines`: it builds the official Auth0 " +
        "provider and prints `terraform-provider-auth0 <version> <path>`; set the variable to that path.",
    );
  }
  if (!existsSync(path)) {
    throw new Error(
      `AUTH0ROLES_OFFICIAL_PROVIDER names ${path}, which does not exist. Run \`npm run engines\`.`,
    );
  }
  const version =
    process.env.AUTH0ROLES_OFFICIAL_PROVIDER_VERSION?.replace(/^v/, "") ?? recordedVersion(path);
  if (!version) {
    throw new Error(
      `${path} records no release of ${MODULE} (a build from a source tree): set ` +
        "AUTH0ROLES_OFFICIAL_PROVIDER_VERSION to the version it was built from, e.g. 1.57.0.",
    );
  }
  return { path, version };
}

/** The module version in a Go executable's build information ("mod\t<path>\tv1.2.3\t..."). */
function recordedVersion(executable: string): string | undefined {
  const text = readFileSync(executable).toString("latin1");
  const escaped = MODULE.replace(/[.]/g, "\\.");
  return new RegExp(`(?:mod|dep)\\t${escaped}\\tv(\\d+\\.\\d+\\.\\d+)`).exec(text)?.[1];
}
