/**
 * Stored state into objects of the current schema: UpgradeResourceState for this provider's own
 * entries, MoveResourceState for another resource type's.
 */
import { CodecError, decodeJsonObject } from "../protocol/codec";
import { type Diagnostic, errorDiag } from "../protocol/diagnostics";
import type { SchemaBlock } from "../protocol/schema";
import type { ImportResult, Resource } from "./resource";

export function upgradeState<Api>(
  resource: Resource<Api>,
  version: number,
  raw: Record<string, unknown>,
): ImportResult {
  const current = resource.schema.version;
  if (version === current) return decodeStored(raw, resource.schema.block);
  const upgrader = version < current ? resource.upgraders?.[version] : undefined;
  if (upgrader) return upgrader(raw);
  return {
    state: null,
    diagnostics: [
      errorDiag(
        "Unsupported state version",
        `The stored state has schema version ${version}; this provider reads version ${current}. ` +
          "Use the provider version that wrote the state, or remove the resource from state and import it again.",
      ),
    ],
  };
}

/**
 * Decodes a stored object at the current schema version. Attributes the schema no longer has are
 * dropped (a newer provider may remove one); a value of the wrong type is an error naming the path.
 */
export function decodeStored(raw: Record<string, unknown>, block: SchemaBlock): ImportResult {
  const known = Object.fromEntries(block.attributes.map((a) => [a.name, raw[a.name] ?? null]));
  try {
    return { state: decodeJsonObject(known, block), diagnostics: [] };
  } catch (error) {
    if (!(error instanceof CodecError)) throw error;
    return { state: null, diagnostics: [storedStateError(error.message)] };
  }
}

function storedStateError(message: string): Diagnostic {
  return errorDiag(
    "Stored state does not fit the schema",
    `${message} Remove the resource from state (\`terraform state rm ADDRESS\`) and import it again.`,
  );
}

export interface MoveSource {
  readonly providerAddress: string;
  readonly typeName: string;
  readonly schemaVersion: number;
  readonly state: Record<string, unknown>;
}

export function moveState<Api>(resource: Resource<Api>, source: MoveSource): ImportResult {
  const mover = resource.movers?.find(
    (m) =>
      m.sourceTypeName === source.typeName &&
      m.sourceProviderAddress.toLowerCase() === source.providerAddress.toLowerCase(),
  );
  if (!mover) {
    const accepted = (resource.movers ?? []).map((m) => `${m.sourceTypeName} (${m.sourceProviderAddress})`);
    return {
      state: null,
      diagnostics: [
        errorDiag(
          "Unsupported move",
          `${resource.typeName} cannot take over state of ${source.typeName} from ${source.providerAddress}. ` +
            (accepted.length > 0
              ? `It accepts moves from: ${accepted.join(", ")}.`
              : "It accepts no moves from other resource types.") +
            " Remove the moved block, and use an import block for the object instead.",
        ),
      ],
    };
  }
  return mover.move({ state: source.state, schemaVersion: source.schemaVersion });
}
