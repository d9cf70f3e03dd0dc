import { execFileSync } from "node:child_process";
import { TERRAFORM_BINARY } from "./terraform";

/** The engine the tests run (AUTH0ROLES_TERRAFORM): its name and version, from `version -json`. */
export function engineVersion(): { name: "terraform" | "tofu"; version: string } {
  const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", CHECKPOINT_DISABLE: "1" };
  const text = execFileSync(TERRAFORM_BINARY, ["version"], { env, encoding: "utf8" });
  const json = execFileSync(TERRAFORM_BINARY, ["version", "-json"], { env, encoding: "utf8" });
  const version = (JSON.parse(json) as { terraform_version: string }).terraform_version;
  return { name: text.startsWith("OpenTofu") ? "tofu" : "terraform", version };
}

function atLeast(version: string, minimum: string): boolean {
  const parts = (v: string) => v.split(/[.-]/).slice(0, 3).map(Number);
  const [a, b] = [parts(version), parts(minimum)];
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

/**
 * Fails (never skips) when the engine is older than what a feature needs: these suites are meant to
 * run on the newest engine, and a silent pass on an old one would claim what nothing tested.
 */
export function requireEngine(feature: string, minimums: { terraform: string; tofu?: string }): void {
  const { name, version } = engineVersion();
  const minimum = minimums[name];
  if (minimum === undefined || !atLeast(version, minimum)) {
    const needed = `Terraform >= ${minimums.terraform}${minimums.tofu ? ` or OpenTofu >= ${minimums.tofu}` : ""}`;
    throw new Error(
      `${feature} needs ${needed}; AUTH0ROLES_TERRAFORM runs ${name} ${version}. ` +
        "Point AUTH0ROLES_TERRAFORM at a newer engine.",
    );
  }
}
