import { spawn } from "node:child_process";
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from "node:fs";
import { homedir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { ENGINES, type EngineSpec } from "./manifest";

/**
 * Builds the engines of the manifest from the Go module proxy into a cache outside the checkout,
 * one directory per name and version. `go install module@version` refuses modules whose go.mod has
 * `replace` directives (Terraform >= 1.6 replaces its nested modules under internal/ with local
 * directories, OpenTofu replaces hcl with its fork), so each is built from a `go mod download` copy:
 * the module made writable, each locally replaced nested module downloaded at the release's commit
 * (as a pseudo-version) into its directory, then `go build`.
 */

export interface BuiltEngine {
  readonly spec: EngineSpec;
  /** Absolute path of the binary. */
  readonly path: string;
}

export class EngineBuildError extends Error {}

function enginesDir(env: NodeJS.ProcessEnv = process.env): string {
  return (
    env.AUTH0ROLES_ENGINES_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "auth0roles-engines")
  );
}

const binaryName = (spec: EngineSpec) => spec.name;
const cachedDir = (spec: EngineSpec) => join(enginesDir(), `${spec.name}-${spec.version}`);

/** The cached binary of `spec`, or undefined when it has not been built yet. */
function cachedEngine(spec: EngineSpec): BuiltEngine | undefined {
  const path = join(cachedDir(spec), binaryName(spec));
  return existsSync(path) ? { spec, path } : undefined;
}

/**
 * Every engine of the manifest, built where missing, two at a time: a build alone leaves about a
 * quarter of two cores idle (module downloads, the single-threaded link), which the other fills.
 * The result keeps the manifest's order.
 */
export async function ensureEngines(log: (line: string) => void): Promise<BuiltEngine[]> {
  const built: BuiltEngine[] = new Array(ENGINES.length);
  const failures: unknown[] = new Array(ENGINES.length);
  let next = 0;
  const lane = async () => {
    // After a failure no new build starts; the one running in the other lane ends first.
    while (next < ENGINES.length && !failures.some((f) => f !== undefined)) {
      const index = next++;
      try {
        built[index] = await ensureEngine(ENGINES[index] as EngineSpec, log);
      } catch (error) {
        failures[index] = error;
      }
    }
  };
  await Promise.all([lane(), lane()]);
  // The first failure in the manifest's order, whichever lane met it first.
  const failure = failures.find((f) => f !== undefined);
  if (failure !== undefined) throw failure;
  return built;
}

export async function ensureEngine(spec: EngineSpec, log: (line: string) => void): Promise<BuiltEngine> {
  return cachedEngine(spec) ?? (await buildEngine(spec, log));
}

/**
 * The environment that runs `engine`: `AUTH0ROLES_TERRAFORM` for the tests, its directory first on
 * PATH (so a terraform engine is the `terraform` that scripts and `review` find) and
 * `TERRAFORM_BINARY_NAME` for cdktf-cli.
 */
export function engineEnv(engine: BuiltEngine, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    ...base,
    AUTH0ROLES_TERRAFORM: engine.path,
    TERRAFORM_BINARY_NAME: engine.path,
    PATH: [dirname(engine.path), base.PATH].filter(Boolean).join(delimiter),
  };
}

export async function buildEngine(spec: EngineSpec, log: (line: string) => void): Promise<BuiltEngine> {
  const target = cachedDir(spec);
  const work = `${target}.building-${process.pid}`;
  removeAbandonedBuilds(spec);
  mkdirSync(work, { recursive: true });
  const logFile = join(work, "build.log");
  const started = Date.now();
  log(`engines: building ${spec.name} ${spec.version} from ${spec.module} (log: ${logFile})`);
  const go = goRunner(logFile);
  try {
    const module = await download(go, spec.module, `v${spec.version}`, work);
    const src = join(work, "src");
    await go.run("cp", ["-R", module.dir, src], work);
    await go.run("chmod", ["-R", "u+w", src], work);
    for (const nested of localReplaces(readFileSync(join(src, "go.mod"), "utf8"))) {
      const copy = await download(go, nested.module, pseudoVersion(module.info), work);
      await go.run("cp", ["-R", `${copy.dir}/.`, join(src, nested.dir)], work);
      await go.run("chmod", ["-R", "u+w", join(src, nested.dir)], work);
    }
    const ldflags = ["-s", "-w", ...spec.releaseFlags(spec.version)].join(" ");
    const output = join(work, binaryName(spec));
    // -w drops the DWARF at link time, so the compiler is told not to make it (the same code, less work).
    const gcflags = "all=-dwarf=false";
    await go.run(
      "go",
      ["build", "-trimpath", "-gcflags", gcflags, "-ldflags", ldflags, "-o", output, spec.main],
      src,
    );
    rmSync(src, { recursive: true, force: true });
    // Into place in one step: a build killed midway leaves only its .building- directory.
    rmSync(target, { recursive: true, force: true });
    renameSync(work, target);
  } catch (error) {
    rmSync(join(work, "src"), { recursive: true, force: true });
    throw error;
  } finally {
    go.close();
  }
  log(`engines: built ${spec.name} ${spec.version} in ${Math.round((Date.now() - started) / 1000)} s`);
  return { spec, path: join(target, binaryName(spec)) };
}

