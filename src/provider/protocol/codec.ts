/**
 * DynamicValue <-> TfValue, following Terraform's object wire format (msgpack as go-cty writes it,
 * JSON as a fallback Terraform may use). The schema drives both directions because msgpack alone
 * cannot tell a number sent as a decimal string from a string, and because Terraform requires an
 * object to carry exactly its type's attributes.
 */
import { Decoder, Encoder, ExtData, type ExtensionCodecType } from "@msgpack/msgpack";
import type { SchemaBlock } from "./schema";
import { type TfObject, type TfValue, UNKNOWN } from "./values";

/** The types that can appear on the wire: schema types plus tuples, which only dynamic values carry. */
type WireType =
  | "string"
  | "number"
  | "bool"
  | "dynamic"
  | readonly ["set" | "list" | "map", WireType]
  | readonly ["object", Readonly<Record<string, WireType>>]
  | readonly ["tuple", readonly WireType[]];

type Encoding = "msgpack" | "json";

/**
 * A value does not fit its schema type. Messages name the attribute path, never the value, because
 * values may be secrets.
 */
export class CodecError extends Error {
  override readonly name = "CodecError";
}

/** go-cty writes an unknown as extension type 0 with one zero byte: `d4 00 00`. */
const UNKNOWN_EXT_TYPE = 0;
const UNKNOWN_EXT_PAYLOAD = new Uint8Array([0]);

/**
 * Every extension Terraform sends is some flavour of unknown (type 0 plain, type 12 refined with
 * bounds we do not need), so all of them decode to UNKNOWN. Implemented directly rather than via
 * `new ExtensionCodec()` so msgpack's built-in timestamp extension cannot turn one into a Date.
 */
const unknownCodec: ExtensionCodecType<undefined> = {
  tryToEncode: (object) => (object === UNKNOWN ? new ExtData(UNKNOWN_EXT_TYPE, UNKNOWN_EXT_PAYLOAD) : null),
  decode: () => UNKNOWN,
};

// One of each for the process: the functional encode()/decode() build a new Encoder or Decoder (with
// their buffers and caches) per call, a measurable share of a plan's CPU time over thousands of RPCs.
const encoder = new Encoder({ extensionCodec: unknownCodec });
const decoder = new Decoder({ extensionCodec: unknownCodec });

export interface DynamicValueBytes {
  msgpack?: Uint8Array | null;
  json?: Uint8Array | null;
}

const blockTypes = new WeakMap<SchemaBlock, WireType>();

/** The object type of a block; schemas live as long as the process, so it is worked out once per block. */
function blockType(block: SchemaBlock): WireType {
  let type = blockTypes.get(block);
  if (type === undefined) {
    type = ["object", Object.fromEntries(block.attributes.map((a) => [a.name, a.type]))];
    blockTypes.set(block, type);
  }
  return type;
}

/** Decodes a DynamicValue against a schema block; both encodings empty (or none) means null. */
export function decodeDynamicValue(
  dv: DynamicValueBytes | null | undefined,
  block: SchemaBlock,
): TfObject | null {
  let value: TfValue;
  if (dv?.msgpack && dv.msgpack.length > 0) {
    value = fromWire(decoder.decode(dv.msgpack), blockType(block), "msgpack", "");
  } else if (dv?.json && dv.json.length > 0) {
    value = fromWire(parseJson(dv.json, "value"), blockType(block), "json", "");
  } else {
    return null;
  }
  if (value === UNKNOWN) {
    throw new CodecError("The whole object is unknown, which this provider does not expect here.");
  }
  return value as TfObject | null;
}

/**
 * Decodes an already parsed JSON object (stored state, as UpgradeResourceState and MoveResourceState
 * hand it over) against a schema block, as the JSON encoding of a DynamicValue.
 */
export function decodeJsonObject(raw: Record<string, unknown>, block: SchemaBlock): TfObject {
  return fromWire(raw, blockType(block), "json", "") as TfObject;
}

