import { closestNames, editDistance, suggestionText, unknownNames } from "../../src/roles";

describe("editDistance", () => {
  it.each([
    ["", "", 0],
    ["billing", "billing", 0],
    ["billng", "billing", 1],
    ["bililng", "billing", 2],
    ["kitten", "sitting", 3],
    ["", "abc", 3],
    ["abc", "", 3],
  ])("%p -> %p is %p", (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe("closestNames", () => {
  const tenant = ["admin", "billing", "billing-admin", "viewer", "Billing", "support"];

  it("puts a case slip first, then the nearest spellings", () => {
    expect(closestNames("BILLING", tenant)).toEqual(["Billing", "billing", "billing-admin"]);
  });

  it("ranks by distance and suggests at most three names", () => {
    expect(closestNames("billng", tenant)).toEqual(["billing", "Billing"]);
    expect(closestNames("a", ["b", "c", "d", "e"])).toEqual(["b", "c", "d"]);
    expect(closestNames("viewr", tenant)).toEqual(["viewer"]);
  });

  it("suggests a name that contains the other, however far apart", () => {
    expect(closestNames("admin", ["billing-admin", "viewer"])).toEqual(["billing-admin"]);
  });

  it("suggests nothing far from the name", () => {
    expect(closestNames("zzzz", ["abcd", "xyz"])).toEqual([]);
    expect(closestNames("billng", ["viewer"])).toEqual([]);
  });

  it("breaks ties by name, so the answer does not depend on the tenant's order", () => {
    expect(closestNames("ab", ["ad", "ac"])).toEqual(["ac", "ad"]);
    expect(closestNames("ab", ["ac", "ad"])).toEqual(["ac", "ad"]);
  });
});

describe("suggestionText", () => {
  it("quotes the closest names, or says none is close", () => {
    expect(suggestionText("billng", ["billing", "viewer"])).toBe('The closest role names: "billing".');
    expect(suggestionText("qqqq", ["ab"])).toBe("No role name is close to it.");
  });
});

describe("unknownNames", () => {
  it("lists each missing name once, in the order first used", () => {
    expect(unknownNames(["b", "x", "a", "x", "y"], new Set(["a", "b"]))).toEqual(["x", "y"]);
  });
});
