import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type BuildOptions, build } from "esbuild";
import { configureOffline, ProviderProcess } from "../../support/terraform-client";

// Plain CommonJS so `npm run build` runs it with node alone.
const { BUNDLES } = require("../../../scripts/bundle-provider.js") as { BUNDLES: readonly BuildOptions[] };

const EXECUTABLE = resolve(__dirname, "../../../bin/terraform-provider-auth0roles");

describe("provider bundle", () => {
  it("leaves out the CDKTF side, proto-loader, and axios (bundled apart)", async () => {
    const [provider] = BUNDLES;
    const { metafile } = await build({ ...provider, write: false, metafile: true });
    const inputs = Object.keys(metafile.inputs);
    expect(inputs).toContain("src/provider/startup/start.ts");
    const unwanted =
      /(^|\/)(node_modules\/(cdktf|cdktn|constructs|@grpc\/proto-loader|axios|follow-redirects|form-data)\/|src\/(cdktf|cdktn|constructs)\/)/;
    expect(inputs.filter((input) => unwanted.test(input))).toEqual([]);
  });
});

describe("built provider executable (run `npm run build` first)", () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), "launcher-test-"));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it("reaches its handshake without loading the HTTPS client stack (axios, node:https, fetch)", async () => {
    // Preloaded into the provider process: when the handshake line is written, reports which of
    // Node's own modules are loaded by then. axios (loaded on the first ConfigureProvider) needs
    // node:https, and probing for fetch loads undici; neither has any business before the handshake.
    const preload = join(tmp, "report-modules.js");
    writeFileSync(
      preload,
      `const fs = require("node:fs");
       let reported = false;
       const report = (chunk) => {
         if (reported || !String(chunk).includes("|grpc|")) return;
         reported = true;
         fs.writeSync(2, "MODULES " + JSON.stringify(process.moduleLoadList) + "\\n");
       };
       const writeSync = fs.writeSync;
       fs.writeSync = function (fd, chunk, ...rest) { if (fd === 1) report(chunk); return writeSync.call(this, fd, chunk, ...rest); };
       const duplex = require("node:stream").Duplex.prototype;
       const write = duplex.write;
       duplex.write = function (chunk, ...rest) { report(chunk); return write.call(this, chunk, ...rest); };`,
    );
    const provider = await ProviderProcess.start({ command: [process.execPath, "-r", preload, EXECUTABLE] });
    try {
      const line = provider.stderr.split("\n").find((l) => l.startsWith("MODULES "));
      const modules = JSON.parse((line ?? "MODULES null").slice("MODULES ".length)) as string[] | null;
      expect(modules).toContain("NativeModule http2");
      expect(modules?.filter((m) => /^NativeModule (https|internal\/deps\/undici\/)/.test(m))).toEqual([]);
    } finally {
      await provider.kill();
    }
  });

  it("configures from the plugin-mirror package alone when Node loads the bundle itself (source maps on, no code cache)", async () => {
    // With --enable-source-maps the launcher leaves the bundle to Node's require, which must find the
    // axios bundle beside it: the package has no node_modules.
    const { providerPackageFiles } =
      require("../../../src/distribution/provider-package") as typeof import("../../../src/distribution/provider-package");
    const pkg = join(tmp, "package");
    mkdirSync(pkg);
    for (const file of providerPackageFiles(resolve(__dirname, "../../../dist"))) {
      writeFileSync(join(pkg, file.name), file.bytes, { mode: file.mode });
    }
    const provider = await ProviderProcess.start({
      command: [join(pkg, "terraform-provider-auth0roles")],
      env: { TMPDIR: tmp, NODE_OPTIONS: "--enable-source-maps" },
    });
    try {
      await provider.client.call("GetProviderSchema", {});
      expect(await configureOffline(provider)).toEqual([]);
      expect(await provider.shutdown()).toEqual({ code: 0, signal: null });
    } finally {
      await provider.kill();
    }
    const caches = readdirSync(tmp)
      .filter((name) => name.startsWith("terraform-provider-auth0roles-cache-"))
      .flatMap((dir) => readdirSync(join(tmp, dir)));
    expect(caches).toEqual([]);
  });

  it("serves, writes its code cache at exit, and serves again from it", async () => {
    for (let run = 0; run < 2; run++) {
      const provider = await ProviderProcess.start({ command: [EXECUTABLE], env: { TMPDIR: tmp } });
      try {
        const schema = await provider.client.call("GetProviderSchema", {});
        expect(Object.keys(schema.resource_schemas ?? {})).toEqual([
          "auth0roles_organization_member_roles",
          "auth0roles_organization_roles",
        ]);
        expect(await provider.shutdown()).toEqual({ code: 0, signal: null });
      } finally {
        await provider.kill();
      }
      const cacheDirs = readdirSync(tmp).filter((name) =>
        name.startsWith("terraform-provider-auth0roles-cache-"),
      );
      expect(cacheDirs).toHaveLength(1);
      expect(
        readdirSync(join(tmp, cacheDirs[0] as string)).filter((n) => n.endsWith(".v8cache")),
      ).toHaveLength(1);
    }
  });

  it("has a configured process rewrite the code cache a schema-only process made, once, and cache the API client apart", async () => {
    // Terraform's first process of a command only answers GetProviderSchema; the cache it leaves
    // lacks the code of ConfigureProvider, refresh and plan, which the process that configures
    // compiles and then saves for every later one. The byte after the cache's checksum says which.
    // axios, bundled apart, gets a cache of its own, made by the first process that configures.
    const cacheFiles = () => {
      const [cacheDir] = readdirSync(tmp).filter((n) => n.startsWith("terraform-provider-auth0roles-cache-"));
      const dir = join(tmp, cacheDir as string);
      const names = readdirSync(dir).filter((n) => n.endsWith(".v8cache"));
      return new Map(names.map((name) => [name, readFileSync(join(dir, name))]));
    };
    const run = async (configure: boolean) => {
      const provider = await ProviderProcess.start({ command: [EXECUTABLE], env: { TMPDIR: tmp } });
      try {
        await provider.client.call("GetProviderSchema", {});
        if (configure) expect(await configureOffline(provider)).toEqual([]);
        expect(await provider.shutdown()).toEqual({ code: 0, signal: null });
      } finally {
        await provider.kill();
      }
      return cacheFiles();
    };

    const partial = await run(false);
    expect(partial.size).toBe(1);
    const [bundleCache, partialBytes] = [...partial][0] as [string, Buffer];
    expect(partialBytes[32]).toBe(0);
    const complete = await run(true);
    expect(complete.size).toBe(2);
    const completeBytes = complete.get(bundleCache) as Buffer;
    expect(completeBytes[32]).toBe(1);
    expect(completeBytes.length).toBeGreaterThan(partialBytes.length);
    const [, axiosBytes] = [...complete].find(([name]) => name !== bundleCache) as [string, Buffer];
    expect(axiosBytes[32]).toBe(1);
    expect(await run(false)).toEqual(complete);
    expect(await run(true)).toEqual(complete);
  });
});