/** `.building-PID` directories of builds whose process is gone. */
function removeAbandonedBuilds(spec: EngineSpec): void {
  const dir = enginesDir();
  if (!existsSync(dir)) return;
  const prefix = `${spec.name}-${spec.version}.building-`;
  for (const entry of readdirSync(dir)) {
    if (!entry.startsWith(prefix)) continue;
    if (!processAlive(Number(entry.slice(prefix.length))))
      rmSync(join(dir, entry), { recursive: true, force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

interface ModuleInfo {
  readonly Version: string;
  readonly Time: string;
  readonly Origin?: { readonly Hash?: string };
}

interface Downloaded {
  readonly dir: string;
  readonly info: ModuleInfo;
}

async function download(go: GoRunner, module: string, version: string, cwd: string): Promise<Downloaded> {
  const { stdout } = await go.run("go", ["mod", "download", "-json", `${module}@${version}`], cwd, {
    allowFailure: true,
  });
  const answer = parseJson(stdout) as { Dir?: string; Info?: string; Error?: string } | undefined;
  if (answer === undefined) {
    // go failed before it could answer (a bad GOFLAGS, say): the reason is in its stderr, in the log.
    throw new EngineBuildError(
      `engines: go mod download ${module}@${version} gave no answer (${go.logFile})`,
    );
  }
  if (answer.Error !== undefined || !answer.Dir || !answer.Info) {
    throw new EngineBuildError(
      `engines: the Go module proxy did not give ${module}@${version}: ${answer.Error ?? "no directory"}`,
    );
  }
  return { dir: answer.Dir, info: JSON.parse(readFileSync(answer.Info, "utf8")) as ModuleInfo };
}

/** `v0.0.0-<commit time>-<first 12 of the commit hash>`: how a nested module of an untagged commit is named. */
export function pseudoVersion(info: ModuleInfo): string {
  const hash = info.Origin?.Hash;
  if (!hash) throw new EngineBuildError(`engines: the proxy's .info for ${info.Version} names no commit`);
  const time = info.Time.replace(/[-:T]/g, "").replace(/(\.\d+)?Z$/, "");
  return `v0.0.0-${time}-${hash.slice(0, 12)}`;
}

/** The `replace X => ./dir` lines of a go.mod (either form: one line, or in a `replace (...)` block). */
export function localReplaces(goMod: string): { module: string; dir: string }[] {
  return [...goMod.matchAll(/^\s*(?:replace\s+)?(\S+)(?:\s+v\d\S*)?\s+=>\s+\.\/(\S+)\s*$/gm)].map((m) => ({
    module: m[1] as string,
    dir: m[2] as string,
  }));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

interface GoRunner {
  readonly logFile: string;
  /** Ends the build log. */
  close(): void;
  run(
    command: string,
    args: readonly string[],
    cwd: string,
    options?: { allowFailure?: boolean },
  ): Promise<{ stdout: string }>;
}

/** Runs build steps with their stderr in the build log; a failed step's error quotes the log's tail. */
function goRunner(logFile: string): GoRunner {
  const logStream = createWriteStream(logFile, { flags: "a" });
  const env = { ...process.env, GOFLAGS: `-mod=mod ${process.env.GOFLAGS ?? ""}`.trim() };
  return {
    logFile,
    close: () => logStream.end(),
    run(command, args, cwd, options = {}) {
      logStream.write(`$ ${command} ${args.join(" ")}\n`);
      return new Promise((done, fail) => {
        const child = spawn(command, [...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => {
          stdout += d.toString();
        });
        child.stderr.on("data", (d: Buffer) => {
          stderr += d.toString();
          logStream.write(d);
        });
        child.on("error", (error) =>
          fail(
            new EngineBuildError(`engines: could not run ${command} (${error.message}); is Go installed?`),
          ),
        );
        child.on("close", (code) => {
          if (code === 0 || options.allowFailure) return done({ stdout });
          const tail = stderr.trim().split("\n").slice(-5).join("\n");
          fail(new EngineBuildError(`engines: ${command} ${args.join(" ")} failed (${logFile}):\n${tail}`));
        });
      });
    },
  };
}
