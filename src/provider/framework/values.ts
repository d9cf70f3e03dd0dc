import type { SchemaBlock } from "../protocol/schema";
import { type TfObject, type TfValue, UNKNOWN } from "../protocol/values";

/** Whether a value is unknown or holds an unknown anywhere inside. */
export function containsUnknown(value: TfValue | undefined): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (typeof value === "object" && value !== null) return Object.values(value).some(containsUnknown);
  return false;
}

/** Attribute names of the block whose values in `obj` are (or hold) unknowns, optionally filtered. */
export function unknownAttributes(
  obj: TfObject,
  block: SchemaBlock,
  include: (attribute: SchemaBlock["attributes"][number]) => boolean = () => true,
): string[] {
  return block.attributes.filter((a) => include(a) && containsUnknown(obj[a.name])).map((a) => a.name);
}

/**
 * Structural equality of two values, absent counting as null and UNKNOWN equal only to itself.
 * Arrays compare regardless of order: the attributes this provider declares are sets.
 */
export function sameValue(a: TfValue | undefined, b: TfValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return (a ?? null) === (b ?? null);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item) => b.some((other) => sameValue(item, other)));
  }
  if (typeof a === "object" && typeof b === "object") {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => sameValue((a as TfObject)[k], (b as TfObject)[k]));
  }
  return false;
}
