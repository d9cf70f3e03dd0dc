import { chunk, diffRoles, isNoop, MAX_ROLES_PER_CALL } from "../../src/roles";

describe("diffRoles", () => {
  it("revokes what is held but not wanted and grants what is wanted but not held", () => {
    const changes = diffRoles(["rol_b", "rol_a", "rol_keep"], ["rol_keep", "rol_d", "rol_c"]);
    expect(changes).toEqual({ revoke: ["rol_a", "rol_b"], grant: ["rol_c", "rol_d"] });
  });

  it("deduplicates and sorts both lists by code unit, independent of locale", () => {
    const changes = diffRoles(["rol_b", "rol_b", "rol_B"], ["rol_z", "rol_Z", "rol_z"]);
    expect(changes).toEqual({ revoke: ["rol_B", "rol_b"], grant: ["rol_Z", "rol_z"] });
  });

  it("accepts any iterable, e.g. sets and generators", () => {
    function* desired(): Generator<string> {
      yield "rol_x";
    }
    expect(diffRoles(new Set(["rol_y"]), desired())).toEqual({ revoke: ["rol_y"], grant: ["rol_x"] });
  });

  it("is a no-op when the sets are equal, whatever the order", () => {
    const changes = diffRoles(["rol_a", "rol_b"], ["rol_b", "rol_a", "rol_a"]);
    expect(changes).toEqual({ revoke: [], grant: [] });
    expect(isNoop(changes)).toBe(true);
  });

  it("revokes everything for an empty desired set", () => {
    const changes = diffRoles(["rol_a"], []);
    expect(changes).toEqual({ revoke: ["rol_a"], grant: [] });
    expect(isNoop(changes)).toBe(false);
  });
});

describe("isNoop", () => {
  it("is false when there is only something to grant", () => {
    expect(isNoop({ revoke: [], grant: ["rol_a"] })).toBe(false);
  });
});

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
