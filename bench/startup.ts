/**
 * Provider start-up benchmark: time from spawning the provider executable (as Terraform does, with
 * Terraform's environment and AutoMTLS client certificate) to its handshake line on stdout, side by
 * side with `node -e 0` spawn -> exit, interleaved in the same run so machine noise hits both alike.
 * Each provider is then stopped the way Terraform stops it (the go-plugin Shutdown RPC over mTLS),
 * which also proves the handshake it printed was usable.
 *
 * Every provider first configures once, unmeasured, so that all of them read the code cache a user's
 * machine holds after its first plan (primeCodeCache).
 *
 * Beside the release executable, a floor: its own Node running a script that only loads http2 and
 * listens on a unix socket with the provider's TLS options (floorScript), the least a Node.js gRPC
 * server built like this one does before its handshake.
 *
 * Both sides run in three environments, each round in a rotating order: "clean" (PATH and HOME
 * only, what a user's shell gives Terraform; no NODE_EXTRA_CA_CERTS, no NODE_OPTIONS) is the
 * headline; "one CA" adds NODE_EXTRA_CA_CERTS naming one certificate, as Node users trust a private
 * CA (Node 20 then loads its whole root store at start-up);
 * "this machine" is the benchmark's own environment, whatever it sets (here NODE_EXTRA_CA_CERTS
 * naming the system bundle, which makes every Node start, the baseline's too, load it).
 *
 * Run: `npm run bench:startup` (builds first), options after `--`:
 *   --runs N      measured runs per command (default 30)
 *   --warmup N    unmeasured runs per command first (default 5)
 *   --provider P  provider executable to measure (repeatable; `mirror`: the plugin-mirror package
 *                 laid out from dist/, a POSIX launcher running provider.js, which is what Terraform
 *                 runs). Default: mirror and bin/terraform-provider-auth0roles
 *   --no-executable  leave out the linux_amd64 release executable (Node inside), measured by default
 *                 against its own Node's `node -e 0`
 *   --profile N   afterwards, N start-ups of the first provider and of the release executable (clean
 *                 environment) under V8's CPU profiler, each stopped with SIGTERM at its handshake;
 *                 prints where their time went
 */
import { spawn } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { installedExecutable, installProvider } from "../src/distribution/mirror";
import { providerPackageFiles } from "../src/distribution/provider-package";
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from "../src/provider/plugin/handshake";
import { generateSelfSignedCertificate, type SelfSignedCertificate } from "../src/tls/self-signed-cert";
import { onlyEntry } from "../test/support/release-archives";
import {
  configureOffline,
  PluginClient,
  ProviderProcess,
  parseHandshake,
} from "../test/support/terraform-client";
import { profilingShim, reportProfiles } from "./support/cpu-profile";

interface Options {
  readonly runs: number;
  readonly warmup: number;
  readonly providers: readonly string[];
  readonly profile: number;
  /**
   * The self-contained executable of the release archive for this machine, the Node.js inside it
   * (binary and version), and the floor script that Node runs (floorScript).
   */
  readonly executable: {
    readonly path: string;
    readonly node: string;
    readonly version: string;
    readonly floor: string;
  } | null;
}

// npm runs scripts from the package root.
const BIN_PROVIDER = resolve("bin", "terraform-provider-auth0roles");

const labels = new Map<string, string>();

/** The executable Terraform runs: the provider package laid out in a plugin mirror (removed at exit). */
function mirrorProvider(): string {
  const mirror = mkdtempSync(join(tmpdir(), "startup-mirror-"));
  process.on("exit", () => rmSync(mirror, { recursive: true, force: true }));
  installProvider(mirror, providerPackageFiles(resolve("dist")));
  const executable = installedExecutable(mirror, "linux_amd64");
  labels.set(executable, "plugin-mirror package: sh launcher, provider.js (what Terraform runs)");
  return executable;
}

function label(executable: string): string {
  const known = labels.get(executable);
  if (known !== undefined) return known;
  const fromHere = relative(process.cwd(), executable);
  return `\`${fromHere.startsWith("..") ? executable : fromHere}\``;
}

