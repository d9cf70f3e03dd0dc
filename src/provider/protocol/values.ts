/**
 * Terraform values as the provider sees them once decoded from the wire: plain JSON-like data plus
 * one marker for "not known until apply".
 */

/** A value Terraform does not know yet (e.g. an attribute computed by another resource). */
export const UNKNOWN: unique symbol = Symbol("tf.unknown");
export type Unknown = typeof UNKNOWN;

/** Lists, sets and tuples are arrays; objects and maps are `TfObject`s. */
export type TfValue = null | Unknown | string | number | boolean | TfValue[] | TfObject;

export interface TfObject {
  readonly [attribute: string]: TfValue;
}

export function isUnknown(v: TfValue): v is Unknown {
  return v === UNKNOWN;
}
