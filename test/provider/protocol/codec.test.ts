import { decode, ExtData, encode } from "@msgpack/msgpack";
import { CodecError, decodeDynamicValue, encodeDynamicValue } from "../../../src/provider/protocol/codec";
import type { SchemaBlock } from "../../../src/provider/protocol/schema";
import { isUnknown, type TfObject, UNKNOWN } from "../../../src/provider/protocol/values";

const block: SchemaBlock = {
  description: "all kinds",
  attributes: [
    { name: "s", type: "string", optional: true, description: "" },
    { name: "n", type: "number", optional: true, description: "" },
    { name: "b", type: "bool", optional: true, description: "" },
    { name: "l", type: ["list", "string"], optional: true, description: "" },
    { name: "set", type: ["set", "number"], optional: true, description: "" },
    { name: "m", type: ["map", "bool"], optional: true, description: "" },
    { name: "o", type: ["object", { x: "string", y: ["list", "number"] }], optional: true, description: "" },
    { name: "d", type: "dynamic", optional: true, description: "" },
  ],
};

const nothing: TfObject = { s: null, n: null, b: null, l: null, set: null, m: null, o: null, d: null };

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

/** msgpack as Terraform would send it; ExtData stands for its unknown markers. */
function wire(value: unknown): { msgpack: Uint8Array } {
  return { msgpack: encode(value) };
}

describe("encodeDynamicValue", () => {
  it("writes every attribute of the block, absent ones as nil", () => {
    const { msgpack } = encodeDynamicValue({ s: "hi" }, block);
    expect(decode(msgpack)).toEqual({ ...nothing, s: "hi" });
  });

  it("rejects attributes the schema does not have, naming them", () => {
    expect(() => encodeDynamicValue({ s: "x", extra: "y" }, block)).toThrow(/"extra"/);
  });

  it("encodes an unknown as extension 0 with one zero byte", () => {
    const { msgpack } = encodeDynamicValue({ ...nothing, s: UNKNOWN }, block);
    expect(hex(msgpack)).toContain(`a173${"d40000"}`); // key "s" then d4 00 00
    expect(decode(msgpack)).toEqual({ ...nothing, s: new ExtData(0, new Uint8Array([0])) });
  });

  it("encodes null as msgpack nil", () => {
    expect(hex(encodeDynamicValue(null, block).msgpack)).toBe("c0");
  });

  it("encodes nested objects with all their keys and rejects type mismatches with the path", () => {
    const { msgpack } = encodeDynamicValue({ o: { x: "a" } }, block);
    expect(decode(msgpack)).toMatchObject({ o: { x: "a", y: null } });
    expect(() => encodeDynamicValue({ l: ["a", 2] }, block)).toThrow("Expected a string at l[1].");
    expect(() => encodeDynamicValue({ n: Number.NaN }, block)).toThrow(CodecError);
  });

  it("never puts values in error messages", () => {
    expect(() => encodeDynamicValue({ s: 42 as unknown as string }, block)).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining("42") }),
    );
  });

  it("announces the type of a dynamic value next to it", () => {
    const { msgpack } = encodeDynamicValue({ d: ["a", 1] }, block);
    const [typeJson, value] = (decode(msgpack) as { d: [Uint8Array, unknown] }).d;
    expect(JSON.parse(Buffer.from(typeJson).toString())).toEqual(["tuple", ["string", "number"]]);
    expect(value).toEqual(["a", 1]);
  });
});

describe("decodeDynamicValue", () => {
  it("round-trips every kind of value", () => {
    const value: TfObject = {
      s: "text",
      n: 1.5,
      b: true,
      l: ["a", UNKNOWN, null],
      set: [1, 2],
      m: { k: false },
      o: { x: "inner", y: [3] },
      d: { nested: ["x", true] },
    };
    expect(decodeDynamicValue(encodeDynamicValue(value, block), block)).toEqual(value);
  });

  it("decodes any extension type as unknown, including refined unknowns (type 12)", () => {
    const refinement = encode(
      new Map<number, unknown>([
        [1, true],
        [2, "org_"],
      ]),
    );
    const decoded = decodeDynamicValue(
      wire({
        ...nothing,
        s: new ExtData(12, refinement),
        l: [new ExtData(0, new Uint8Array([0]))],
        n: new ExtData(5, new Uint8Array()),
      }),
      block,
    );
    expect(decoded?.s).toBe(UNKNOWN);
    expect(decoded?.n).toBe(UNKNOWN);
    expect(decoded?.l).toEqual([UNKNOWN]);
    expect(isUnknown(decoded?.s ?? null)).toBe(true);
  });

  it("accepts numbers as int, float or decimal string", () => {
    expect(decodeDynamicValue(wire({ ...nothing, n: 7 }), block)?.n).toBe(7);
    expect(decodeDynamicValue(wire({ ...nothing, n: 0.25 }), block)?.n).toBe(0.25);
    expect(decodeDynamicValue(wire({ ...nothing, n: "-1234.5e2" }), block)?.n).toBe(-123450);
    expect(() => decodeDynamicValue(wire({ ...nothing, n: "twelve" }), block)).toThrow(
      "Expected a number at n.",
    );
  });

  it("decodes a dynamic value through the type it carries", () => {
    const typeJson = Buffer.from(JSON.stringify(["list", "number"]));
    expect(decodeDynamicValue(wire({ ...nothing, d: [typeJson, ["1.5", 2]] }), block)?.d).toEqual([1.5, 2]);
  });

  it("treats missing attributes as null and rejects ones the schema lacks", () => {
    expect(decodeDynamicValue(wire({ s: "only" }), block)).toEqual({ ...nothing, s: "only" });
    expect(() => decodeDynamicValue(wire({ ...nothing, bogus: 1 }), block)).toThrow(/"bogus"/);
  });

  it("falls back to JSON when msgpack is empty", () => {
    const json = Buffer.from(JSON.stringify({ s: "j", n: 2, set: [1], d: { value: "v", type: "string" } }));
    expect(decodeDynamicValue({ msgpack: new Uint8Array(), json }, block)).toEqual({
      ...nothing,
      s: "j",
      n: 2,
      set: [1],
      d: "v",
    });
  });

  it("reads both encodings empty, or no value at all, as null", () => {
    expect(decodeDynamicValue({ msgpack: new Uint8Array(), json: new Uint8Array() }, block)).toBeNull();
    expect(decodeDynamicValue(null, block)).toBeNull();
    expect(decodeDynamicValue(wire(null), block)).toBeNull();
  });

  it("rejects values of the wrong kind with the attribute path", () => {
    expect(() => decodeDynamicValue(wire({ ...nothing, o: { x: 1 } }), block)).toThrow(
      "Expected a string at o.x.",
    );
    expect(() => decodeDynamicValue(wire({ ...nothing, m: ["x"] }), block)).toThrow(
      "Expected an object or map at m.",
    );
  });
});
