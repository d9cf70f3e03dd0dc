import { join } from "node:path";
import { layOutProvider, lockProvider, providerHashes } from "../distribution/mirror";
import { type PackageFile, providerPackageFiles } from "../distribution/provider-package";
import type { ConstructLibrary, IConstruct } from "./library";

interface ProviderBuild {
  readonly files: readonly PackageFile[];
  readonly hashes: readonly string[];
}

/**
 * Read and hashed on the first synth only: every stack of an app (and every synth in one process)
 * gets the same build, and hashing means zipping the ~800 KB bundle.
 */
let build: ProviderBuild | undefined;

function providerBuild(): ProviderBuild {
  if (build === undefined) {
    const files = providerPackageFiles();
    build = { files, hashes: providerHashes(files) };
  }
  return build;
}

/**
 * Makes a synthesized stack installable with no registry and no CLI configuration: on every synth
 * the provider package is laid out in `terraform.d/plugins` next to the stack's `cdk.tf.json` (a
 * mirror Terraform searches by itself) and recorded in the stack's `.terraform.lock.hcl` (merged
 * with the other providers there). cdktf-cli then finds a matching lock entry and skips its
 * `terraform providers lock`, which cannot reach a registry for this provider.
 */
export function addProviderFiles(provider: IConstruct, library: ConstructLibrary): void {
  library.stackOf(provider);
  library.onSynthesize(provider, (stackDir) => {
    const { files, hashes } = providerBuild();
    layOutProvider(join(stackDir, "terraform.d", "plugins"), files);
    lockProvider(join(stackDir, ".terraform.lock.hcl"), hashes);
  });
}
