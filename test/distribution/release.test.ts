import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeRelease } from "../../src/distribution/release";
import { PROVIDER_SOURCE, PROVIDER_VERSION } from "../../src/provider/startup/provider-names";

describe("release", () => {
  let out: string;
  beforeEach(() => {
    out = mkdtempSync(join(tmpdir(), "release-"));
  });
  afterEach(() => rmSync(out, { recursive: true, force: true }));

  it("adds its version to the index.json of an earlier release in the same directory", () => {
    mkdirSync(join(out, PROVIDER_SOURCE), { recursive: true });
    writeFileSync(join(out, PROVIDER_SOURCE, "index.json"), JSON.stringify({ versions: { "0.0.1": {} } }));
    writeRelease(out);
    expect(JSON.parse(readFileSync(join(out, PROVIDER_SOURCE, "index.json"), "utf8"))).toEqual({
      versions: { "0.0.1": {}, [PROVIDER_VERSION]: {} },
    });
  });

  it("refuses to overwrite an index.json that is not a mirror index, naming it", () => {
    mkdirSync(join(out, PROVIDER_SOURCE), { recursive: true });
    writeFileSync(join(out, PROVIDER_SOURCE, "index.json"), JSON.stringify({ something: "else" }));
    expect(() => writeRelease(out)).toThrow(
      `${join(out, PROVIDER_SOURCE, "index.json")} is not a network mirror index`,
    );
    expect(readdirSync(join(out, PROVIDER_SOURCE))).toEqual(["index.json"]);
  });

  it("names an index.json that is not JSON instead of showing a parser error", () => {
    mkdirSync(join(out, PROVIDER_SOURCE), { recursive: true });
    writeFileSync(join(out, PROVIDER_SOURCE, "index.json"), "<html>not found</html>");
    expect(() => writeRelease(out)).toThrow(
      `${join(out, PROVIDER_SOURCE, "index.json")} is not a network mirror index`,
    );
    expect(readdirSync(join(out, PROVIDER_SOURCE))).toEqual(["index.json"]);
  });
});