async function parseOptions(args: readonly string[]): Promise<Options> {
  let runs = 30;
  let warmup = 5;
  let profile = 0;
  const providers: string[] = [];
  let executable = true;
  for (let i = 0; i < args.length; i += 2) {
    if (args[i] === "--no-executable") {
      executable = false;
      i -= 1;
      continue;
    }
    const [flag, value] = [args[i], args[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value.`);
    if (flag === "--runs") runs = positiveInteger(flag, value);
    else if (flag === "--warmup") warmup = positiveInteger(flag, value, 0);
    else if (flag === "--provider") providers.push(value === "mirror" ? mirrorProvider() : resolve(value));
    else if (flag === "--profile") profile = positiveInteger(flag, value, 0);
    else throw new Error(`Unknown option ${flag}; see bench/startup.ts for the options.`);
  }
  return {
    runs,
    warmup,
    profile,
    providers: providers.length > 0 ? providers : [mirrorProvider(), BIN_PROVIDER],
    executable: executable ? await releaseExecutable() : null,
  };
}

interface BuiltRelease {
  releaseArchive(platform: string): Promise<{ zip: Buffer }>;
}
interface BuiltSingleExecutable {
  EMBEDDED_NODE_VERSION: string;
  nodeBinary(platform: string): string;
}

/**
 * The linux_amd64 release executable (built, or read from the release cache) unpacked into a temp
 * dir, and the same Node.js version's own binary for its baseline. Loaded from dist/: those modules
 * find dist/ from their own file, which bundling this benchmark moves.
 */
async function releaseExecutable(): Promise<NonNullable<Options["executable"]>> {
  if (`${process.platform}/${process.arch}` !== "linux/x64")
    throw new Error("The release executable is measured on linux/x64 only; pass --no-executable.");
  const { releaseArchive } = require(resolve("dist", "src", "distribution", "release.js")) as BuiltRelease;
  const single = require(
    resolve("dist", "src", "distribution", "single-executable.js"),
  ) as BuiltSingleExecutable;
  const zip = (await releaseArchive("linux_amd64")).zip;
  const dir = mkdtempSync(join(tmpdir(), "startup-executable-"));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, "terraform-provider-auth0roles");
  writeFileSync(path, onlyEntry(zip).bytes);
  chmodSync(path, 0o755);
  labels.set(
    path,
    `release archive linux_amd64: self-contained executable (Node ${single.EMBEDDED_NODE_VERSION} inside)`,
  );
  const node = single.nodeBinary("linux_amd64");
  labels.set(node, `Node ${single.EMBEDDED_NODE_VERSION}'s own \`node -e 0\` (spawn -> exit)`);
  return { path, node, version: single.EMBEDDED_NODE_VERSION, floor: floorScript() };
}

function positiveInteger(flag: string, value: string, min = 1): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`${flag} must be an integer >= ${min}, got ${value}.`);
  return n;
}

type Env = Readonly<Record<string, string | undefined>>;

/** What a user's shell hands Terraform at the least: no NODE_EXTRA_CA_CERTS, no NODE_OPTIONS. */
function cleanEnv(): Env {
  return { PATH: process.env.PATH, HOME: process.env.HOME };
}

/**
 * The clean environment plus one self-signed CA in NODE_EXTRA_CA_CERTS, as Node users trust a
 * private CA (the CA file is removed at exit).
 */
function oneExtraCaEnv(): Env {
  const dir = mkdtempSync(join(tmpdir(), "startup-ca-"));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  const caFile = join(dir, "ca.pem");
  writeFileSync(caFile, generateSelfSignedCertificate().certPem);
  return { ...cleanEnv(), NODE_EXTRA_CA_CERTS: caFile };
}

/** Milliseconds from spawn to the exit of `node -e 0`: the floor any Node.js provider starts from. */
function timeNodeBaseline(env: Env, node: string = process.execPath): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(node, ["-e", "0"], { env, stdio: "ignore" });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0
        ? resolvePromise(performance.now() - started)
        : reject(new Error(`node -e 0 exited ${code}`)),
    );
  });
}

/**
 * The floor under any Node.js gRPC server's handshake, as this provider's transport is built: a
 * script that loads Node's http2 (which grpc-js needs) and listens with the provider's TLS options
 * (src/provider/plugin/listener.ts; a fixed P-256 certificate) on a unix socket, then prints one line.
 * It compiles nothing else and generates no certificate.
 */
