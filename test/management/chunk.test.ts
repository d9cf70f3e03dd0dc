import { chunk, MAX_ROLES_PER_CALL } from "../../src/management/chunk";

describe("chunk", () => {
  it("splits 120 roles into calls of 50, 50 and 20, preserving order", () => {
    const ids = Array.from({ length: 120 }, (_, i) => `rol_${i}`);
    const slices = chunk(ids, MAX_ROLES_PER_CALL);
    expect(slices.map((s) => s.length)).toEqual([50, 50, 20]);
    expect(slices.flat()).toEqual(ids);
  });

  it("returns no slices for no items, so no call is made", () => {
    expect(chunk([], 50)).toEqual([]);
  });

  it("returns one slice for exactly the chunk size", () => {
    expect(chunk([1, 2, 3], 3)).toEqual([[1, 2, 3]]);
  });

  it.each([0, -1, 1.5, Number.NaN])("rejects the chunk size %p", (size) => {
    expect(() => chunk([1], size)).toThrow(RangeError);
  });
});
