import { execFile } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { buildEngine, localReplaces, pseudoVersion } from "../../scripts/engines/build";
import { ENGINES } from "../../scripts/engines/manifest";

// `npm run engines`: what it reads from a go.mod and a proxy's .info, its cache, and its errors.
// No test here builds an engine or reaches a proxy (GOPROXY=off): `npm test` builds them for real.
jest.setTimeout(60_000);

const REPO = resolve(__dirname, "../..");

describe("reading what a module download gives", () => {
  test("local replaces, in one-line and block form; remote replaces are left to go build", () => {
    const goMod = [
      "module github.com/hashicorp/terraform",
      "replace github.com/hashicorp/terraform/internal/legacy => ./internal/legacy",
      "replace (",
      "\tgithub.com/hashicorp/terraform/internal/backend/remote-state/s3 v0.0.0 => ./internal/backend/remote-state/s3",
      ")",
      "replace github.com/hashicorp/hcl/v2 v2.20.1 => github.com/opentofu/hcl/v2 v2.20.2-0.20251021132045-587d123c2828",
    ].join("\n");
    expect(localReplaces(goMod)).toEqual([
      { module: "github.com/hashicorp/terraform/internal/legacy", dir: "internal/legacy" },
      {
        module: "github.com/hashicorp/terraform/internal/backend/remote-state/s3",
        dir: "internal/backend/remote-state/s3",
      },
    ]);
  });

  test("the pseudo-version of a nested module at the release's commit", () => {
    const info = {
      Version: "v1.16.4",
      Time: "2026-09-23T11:57:56Z",
      Origin: { Hash: "6ee8af215a535cfca08bf729ff1017d4221d6667" },
    };
    expect(pseudoVersion(info)).toBe("v0.0.0-20260923115756-6ee8af215a53");
    expect(() => pseudoVersion({ Version: "v1.0.0", Time: info.Time })).toThrow("names no commit");
  });
});

describe("npm run engines", () => {
  let cache: string;
  beforeEach(() => {
    cache = mkdtempSync(join(tmpdir(), "auth0roles-engines-test-"));
  });
  afterEach(() => rmSync(cache, { recursive: true, force: true }));

  const engines = (env: Record<string, string>) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
      execFile(
        process.execPath,
        [join(REPO, "scripts", "run-ts.js"), join(REPO, "scripts", "engines.ts")],
        { cwd: REPO, env: { ...process.env, AUTH0ROLES_ENGINES_DIR: cache, ...env } },
        (error, stdout, stderr) =>
          done({ code: typeof error?.code === "number" ? error.code : 0, stdout, stderr }),
      );
    });

  test("reuses what the cache holds and prints one line per engine: name, version, absolute path", async () => {
    for (const e of ENGINES) {
      mkdirSync(join(cache, `${e.name}-${e.version}`));
      writeFileSync(join(cache, `${e.name}-${e.version}`, e.name), "#!/bin/sh\n");
      chmodSync(join(cache, `${e.name}-${e.version}`, e.name), 0o755);
    }
    const result = await engines({ GOPROXY: "off" });
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toBe(
      ENGINES.map((e) => `${e.name} ${e.version} ${join(cache, `${e.name}-${e.version}`, e.name)}\n`).join(
        "",
      ),
    );
  });

  test("a module the proxy does not give fails with one line naming it, and leaves no engine behind", async () => {
    const modules = mkdtempSync(join(tmpdir(), "auth0roles-gomodcache-"));
    const env = { GOPROXY: "off", GOMODCACHE: modules, GOFLAGS: "-modcacherw" };
    try {
      const result = await engines(env);
      expect(result.code).toBe(1);
      const [first] = ENGINES;
      expect(result.stderr).toContain(
        `engines: the Go module proxy did not give ${first?.module}@v${first?.version}: `,
      );
      expect(result.stdout).toBe("");
      // The failed build's log stays for reading, never as a cached engine.
      expect(readdirSync(cache).every((entry) => entry.includes(".building-"))).toBe(true);
      expect(existsSync(join(cache, `${first?.name}-${first?.version}`))).toBe(false);
    } finally {
      rmSync(modules, { recursive: true, force: true });
    }
  });

  test("a leftover of a killed build is removed by the next one", async () => {
    const [spec] = ENGINES;
    if (!spec) throw new Error("the manifest is empty");
    const dead = join(cache, `${spec.name}-${spec.version}.building-999999999`);
    mkdirSync(join(dead, "src"), { recursive: true });
    const modules = mkdtempSync(join(tmpdir(), "auth0roles-gomodcache-"));
    const saved = { ...process.env };
    Object.assign(process.env, { AUTH0ROLES_ENGINES_DIR: cache, GOPROXY: "off", GOMODCACHE: modules });
    try {
      await expect(buildEngine(spec, () => {})).rejects.toThrow("the Go module proxy did not give");
      expect(existsSync(dead)).toBe(false);
    } finally {
      process.env = saved;
      rmSync(modules, { recursive: true, force: true });
    }
  });
});
