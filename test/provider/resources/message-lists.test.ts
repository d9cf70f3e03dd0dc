import { counted, cutList } from "../../../src/provider/resources/message-lists";

describe("message lists", () => {
  test("names up to ten items and counts the rest", () => {
    const ids = Array.from({ length: 13 }, (_, i) => `rol_${i}`);
    expect(cutList(ids.slice(0, 10))).toBe(ids.slice(0, 10).join(", "));
    expect(cutList(ids)).toBe(`${ids.slice(0, 10).join(", ")} and 3 more`);
  });

  test("counts in singular and plural", () => {
    expect(counted(1, "role")).toBe("1 role");
    expect(counted(0, "member")).toBe("0 members");
    expect(counted(2, "member")).toBe("2 members");
  });
});
