/**
 * Write scopes checked before the first write of an apply: a token that may grant but not revoke
 * would otherwise grant, then fail the revoke, and leave the change half-applied. Plans are never
 * failed for lacking them (pipelines plan with read-only credentials).
 */
import type { Credentials } from "../../management";
import { missingScopeAdvice } from "../../management/error-messages";
import { type Diagnostic, errorDiag } from "../protocol/diagnostics";

const GRANT_SCOPE = "create:organization_member_roles";
const REVOKE_SCOPE = "delete:organization_member_roles";

export interface GrantedScopesApi {
  /** The scopes the token carries; undefined where it does not say (an opaque token). */
  grantedScopes(opts?: { signal?: AbortSignal }): Promise<{
    readonly scopes: ReadonlySet<string> | undefined;
    readonly credential: Credentials["kind"];
  }>;
}

/** The scopes writes need: granting, revoking, or both. */
export function writeScopes(writes: { readonly grant: boolean; readonly revoke: boolean }): string[] {
  return [...(writes.grant ? [GRANT_SCOPE] : []), ...(writes.revoke ? [REVOKE_SCOPE] : [])];
}

/** Whether the token may grant and revoke, or its scopes cannot be known: nothing to check then. */
export async function mayWriteAll(api: GrantedScopesApi, signal: AbortSignal): Promise<boolean> {
  return (await missingScopes(api, [GRANT_SCOPE, REVOKE_SCOPE], signal)) === undefined;
}

/**
 * An error naming each scope of `needed` the token lacks, or undefined when it holds them all or
 * its scopes cannot be known: then nothing is blocked, and Auth0's own answer says what is missing.
 */
export async function missingScopes(
  api: GrantedScopesApi,
  needed: readonly string[],
  signal: AbortSignal,
): Promise<Diagnostic | undefined> {
  if (needed.length === 0) return undefined;
  let granted: Awaited<ReturnType<GrantedScopesApi["grantedScopes"]>>;
  try {
    granted = await api.grantedScopes({ signal });
  } catch {
    // No token: the first call fails with the reason, before any write.
    return undefined;
  }
  const { scopes } = granted;
  if (scopes === undefined) return undefined;
  const missing = needed.filter((scope) => !scopes.has(scope));
  if (missing.length === 0) return undefined;
  return errorDiag(
    `Missing Management API ${missing.length === 1 ? "scope" : "scopes"} ${missing.join(", ")}`,
    `This change needs ${needed.join(" and ")}. Nothing was changed: the provider checks the token's scopes before the first write, so a change is never half-applied. ${missingScopeAdvice(granted.credential, missing.join(", "))} Then run apply again.`,
  );
}
