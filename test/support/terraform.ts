import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cliConfigFor, installProvider } from "../../src/distribution/mirror";
import { PROVIDER_PLATFORMS } from "../../src/distribution/provider-package";
import { engine } from "./engine";

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * A throwaway Terraform working directory wired to this repository's built provider (`npm test`
 * builds it before jest runs): through a plugin mirror named in its own CLI configuration, or,
 * given `stackDir` (a synthesized CDKTF stack), through the mirror the stack carries in
 * `terraform.d/plugins` and an empty CLI configuration - what a user's machine has.
 */
export class TerraformWorkspace {
  readonly dir: string;
  private readonly cliConfig: string;
  private readonly root: string;
  private readonly mirrored: string[] = [];

  constructor(
    private readonly baseEnv: Readonly<Record<string, string>> = {},
    options: { stackDir?: string } = {},
  ) {
    this.root = mkdtempSync(join(tmpdir(), "auth0roles-e2e-"));
    this.cliConfig = join(this.root, "terraform.rc");
    if (options.stackDir) {
      this.dir = options.stackDir;
      writeFileSync(this.cliConfig, "");
    } else {
      this.dir = join(this.root, "work");
      mkdirSync(this.dir);
      const mirror = installProvider(join(this.root, "mirror"));
      writeFileSync(this.cliConfig, cliConfigFor(mirror.mirrorDir));
    }
  }

  /**
   * Adds another provider (`HOST/NAMESPACE/TYPE`) to this workspace's plugin mirror, served by the
   * bundled JavaScript `entryFile`, and from then on installs every provider from the mirror alone:
   * no registry is asked, so a provider missing from the mirror fails `init` without network.
   */
  mirrorProvider(source: string, version: string, entryFile: string): void {
    const type = source.split("/")[2];
    for (const platform of PROVIDER_PLATFORMS) {
      const dir = join(this.root, "mirror", source, version, platform);
      mkdirSync(dir, { recursive: true });
      const executable = join(dir, `terraform-provider-${type}_v${version}`);
      writeFileSync(executable, `#!/usr/bin/env node\nrequire(${JSON.stringify(entryFile)});\n`);
      chmodSync(executable, 0o755);
    }
    this.mirrored.push(source);
    this.mirrorOnly();
  }

  /**
   * Adds a provider built for this machine (`executable`, e.g. the official Auth0 provider) to the
   * mirror as `SOURCE/VERSION/linux_amd64/terraform-provider-TYPE_vVERSION`, and from then on
   * installs every provider from the mirror alone. A link, not a copy: the executable is tens of MB.
   */
  mirrorExecutable(source: string, version: string, executable: string): void {
    const type = source.split("/")[2];
    const dir = join(this.root, "mirror", source, version, `${process.platform}_${goArch()}`);
    mkdirSync(dir, { recursive: true });
    symlinkSync(executable, join(dir, `terraform-provider-${type}_v${version}`));
    this.mirrored.push(source);
    this.mirrorOnly();
  }

  /** Installs providers from the mirror alone (this repository's, plus those given to mirrorProvider). */
  mirrorOnly(): void {
    const include = ["terraform.local/rolesascode/auth0roles", ...this.mirrored];
    writeFileSync(
      this.cliConfig,
      `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(join(this.root, "mirror"))}\n` +
        `    include = ${JSON.stringify(include)}\n  }\n}\n`,
    );
  }

  /** Writes `main.tf.json` (an object) or `main.tf` (HCL text). */
  writeConfig(config: string | object): void {
    rmSync(join(this.dir, "main.tf"), { force: true });
    rmSync(join(this.dir, "main.tf.json"), { force: true });
    if (typeof config === "string") writeFileSync(join(this.dir, "main.tf"), config);
    else writeFileSync(join(this.dir, "main.tf.json"), JSON.stringify(config, null, 2));
  }

  /** Writes a file into the working directory. */
  writeFile(name: string, content: string): void {
    writeFileSync(join(this.dir, name), content);
  }

  /** Starts terraform without waiting for it, e.g. to kill it midway. */
  start(args: readonly string[], extraEnv: Readonly<Record<string, string>> = {}): ChildProcess {
    return spawn(engine().command, [...args], { cwd: this.dir, env: this.env(extraEnv), stdio: "ignore" });
  }

  /** The directory the workspace lives in; the provider Terraform starts runs from the mirror under it. */
  get rootDir(): string {
    return this.root;
  }

  private env(extraEnv: Readonly<Record<string, string>>): Record<string, string> {
    return {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: this.root,
      TF_CLI_CONFIG_FILE: this.cliConfig,
      CHECKPOINT_DISABLE: "1",
      TF_IN_AUTOMATION: "1",
      TF_INPUT: "0",
      ...this.baseEnv,
      ...extraEnv,
    };
  }

  run(args: readonly string[], extraEnv: Readonly<Record<string, string>> = {}): Promise<RunResult> {
    const env = this.env(extraEnv);
    return new Promise((resolvePromise, reject) => {
      const child = spawn(engine().command, [...args], {
        cwd: this.dir,
        env,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => {
        stdout += d.toString();
      });
      child.stderr.on("data", (d: Buffer) => {
        stderr += d.toString();
      });
      child.on("error", reject);
      child.on("close", (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
    });
  }

  /** Runs a command that must succeed; its output is in the error otherwise. */
  async ok(args: readonly string[], extraEnv: Readonly<Record<string, string>> = {}): Promise<RunResult> {
    const result = await this.run(args, extraEnv);
    if (result.code !== 0) {
      throw new Error(
        `terraform ${args.join(" ")} exited ${result.code}\n${result.stdout}\n${result.stderr}`,
      );
    }
    return result;
  }

  init(): Promise<RunResult> {
    return this.ok(["init", "-no-color", "-input=false"]);
  }

  apply(): Promise<RunResult> {
    return this.ok(["apply", "-no-color", "-auto-approve", "-input=false"]);
  }

  /** `terraform plan -detailed-exitcode`: 0 no changes, 2 changes, 1 error. */
  plan(): Promise<RunResult> {
    return this.run(["plan", "-no-color", "-input=false", "-detailed-exitcode"]);
  }

  async stateJson(): Promise<TerraformShowJson> {
    const { stdout } = await this.ok(["show", "-json", "-no-color"]);
    return JSON.parse(stdout) as TerraformShowJson;
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** Go's name for this machine's architecture, as Terraform's platform names use it. */
function goArch(): string {
  return process.arch === "x64" ? "amd64" : process.arch;
}

export interface TerraformShowJson {
  values?: {
    root_module?: {
      resources?: {
        address: string;
        type: string;
        values: Record<string, unknown>;
        /** Terraform >= 1.12, for resource types with an identity. */
        identity?: Record<string, unknown>;
        identity_schema_version?: number;
      }[];
    };
  };
}
