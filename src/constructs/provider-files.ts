import { join } from "node:path";
import type { IConstruct } from "constructs";
import { installProvider, lockProvider } from "../distribution/mirror";
import type { ConstructLibrary } from "./library";

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
    const installed = installProvider(join(stackDir, "terraform.d", "plugins"));
    lockProvider(join(stackDir, ".terraform.lock.hcl"), installed.hashes);
  });
}
