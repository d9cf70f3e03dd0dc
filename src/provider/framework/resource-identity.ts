/**
 * Resource identity (protocol 6.9): the few attributes that say which remote object a state entry
 * is, versioned apart from the schema. Every identity attribute is also a state attribute of the same
 * name, so the server layer derives the identity from whatever state a call returns (read, plan,
 * apply, import, move, list): it is stable across reads by construction, and no resource computes it.
 */
import { CodecError, decodeJsonObject } from "../protocol/codec";
import { type Diagnostic, errorDiag } from "../protocol/diagnostics";
import type { IdentitySchema } from "../protocol/schema";
import type { TfObject } from "../protocol/values";
import type { ImportResult } from "./resource";

export interface ResourceIdentity {
  readonly schema: IdentitySchema;
  /** The state to import from an identity (`import { identity = {...} }`), read right after like any import. */
  importState(identity: TfObject): ImportResult;
  /** Upgraders from older identity versions, keyed by the version they read. */
  readonly upgraders?: Readonly<Record<number, (raw: Record<string, unknown>) => IdentityResult>>;
}

export interface IdentityResult {
  readonly identity: TfObject | null;
  readonly diagnostics: Diagnostic[];
}

/** The identity of a state object; null for no object. Unknown values stay unknown (a create's plan). */
export function identityOf(identity: ResourceIdentity | undefined, state: TfObject | null): TfObject | null {
  if (identity === undefined || state === null) return null;
  return Object.fromEntries(identity.schema.block.attributes.map((a) => [a.name, state[a.name] ?? null]));
}

export function upgradeIdentity(
  typeName: string,
  identity: ResourceIdentity | undefined,
  version: number,
  raw: Record<string, unknown>,
): IdentityResult {
  if (identity === undefined) {
    return { identity: null, diagnostics: [errorDiag(`${typeName} has no resource identity.`)] };
  }
  const current = identity.schema.version;
  if (version === current) {
    try {
      return { identity: decodeJsonObject(raw, identity.schema.block), diagnostics: [] };
    } catch (error) {
      if (!(error instanceof CodecError)) throw error;
      return { identity: null, diagnostics: [unusableIdentity(error.message)] };
    }
  }
  const upgrader = version < current ? identity.upgraders?.[version] : undefined;
  if (upgrader) return upgrader(raw);
  return {
    identity: null,
    diagnostics: [
      unusableIdentity(
        `The stored identity has version ${version}; this provider reads identity version ${current}. ` +
          "Use the provider version that wrote the state.",
      ),
    ],
  };
}

function unusableIdentity(why: string): Diagnostic {
  return errorDiag(
    "Stored identity cannot be read",
    `${why} Otherwise remove the resource from state (\`terraform state rm ADDRESS\`) and import it again.`,
  );
}