/** Encodes an object (or null) as msgpack, writing every attribute of the block and no others. */
export function encodeDynamicValue(value: TfObject | null, block: SchemaBlock): { msgpack: Uint8Array } {
  return { msgpack: encoder.encode(toWire(value, blockType(block), "")) };
}

function parseJson(bytes: Uint8Array, what: string): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    throw new CodecError(`The ${what} is not valid JSON.`);
  }
}

function describe(path: string): string {
  return path === "" ? "the value" : path;
}

function isPlainObject(raw: unknown): raw is Record<string, unknown> {
  return typeof raw === "object" && raw !== null && !Array.isArray(raw) && !(raw instanceof Uint8Array);
}

function childPath(path: string, attribute: string): string {
  return path === "" ? attribute : `${path}.${attribute}`;
}

// ---- decoding ----

function fromWire(raw: unknown, type: WireType, encoding: Encoding, path: string): TfValue {
  if (raw === null || raw === undefined) return null;
  if (raw === UNKNOWN) return UNKNOWN;
  if (type === "string") {
    if (typeof raw !== "string") throw new CodecError(`Expected a string at ${describe(path)}.`);
    return raw;
  }
  if (type === "number") return decodeNumber(raw, path);
  if (type === "bool") {
    if (typeof raw !== "boolean") throw new CodecError(`Expected a bool at ${describe(path)}.`);
    return raw;
  }
  if (type === "dynamic") return decodeDynamic(raw, encoding, path);
  const [kind, inner] = type;
  switch (kind) {
    case "list":
    case "set":
      return expectArray(raw, path).map((item, i) => fromWire(item, inner, encoding, `${path}[${i}]`));
    case "tuple": {
      const items = expectArray(raw, path);
      if (items.length !== inner.length) {
        throw new CodecError(`Expected ${inner.length} elements at ${describe(path)}, got ${items.length}.`);
      }
      return items.map((item, i) => fromWire(item, inner[i] as WireType, encoding, `${path}[${i}]`));
    }
    case "map": {
      const entries = Object.entries(expectMap(raw, path));
      return Object.fromEntries(
        entries.map(([key, item]) => [key, fromWire(item, inner, encoding, `${path}["${key}"]`)]),
      );
    }
    case "object":
      return decodeObject(expectMap(raw, path), inner, encoding, path);
  }
}

function decodeObject(
  raw: Record<string, unknown>,
  attributes: Readonly<Record<string, WireType>>,
  encoding: Encoding,
  path: string,
): TfObject {
  for (const key of Object.keys(raw)) {
    if (!Object.hasOwn(attributes, key)) {
      throw new CodecError(`Unexpected attribute "${key}" in ${describe(path)}: it is not in the schema.`);
    }
  }
  const result: Record<string, TfValue> = {};
  for (const [name, attributeType] of Object.entries(attributes)) {
    result[name] = fromWire(raw[name], attributeType, encoding, childPath(path, name));
  }
  return result;
}

const DECIMAL = /^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?$/;

/** go-cty sends numbers as int, float64, or (when neither is exact) a decimal string. */
function decodeNumber(raw: unknown, path: string): number {
  const n = typeof raw === "number" ? raw : typeof raw === "string" && DECIMAL.test(raw) ? Number(raw) : NaN;
  if (!Number.isFinite(n)) throw new CodecError(`Expected a number at ${describe(path)}.`);
  return n;
}

/** A dynamic value carries its own type: `[type JSON bytes, value]` in msgpack, `{value, type}` in JSON. */
function decodeDynamic(raw: unknown, encoding: Encoding, path: string): TfValue {
  if (encoding === "msgpack") {
    const pair = expectArray(raw, path);
    const [typeBytes, value] = pair;
    if (pair.length !== 2 || !(typeBytes instanceof Uint8Array || typeof typeBytes === "string")) {
      throw new CodecError(`Expected a [type, value] pair for the dynamic value at ${describe(path)}.`);
    }
    const typeJson = parseJson(typeof typeBytes === "string" ? Buffer.from(typeBytes) : typeBytes, "type");
    return fromWire(value, parseWireType(typeJson, path), encoding, path);
  }
  const wrapper = expectMap(raw, path);
  return fromWire(wrapper.value, parseWireType(wrapper.type, path), encoding, path);
}