function floorScript(): string {
  const dir = mkdtempSync(join(tmpdir(), "startup-floor-"));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  const identity = generateSelfSignedCertificate();
  const script = join(dir, "http2-tls-listener.js");
  const options = {
    cert: identity.certPem,
    key: identity.keyPem,
    ca: [],
    requestCert: true,
    rejectUnauthorized: false,
    ALPNProtocols: ["h2"],
  };
  writeFileSync(
    script,
    `require("node:http2");
const server = require("node:tls").createServer(${JSON.stringify(options)});
server.listen(require("node:path").join(${JSON.stringify(dir)}, process.pid + ".sock"), () => process.stdout.write("listening\\n"));
`,
  );
  return script;
}

/** Milliseconds from spawn to the first line `script` prints; the process is then killed. */
function timeFirstLine(env: Env, node: string, script: string): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(node, [script], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    let elapsed: number | undefined;
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdout.once("data", () => {
      elapsed = performance.now() - started;
      child.kill("SIGKILL");
    });
    child.on("error", reject);
    child.on("close", () =>
      elapsed === undefined
        ? reject(new Error(`${script} printed nothing.\n${stderr}`))
        : resolvePromise(elapsed),
    );
  });
}

interface ProviderTiming {
  /** From spawn to the handshake line. */
  readonly handshake: number;
  /** From the handshake line to the answer to a first GetProviderSchema, as Terraform's first call (NaN: SIGTERM). */
  readonly firstCall: number;
  /** From the Shutdown answer to the process's exit, which Terraform waits for as well (NaN: SIGTERM). */
  readonly exit: number;
}

/**
 * Times the provider from spawn to its handshake line, then shuts it down over gRPC as Terraform
 * does, or with `terminate` at once with SIGTERM (a profiled run then ends as close to the handshake
 * as it can).
 */
function timeProvider(
  executable: string,
  clientCert: SelfSignedCertificate,
  base: Env,
  terminate = false,
): Promise<ProviderTiming> {
  const env: NodeJS.ProcessEnv = {
    ...base,
    [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE,
    PLUGIN_PROTOCOL_VERSIONS: "6",
    PLUGIN_MIN_PORT: "10000",
    PLUGIN_MAX_PORT: "25000",
    PLUGIN_CLIENT_CERT: clientCert.certPem,
    CHECKPOINT_DISABLE: "1",
  };
  delete env.TF_DISABLE_PLUGIN_TLS;
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(executable, [], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let elapsed: number | undefined;
    let answered = Number.NaN;
    let firstCall = Number.NaN;
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      const newline = stdout.indexOf("\n");
      if (elapsed !== undefined || newline < 0) return;
      elapsed = performance.now() - started;
      if (terminate) {
        child.kill("SIGTERM");
        return;
      }
      const client = new PluginClient(parseHandshake(stdout.slice(0, newline + 1)), clientCert);
      client
        .call("GetProviderSchema", {})
        .then(() => {
          firstCall = performance.now() - started - (elapsed as number);
          return client.shutdown();
        })
        .then(() => {
          answered = performance.now();
        })
        .catch((error: unknown) => {
          child.kill("SIGKILL");
          reject(error);
        })
        .finally(() => client.close());
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (elapsed !== undefined && code === 0)
        resolvePromise({ handshake: elapsed, firstCall, exit: performance.now() - answered });
      else
        reject(
          new Error(`${executable} ended (${code ?? signal}) without a clean handshake/shutdown.\n${stderr}`),
        );
    });
  });
}

function percentile(sorted: readonly number[], p: number): number {
  // Nearest-rank: the smallest sample with at least p% of samples at or below it.
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

interface Summary {
  readonly median: number;
  readonly p90: number;
  readonly min: number;
}

function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), p90: percentile(sorted, 90), min: sorted[0] as number };
}

/** One measured command in one environment; `baseline` is the `node -e 0` its ratio divides by. */
interface Subject {
  readonly label: string;
  readonly envName: string;
  readonly baseline: Subject | null;
  readonly run: () => Promise<ProviderTiming>;
  readonly samples: number[];
  readonly firstCallSamples: number[];
  readonly exitSamples: number[];
}

