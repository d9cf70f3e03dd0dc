import { execFileSync } from "node:child_process";

/**
 * The engine every test runs: `AUTH0ROLES_TERRAFORM` (the absolute path of a terraform or tofu binary,
 * which `npm test` sets for each run from `npm run engines`), else `terraform` on PATH. Which engine
 * and version it is comes from its own `version` output, so tests can assert what that engine says.
 */
export interface Engine {
  /** What to spawn. */
  readonly command: string;
  readonly kind: "terraform" | "opentofu";
  /** e.g. "1.16.4" */
  readonly version: string;
  /** "Terraform" or "OpenTofu", as the engine names itself in its messages. */
  readonly displayName: string;
  /**
   * The registry a provider source without a host (`auth0/auth0`) resolves to. OpenTofu also reads
   * `registry.terraform.io` in a state file as its own registry.
   */
  readonly registry: "registry.terraform.io" | "registry.opentofu.org";
  /** What `init` prints when it succeeds. */
  readonly initialized: string;
  /** True when the version is at least major.minor. */
  atLeast(major: number, minor: number): boolean;
}

let detected: Engine | undefined;

export function engine(): Engine {
  detected ??= detect(process.env.AUTH0ROLES_TERRAFORM || "terraform");
  return detected;
}

function detect(command: string): Engine {
  let output: string;
  try {
    output = execFileSync(command, ["version"], {
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", CHECKPOINT_DISABLE: "1" },
    });
  } catch (error) {
    throw new Error(
      `Cannot run the engine "${command}" (${(error as Error).message}). Set AUTH0ROLES_TERRAFORM to a ` +
        "terraform or tofu binary, put terraform on PATH, or run `npm test`, which builds them (`npm run engines`).",
    );
  }
  const match = /^(Terraform|OpenTofu) v(\d+)\.(\d+)\.(\d+)/m.exec(output);
  if (!match) throw new Error(`"${command} version" printed no Terraform or OpenTofu version:\n${output}`);
  const [, displayName = "", ...parts] = match;
  const [major, minor] = parts.map(Number) as [number, number, number];
  return {
    command,
    kind: displayName === "OpenTofu" ? "opentofu" : "terraform",
    version: parts.join("."),
    displayName,
    registry: displayName === "OpenTofu" ? "registry.opentofu.org" : "registry.terraform.io",
    initialized: `${displayName} has been successfully initialized!`,
    atLeast: (wantMajor, wantMinor) => major > wantMajor || (major === wantMajor && minor >= wantMinor),
  };
}

/**
 * Fails (never skips) when the engine is older than a feature needs: these suites run on the newest
 * engine, and a silent pass on an old one would claim what nothing tested.
 */
export function requireEngine(
  feature: string,
  minimums: { terraform: [number, number]; opentofu?: [number, number] },
): void {
  const e = engine();
  const minimum = minimums[e.kind];
  if (minimum === undefined || !e.atLeast(...minimum)) {
    const name = (m: [number, number]) => m.join(".");
    const needed = `Terraform >= ${name(minimums.terraform)}${minimums.opentofu ? ` or OpenTofu >= ${name(minimums.opentofu)}` : ""}`;
    throw new Error(
      `${feature} needs ${needed}; AUTH0ROLES_TERRAFORM runs ${e.displayName} ${e.version}. ` +
        "Point AUTH0ROLES_TERRAFORM at a newer engine (`npm run engines`).",
    );
  }
}