function parseWireType(raw: unknown, path: string): WireType {
  if (raw === "string" || raw === "number" || raw === "bool" || raw === "dynamic") return raw;
  if (Array.isArray(raw) && raw.length === 2) {
    const [kind, inner] = raw;
    if (kind === "list" || kind === "set" || kind === "map") return [kind, parseWireType(inner, path)];
    if (kind === "tuple" && Array.isArray(inner)) return ["tuple", inner.map((t) => parseWireType(t, path))];
    if (kind === "object" && isPlainObject(inner)) {
      return [
        "object",
        Object.fromEntries(Object.entries(inner).map(([k, t]) => [k, parseWireType(t, childPath(path, k))])),
      ];
    }
  }
  throw new CodecError(`Unsupported type for the dynamic value at ${describe(path)}.`);
}

function expectArray(raw: unknown, path: string): unknown[] {
  if (!Array.isArray(raw)) throw new CodecError(`Expected a list at ${describe(path)}.`);
  return raw;
}

function expectMap(raw: unknown, path: string): Record<string, unknown> {
  if (!isPlainObject(raw)) throw new CodecError(`Expected an object or map at ${describe(path)}.`);
  return raw;
}

// ---- encoding ----

/** What @msgpack/msgpack is given; UNKNOWN becomes the extension via `unknownCodec`. */
type Wire = null | typeof UNKNOWN | string | number | boolean | Uint8Array | Wire[] | { [key: string]: Wire };

function toWire(value: TfValue, type: WireType, path: string): Wire {
  if (value === null || value === UNKNOWN) return value;
  if (type === "string" || type === "number" || type === "bool") {
    const expected = type === "bool" ? "boolean" : type;
    if (typeof value !== expected || (typeof value === "number" && !Number.isFinite(value))) {
      throw new CodecError(`Expected a ${type} at ${describe(path)}.`);
    }
    return value as string | number | boolean;
  }
  if (type === "dynamic") {
    const actual = inferType(value);
    return [Buffer.from(JSON.stringify(actual)), toWire(value, actual, path)];
  }
  const [kind, inner] = type;
  switch (kind) {
    case "list":
    case "set":
      return expectArray(value, path).map((item, i) => toWire(item as TfValue, inner, `${path}[${i}]`));
    case "tuple":
      return expectArray(value, path).map((item, i) =>
        toWire(item as TfValue, inner[i] as WireType, `${path}[${i}]`),
      );
    case "map": {
      const entries = Object.entries(expectMap(value, path) as TfObject);
      return Object.fromEntries(
        entries.map(([key, item]) => [key, toWire(item, inner, `${path}["${key}"]`)]),
      );
    }
    case "object":
      return encodeObject(expectMap(value, path) as TfObject, inner, path);
  }
}

function encodeObject(value: TfObject, attributes: Readonly<Record<string, WireType>>, path: string): Wire {
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(attributes, key)) {
      throw new CodecError(`Attribute "${key}" in ${describe(path)} is not in the schema.`);
    }
  }
  const result: { [key: string]: Wire } = {};
  for (const [name, attributeType] of Object.entries(attributes)) {
    // Terraform rejects an object that lacks any attribute of its type, so absent means null.
    result[name] = toWire(value[name] ?? null, attributeType, childPath(path, name));
  }
  return result;
}

/** The concrete type to announce for a value in a dynamic attribute; null and unknown stay dynamic. */
function inferType(value: TfValue): WireType {
  if (value === null || value === UNKNOWN) return "dynamic";
  if (typeof value === "string") return "string";
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "bool";
  if (Array.isArray(value)) return ["tuple", value.map(inferType)];
  return ["object", Object.fromEntries(Object.entries(value as TfObject).map(([k, v]) => [k, inferType(v)]))];
}