function subjectsFor(
  envName: string,
  env: Env,
  options: Options,
  clientCert: SelfSignedCertificate,
): Subject[] {
  const node: Subject = {
    label: "`node -e 0` (spawn -> exit)",
    envName,
    baseline: null,
    run: async () => ({ handshake: await timeNodeBaseline(env), firstCall: Number.NaN, exit: Number.NaN }),
    samples: [],
    firstCallSamples: [],
    exitSamples: [],
  };
  const embedded: Subject[] =
    options.executable === null
      ? []
      : [
          {
            label: label(options.executable.node),
            envName,
            baseline: null,
            run: async () => ({
              handshake: await timeNodeBaseline(env, options.executable?.node),
              firstCall: Number.NaN,
              exit: Number.NaN,
            }),
            samples: [],
            firstCallSamples: [],
            exitSamples: [],
          },
        ];
  const floor: Subject[] =
    options.executable === null
      ? []
      : [
          {
            label: `floor: Node ${options.executable.version} loading http2 and listening with the provider's TLS options, no gRPC (spawn -> listening)`,
            envName,
            baseline: embedded[0] as Subject,
            run: async () => ({
              handshake: await timeFirstLine(
                env,
                options.executable?.node as string,
                options.executable?.floor as string,
              ),
              firstCall: Number.NaN,
              exit: Number.NaN,
            }),
            samples: [],
            firstCallSamples: [],
            exitSamples: [],
          },
        ];
  const executableSubjects: Subject[] =
    options.executable === null
      ? []
      : [
          {
            label: `${label(options.executable.path)} (spawn -> handshake)`,
            envName,
            baseline: embedded[0] as Subject,
            run: () => timeProvider(options.executable?.path as string, clientCert, env),
            samples: [],
            firstCallSamples: [],
            exitSamples: [],
          },
        ];
  return [
    node,
    ...embedded,
    ...floor,
    ...executableSubjects,
    ...options.providers.map((provider) => ({
      label: `${label(provider)} (spawn -> handshake)`,
      envName,
      baseline: node,
      run: () => timeProvider(provider, clientCert, env),
      samples: [],
      firstCallSamples: [],
      exitSamples: [],
    })),
  ];
}

/**
 * Leaves the code cache a user's machine holds after its first plan: one process that configures
 * the provider (configureOffline: configuring makes no call) rewrites the
 * cache with the API client, refresh and plan code, and caches the API client's own bundle. The
 * measured processes only answer GetProviderSchema, so without this they would read the smaller
 * cache of a machine that has never planned.
 */
async function primeCodeCache(executable: string): Promise<void> {
  const provider = await ProviderProcess.start({ command: [executable], env: cleanEnv() });
  try {
    await provider.client.call("GetProviderSchema", {});
    const diagnostics = await configureOffline(provider);
    if (diagnostics.length > 0)
      throw new Error(`${executable} refused its configuration: ${JSON.stringify(diagnostics)}`);
    await provider.shutdown();
  } finally {
    await provider.kill();
  }
}

async function main(): Promise<void> {
  const options = await parseOptions(process.argv.slice(2));
  const clientCert = generateSelfSignedCertificate();
  for (const executable of [...options.providers, ...(options.executable ? [options.executable.path] : [])])
    await primeCodeCache(executable);
  const subjects = [
    ...subjectsFor("clean (PATH, HOME)", cleanEnv(), options, clientCert),
    ...subjectsFor("clean + one CA in NODE_EXTRA_CA_CERTS", oneExtraCaEnv(), options, clientCert),
    ...subjectsFor("this machine's", process.env, options, clientCert),
  ];

  for (let i = 0; i < options.warmup + options.runs; i++) {
    // Every round starts one subject later, so no command always runs first (or after the same one).
    for (let k = 0; k < subjects.length; k++) {
      const subject = subjects[(i + k) % subjects.length] as Subject;
      const timing = await subject.run();
      if (i >= options.warmup) {
        subject.samples.push(timing.handshake);
        if (!Number.isNaN(timing.firstCall)) subject.firstCallSamples.push(timing.firstCall);
        if (!Number.isNaN(timing.exit)) subject.exitSamples.push(timing.exit);
      }
    }
  }

  const summaries = new Map(subjects.map((s) => [s, summarize(s.samples)]));
  const lines = [
    `node ${process.version}, ${process.platform}/${process.arch}, ${options.runs} runs each after ${options.warmup} warm-up, interleaved in rotating order; 1-minute load average ${loadavg()[0]?.toFixed(2)}`,
    `this machine's environment sets: ${describeEnv()}`,
    "",
    "| environment | command | median ms | p90 ms | min ms | median / node -e 0 (the executable: of the Node inside it) | handshake -> first GetProviderSchema answered, median ms | Shutdown answered -> exit, median ms |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const subject of subjects) {
    const s = summaries.get(subject) as Summary;
    const base = subject.baseline === null ? undefined : summaries.get(subject.baseline);
    const ratio = base === undefined ? "1.00x" : `**${(s.median / base.median).toFixed(2)}x**`;
    const medianOf = (samples: number[]) => (samples.length > 0 ? summarize(samples).median.toFixed(1) : "");
    const firstCall = medianOf(subject.firstCallSamples);
    const exit = medianOf(subject.exitSamples);
    lines.push(
      `| ${subject.envName} | ${subject.label} | ${s.median.toFixed(1)} | ${s.p90.toFixed(1)} | ${s.min.toFixed(1)} | ${ratio} | ${firstCall} | ${exit} |`,
    );
  }
  process.stdout.write(`${lines.join("\n")}\n`);
  if (options.profile > 0) {
    await profileStartups(launcherTarget(options.providers[0] as string), options.profile, clientCert);
    if (options.executable !== null)
      await profileStartups(executableTarget(options.executable.path), options.profile, clientCert);
  }
}

