/**
 * The engines this repository is tested with, and the Go tools its release needs, built from the Go
 * module proxy by `npm run engines`. This is the only place their versions are pinned.
 *
 * How they were chosen (2026-12-07): the newest 1.x release whose `.zip` the Go module proxy serves
 * (a HEAD of `<GOPROXY>/<module>/@v/<version>.zip` answers 200). Terraform v1.17.0-v1.17.3 have an
 * `.info` there but their `.zip` is refused ("not available"), and v1.16.5 is not served, so the newest
 * buildable Terraform is v1.16.4. OpenTofu 1.13.x is not served; v1.12.6 is. Terraform 1.5.7 is the
 * last MPL-licensed release, still widely pinned. `npm run engines -- --check-newer` lists newer
 * versions the proxy serves a zip for, to move these pins.
 */

export type EngineName = "terraform" | "tofu" | "terraform-provider-auth0" | "quill";

export interface EngineSpec {
  readonly name: EngineName;
  readonly module: string;
  /** Without the leading "v". */
  readonly version: string;
  /** The main package inside the module. */
  readonly main: string;
  /** Linker -X flags a release build sets (without them the binary calls itself a "-dev" build). */
  readonly releaseFlags: (version: string) => readonly string[];
  /** What `npm test` runs on it: the whole suite, the core end-to-end set, or nothing (a provider, a tool). */
  readonly suite: "whole" | "core" | "none";
  /** Test files run beside the core set, for what this engine supports and older ones do not. */
  readonly alsoRuns?: readonly string[];
}

const TERRAFORM_RELEASE = () => ["-X github.com/hashicorp/terraform/version.dev=no"];

export const ENGINES: readonly EngineSpec[] = [
  {
    name: "terraform",
    module: "github.com/hashicorp/terraform",
    version: "1.16.4",
    main: ".",
    releaseFlags: TERRAFORM_RELEASE,
    suite: "whole",
  },
  {
    name: "terraform",
    module: "github.com/hashicorp/terraform",
    version: "1.5.7",
    main: ".",
    releaseFlags: TERRAFORM_RELEASE,
    suite: "core",
  },
  {
    name: "tofu",
    module: "github.com/opentofu/opentofu",
    version: "1.12.6",
    main: "./cmd/tofu",
    releaseFlags: () => ["-X github.com/opentofu/opentofu/version.dev=no"],
    suite: "core",
    // Resource identity (OpenTofu >= 1.12); OpenTofu has no `query`.
    alsoRuns: ["test/e2e/identity.test.ts"],
  },
  {
    // The official Auth0 provider, for the tests of migrating from it (`AUTH0ROLES_OFFICIAL_PROVIDER`).
    name: "terraform-provider-auth0",
    module: "github.com/auth0/terraform-provider-auth0",
    version: "1.57.0",
    main: ".",
    releaseFlags: (version) => [
      `-X github.com/auth0/terraform-provider-auth0/internal/config.version=${version}`,
    ],
    suite: "none",
  },
  {
    // Signs the macOS release executables ad hoc off a Mac (`AUTH0ROLES_QUILL`; go.mod has no replace).
    name: "quill",
    module: "github.com/anchore/quill",
    version: "0.5.1",
    main: "./cmd/quill",
    releaseFlags: (version) => [`-X main.version=${version}`],
    suite: "none",
  },
];
