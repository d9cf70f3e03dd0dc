import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { build } from "esbuild";
import { type Emulator, parseEmulatorArgs, runEmulatorCommand, startEmulator } from "../../src/emulator";

describe("startEmulator options", () => {
  it("refuses non-loopback hosts", async () => {
    await expect(startEmulator({ host: "0.0.0.0" })).rejects.toThrow(
      /loopback only; refusing host "0.0.0.0"/,
    );
    await expect(startEmulator({ host: "192.168.1.10" })).rejects.toThrow(/loopback only/);
  });

  it("exposes url and audience without a trailing slash / with /api/v2/", async () => {
    const emu = await startEmulator();
    expect(emu.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(emu.audience).toBe(`${emu.url}/api/v2/`);
    await emu.stop();
    await emu.stop(); // idempotent
  });
});

/** POST /oauth/token over HTTPS, trusting `ca` (or only Node's default roots): the status, or the TLS error. */
function httpsToken(emu: Emulator, ca?: string): Promise<number | string> {
  const body = JSON.stringify({
    grant_type: "client_credentials",
    client_id: "emulator-client",
    client_secret: "emulator-secret",
    audience: emu.audience,
  });
  return new Promise((done) => {
    const req = httpsRequest(
      `${emu.url}/oauth/token`,
      { method: "POST", headers: { "content-type": "application/json" }, ...(ca ? { ca } : {}) },
      (res) => {
        res.resume();
        res.on("end", () => done(res.statusCode ?? 0));
      },
    );
    req.on("error", (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
    req.end(body);
  });
}

describe("HTTPS mode", () => {
  it("serves https:// with a certificate it writes to caFile, trusted from that file only", async () => {
    const emu = await startEmulator({ https: true });
    const caFile = emu.caFile as string;
    expect(emu.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(emu.audience).toBe(`${emu.url}/api/v2/`);
    expect(await httpsToken(emu, readFileSync(caFile, "utf8"))).toBe(200);
    expect(await httpsToken(emu)).toBe("DEPTH_ZERO_SELF_SIGNED_CERT");
    await emu.stop();
    expect(existsSync(caFile)).toBe(false);
  });

  it("writes the certificate where it is told, and plain HTTP has none", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emulator-ca-"));
    const emu = await startEmulator({ https: { caFile: join(dir, "ca.pem") } });
    expect(emu.caFile).toBe(join(dir, "ca.pem"));
    expect(readFileSync(join(dir, "ca.pem"), "utf8")).toContain("BEGIN CERTIFICATE");
    await emu.stop();
    rmSync(dir, { recursive: true });
    const plain = await startEmulator();
    expect(plain.caFile).toBeUndefined();
    await plain.stop();
  });
});

describe("parseEmulatorArgs", () => {
  it("reads every flag", () => {
    expect(parseEmulatorArgs(["--port", "4010", "--host=localhost", "--time-scale", "10"])).toEqual({
      port: 4010,
      host: "localhost",
      rateLimits: { timeScale: 10 },
    });
    expect(parseEmulatorArgs(["--no-rate-limits"])).toEqual({ rateLimits: false });
    expect(parseEmulatorArgs(["--https"])).toEqual({ https: true });
    expect(parseEmulatorArgs(["--https", "--ca-file", "ca.pem"])).toEqual({ https: { caFile: "ca.pem" } });
    expect(parseEmulatorArgs(["--help"])).toBe("help");
  });

  it("explains bad flags", () => {
    expect(() => parseEmulatorArgs(["--port", "x"])).toThrow(
      '--port must be an integer from 0 to 65535 (got "x").',
    );
    expect(() => parseEmulatorArgs(["--time-scale", "0"])).toThrow("--time-scale must be a positive number");
    expect(() => parseEmulatorArgs(["--seed"])).toThrow("--seed needs a value.");
    expect(() => parseEmulatorArgs(["--ca-file", "ca.pem"])).toThrow("--ca-file needs --https.");
    expect(() => parseEmulatorArgs(["--verbose"])).toThrow(/^Unknown option "--verbose"\.$/);
  });
});

describe("runEmulatorCommand", () => {
  it("prints where it listens and the client ids (never secrets), and stops when told", async () => {
    const lines: string[] = [];
    const controller = new AbortController();
    let started: Emulator | undefined;
    const run = runEmulatorCommand(["--no-rate-limits"], {
      stdout: (line) => lines.push(line),
      signal: controller.signal,
      onStarted: (emu) => {
        started = emu;
      },
    });
    while (!started) await new Promise((r) => setTimeout(r, 5));
    expect(lines[0]).toBe(`Auth0 emulator listening on ${started.url}`);
    expect(lines[1]).toContain("emulator-client");
    expect(lines.join("\n")).not.toContain("emulator-secret");
    controller.abort();
    await run;
    await expect(fetch(`${started.url}/__emulator/state`)).rejects.toThrow();
  });

  describe("out of process", () => {
    let dir: string;
    let script: string;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "emulator-cmd-"));
      script = join(dir, "emulator.js");
      writeFileSync(
        join(dir, "main.ts"),
        `import { runEmulatorCommand } from ${JSON.stringify(join(__dirname, "../../src/emulator"))};
runEmulatorCommand(process.argv.slice(2)).then(() => process.exit(0), (err) => { console.error(err.message); process.exit(2); });
`,
      );
      await build({
        entryPoints: [join(dir, "main.ts")],
        bundle: true,
        platform: "node",
        outfile: script,
        logLevel: "silent",
      });
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    function firstLine(child: ChildProcess): Promise<string> {
      return new Promise((resolve, reject) => {
        const rl = createInterface({ input: child.stdout as NodeJS.ReadableStream });
        rl.once("line", (line) => resolve(line));
        child.once("exit", (code) => reject(new Error(`exited early with ${code}`)));
      });
    }

    it("serves a seed file, answers the admin surface, and exits 0 on SIGTERM", async () => {
      const seed = join(dir, "seed.json");
      writeFileSync(
        seed,
        JSON.stringify({
          clients: [{ clientId: "ci-client", clientSecret: "s3cret-value", scopes: ["read:roles"] }],
          roles: [{ id: "rol_only000000000001", name: "only" }],
        }),
      );
      const child = spawn(process.execPath, [script, "--seed", seed, "--port", "0"], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      child.stdout?.on("data", (d) => {
        out += d;
      });
      const line = await firstLine(child);
      const url = /^Auth0 emulator listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line)?.[1];
      expect(url).toBeDefined();
      const state = (await (await fetch(`${url}/__emulator/state`)).json()) as { roles: unknown[] };
      expect(state.roles).toEqual([{ id: "rol_only000000000001", name: "only" }]);
      const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(out).toContain("ci-client");
      expect(out).not.toContain("s3cret-value");
    });

    it("exits non-zero with a message naming the field for a bad seed file", async () => {
      const seed = join(dir, "bad.json");
      writeFileSync(seed, JSON.stringify({ roles: [{ id: "rol_x" }] }));
      const child = spawn(process.execPath, [script, "--seed", seed], { stdio: ["ignore", "pipe", "pipe"] });
      let err = "";
      child.stderr?.on("data", (d) => {
        err += d;
      });
      const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
      expect(code).toBe(2);
      expect(err).toContain("roles[0].name must be a non-empty string.");
    });
  });
});
