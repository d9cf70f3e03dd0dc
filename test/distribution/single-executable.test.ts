import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hash1 } from "../../src/distribution/hashes";
import {
  buildExecutable,
  executableName,
  singleExecutableBlob,
} from "../../src/distribution/single-executable";
import { PROVIDER_VERSION } from "../../src/provider/startup/provider-names";
import { checkCodeSignature, executableFormat } from "../support/executable-format";
import { onlyEntry, releaseArchives } from "../support/release-archives";
import { ProviderProcess } from "../support/terraform-client";

// The self-contained executables of the release archives (run `npm run build` first): built for
// every platform, checked by their headers, and the linux ones run (arm64 under qemu-user).
jest.setTimeout(1_800_000);

const EXPECTED = {
  darwin_amd64: { format: "macho", arch: "amd64" },
  darwin_arm64: { format: "macho", arch: "arm64" },
  linux_amd64: { format: "elf", arch: "amd64" },
  linux_arm64: { format: "elf", arch: "arm64" },
  windows_amd64: { format: "pe", arch: "amd64" },
} as const;

const FUSE_BLOWN = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2:1";

describe("self-contained executables", () => {
  let tmp: string;
  const executables = new Map<string, Buffer>();
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), "single-executable-"));
    for (const [platform, archive] of await releaseArchives()) {
      const entry = onlyEntry(archive.zip);
      expect([platform, entry.name, entry.mode & 0o777]).toEqual([platform, executableName(platform), 0o755]);
      expect(archive.hashes).toEqual([hash1([{ ...entry, mode: 0o755 }]), expect.stringMatching(/^zh:/)]);
      executables.set(platform, entry.bytes);
      // README's size table: every zip stays under 60 MB.
      expect([platform, archive.zip.length < 60 * 1024 * 1024]).toEqual([platform, true]);
    }
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  const written = (platform: string) => {
    const file = join(tmp, platform, executableName(platform as keyof typeof EXPECTED));
    if (!existsSync(file)) {
      execFileSync("mkdir", ["-p", join(tmp, platform)]);
      writeFileSync(file, executables.get(platform) as Buffer);
      chmodSync(file, 0o755);
    }
    return file;
  };

  it.each(Object.entries(EXPECTED))("%s is a %o executable with the blob injected", (platform, expected) => {
    const bytes = executables.get(platform) as Buffer;
    const format = executableFormat(bytes);
    expect({ format: format.format, arch: format.arch }).toEqual(expected);
    expect(bytes.includes(FUSE_BLOWN)).toBe(true);
    if (format.format === "macho") {
      expect(format.segments).toContain("NODE_SEA");
      expect(format.codeSignature).toBe(true);
      // The signature covers the file as it is now: every page hash recomputed.
      const signature = checkCodeSignature(bytes);
      expect(signature).toEqual({
        identifier: "terraform-provider-auth0roles",
        adHoc: true,
        coversUpToSignature: true,
        pages: expect.any(Number),
        pagesMismatched: 0,
        requirementsMatch: true,
      });
      expect(signature.pages).toBeGreaterThan(1000);
    }
  });

  it("linux_amd64 serves Terraform's protocol with no node anywhere on PATH", async () => {
    const executable = written("linux_amd64");
    const emptyPath = join(tmp, "empty-path");
    execFileSync("mkdir", ["-p", emptyPath]);
    expect(execFileSync(executable, ["--version"], { env: { PATH: emptyPath }, encoding: "utf8" })).toBe(
      `terraform-provider-auth0roles ${PROVIDER_VERSION}\n`,
    );
    for (let run = 0; run < 2; run++) {
      // The second start reads the code cache the first wrote at exit.
      const provider = await ProviderProcess.start({
        command: [executable],
        env: { PATH: emptyPath, TMPDIR: tmp, NODE_OPTIONS: undefined },
      });
      try {
        const schema = await provider.client.call("GetProviderSchema", {});
        expect(Object.keys(schema.resource_schemas ?? {})).toContain("auth0roles_organization_member_roles");
        expect(await provider.shutdown()).toEqual({ code: 0, signal: null });
      } finally {
        await provider.kill();
      }
    }
    expect(execFileSync("ls", [tmp], { encoding: "utf8" })).toMatch(/terraform-provider-auth0roles-cache-/);
  });

  it("linux_arm64 runs under qemu-user and prints its version", () => {
    // Debian's qemu-user-static, with the arm64 C library (libc6:arm64, libstdc++6:arm64) for Node.
    const output = execFileSync("qemu-aarch64-static", ["-L", "/", written("linux_arm64"), "--version"], {
      encoding: "utf8",
      env: { PATH: "/usr/bin:/bin" },
    });
    expect(output).toBe(`terraform-provider-auth0roles ${PROVIDER_VERSION}\n`);
  });

  it("is the same bytes when built again (linux_amd64, from a fresh blob, past the cache)", async () => {
    const again = await buildExecutable("linux_amd64", singleExecutableBlob());
    expect(again.equals(executables.get("linux_amd64") as Buffer)).toBe(true);
  });
});
