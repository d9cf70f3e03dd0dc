import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ReleaseArchive, writeRelease } from "../../src/distribution/release";
import { PROVIDER_SOURCE, PROVIDER_VERSION } from "../../src/provider/startup/provider-names";

// The index handling needs no real archives (test/distribution/single-executable.test.ts builds those).
const fakeArchive = async (): Promise<ReleaseArchive> => ({
  zip: Buffer.from("zip"),
  hashes: ["h1:x", "zh:y"],
});

describe("release", () => {
  let out: string;
  beforeEach(() => {
    out = mkdtempSync(join(tmpdir(), "release-"));
  });
  afterEach(() => rmSync(out, { recursive: true, force: true }));

  it("adds its version to the index.json of an earlier release in the same directory", async () => {
    mkdirSync(join(out, PROVIDER_SOURCE), { recursive: true });
    writeFileSync(join(out, PROVIDER_SOURCE, "index.json"), JSON.stringify({ versions: { "0.0.1": {} } }));
    await writeRelease(out, fakeArchive);
    expect(JSON.parse(readFileSync(join(out, PROVIDER_SOURCE, "index.json"), "utf8"))).toEqual({
      versions: { "0.0.1": {}, [PROVIDER_VERSION]: {} },
    });
  });

  it("refuses to overwrite an index.json that is not a mirror index, naming it", async () => {
    mkdirSync(join(out, PROVIDER_SOURCE), { recursive: true });
    writeFileSync(join(out, PROVIDER_SOURCE, "index.json"), JSON.stringify({ something: "else" }));
    await expect(writeRelease(out, fakeArchive)).rejects.toThrow(
      `${join(out, PROVIDER_SOURCE, "index.json")} is not a network mirror index`,
    );
    expect(readdirSync(join(out, PROVIDER_SOURCE))).toEqual(["index.json"]);
  });

  it("names an index.json that is not JSON instead of showing a parser error", async () => {
    mkdirSync(join(out, PROVIDER_SOURCE), { recursive: true });
    writeFileSync(join(out, PROVIDER_SOURCE, "index.json"), "<html>not found</html>");
    await expect(writeRelease(out, fakeArchive)).rejects.toThrow(
      `${join(out, PROVIDER_SOURCE, "index.json")} is not a network mirror index`,
    );
    expect(readdirSync(join(out, PROVIDER_SOURCE))).toEqual(["index.json"]);
  });
});
