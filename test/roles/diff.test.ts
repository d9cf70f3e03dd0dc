import { diffRoles } from "../../src/roles";

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
  });

  it("revokes everything for an empty desired set", () => {
    const changes = diffRoles(["rol_a"], []);
    expect(changes).toEqual({ revoke: ["rol_a"], grant: [] });
  });
});
