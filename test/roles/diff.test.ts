import { diffRoles, orderRoleChanges } from "../../src/roles";

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

describe("orderRoleChanges", () => {
  const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i + 10}`);

  it("grants before it revokes anything when the cap allows", () => {
    const current = ["rol_a", "rol_b"];
    const steps = orderRoleChanges(current, diffRoles(current, ["rol_a", "rol_c"]));
    expect(steps).toEqual({ revokeFirst: [], grant: ["rol_c"], revokeAfter: ["rol_b"] });
  });

  it("revokes first only as many roles as the cap forces, the rest after the grant", () => {
    const current = ids("rol_old", 49);
    const desired = [...current.slice(0, 44), ...ids("rol_new", 5)];
    const steps = orderRoleChanges(current, diffRoles(current, desired));
    // 49 held + 5 granted would be 54: 4 of the 5 revokes come first, the last one after.
    expect(steps.revokeFirst).toHaveLength(4);
    expect(steps.grant).toHaveLength(5);
    expect(steps.revokeAfter).toHaveLength(1);
    expect([...steps.revokeFirst, ...steps.revokeAfter].sort()).toEqual(current.slice(44).sort());
  });

  it("at the cap exactly, still grants first", () => {
    const current = ids("rol_old", 48);
    const steps = orderRoleChanges(
      current,
      diffRoles(current, [...current.slice(1), ...ids("rol_new", 2)]),
      50,
    );
    expect(steps.revokeFirst).toEqual([]);
  });
});