/**
 * The bundle an executable runs (next to it in a mirror package, or in ../dist for bin/) and a source
 * map for it: its own, or dist/'s when the bundle is a byte-for-byte copy of dist/'s (packages carry
 * no maps).
 */
function bundleOf(executable: string): { bundle: string; map: string } {
  const dir = dirname(realpathSync(executable));
  const bundle =
    [join(dir, "provider-bundle.js"), join(dir, "..", "dist", "provider-bundle.js")].find(existsSync) ?? "";
  const built = resolve("dist", "provider-bundle.js");
  const sameAsBuilt = bundle !== "" && existsSync(built) && readFileSync(bundle).equals(readFileSync(built));
  return { bundle, map: existsSync(`${bundle}.map`) || !sameAsBuilt ? `${bundle}.map` : `${built}.map` };
}

/** How one executable is profiled: its environment, and the bundle its profiles sample. */
interface ProfileTarget {
  readonly executable: string;
  readonly env: (profiles: string) => Env;
  readonly bundle: string;
  readonly map: string;
}

/** A launcher runs `node` from PATH, which Node 20 lets no NODE_OPTIONS profile: a shim does. */
function launcherTarget(executable: string): ProfileTarget {
  return {
    executable,
    env: (profiles) => ({ ...cleanEnv(), PATH: `${profilingShim(profiles)}:${process.env.PATH ?? ""}` }),
    ...bundleOf(executable),
  };
}

/** The executable's Node reads NODE_OPTIONS; its bundle asset is dist/'s, byte for byte. */
function executableTarget(executable: string): ProfileTarget {
  return {
    executable,
    env: (profiles) => ({ ...cleanEnv(), NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profiles}` }),
    bundle: resolve("dist", "provider-bundle.js"),
    map: resolve("dist", "provider-bundle.js.map"),
  };
}

/** Where the start-up time goes, from CPU profiles of `runs` start-ups in the clean environment. */
async function profileStartups(target: ProfileTarget, runs: number, clientCert: SelfSignedCertificate) {
  const dir = mkdtempSync(join(tmpdir(), "startup-profile-"));
  try {
    const env = target.env(dir);
    const samples: number[] = [];
    for (let i = 0; i < runs; i++)
      samples.push((await timeProvider(target.executable, clientCert, env, true)).handshake);
    process.stdout.write(
      `\n${label(target.executable)}: ${runs} start-ups under the profiler (clean environment), spawn -> handshake median ${summarize(samples).median.toFixed(1)} ms; each profile runs from Node's bootstrap to the exit that SIGTERM at the handshake causes, self time per run:\n`,
    );
    process.stdout.write(`\n${reportProfiles(dir, target.bundle, runs, target.map)}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The variables that change how Node starts, as the machine's row ran with them. */
function describeEnv(): string {
  const names = Object.keys(process.env).filter((name) => /^NODE_|^OPENSSL_|^SSL_CERT|^GRPC_/.test(name));
  return names.length > 0 ? names.sort().join(", ") : "nothing that changes Node's start-up";
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/startup: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
