import { join } from "node:path";
import { TerraformStack } from "cdktf";
// Not re-exported from the package root, but it is the hook cdktf's own constructs use to write
// files next to a stack at synth time; cdktf is at its final release, so it will not move.
import { addCustomSynthesis } from "cdktf/lib/synthesize/synthesizer";
import type { Construct } from "constructs";
import { PROVIDER_ENTRY_POINT } from "../provider/entry-point";
import { installProvider } from "../provider/install";
import {
  type Auth0RolesProviderConfig,
  Auth0RolesProvider as GeneratedAuth0RolesProvider,
} from "./generated/provider";

/**
 * The provider block, plus the wiring that lets `cdktf deploy` (or `terraform init` in the
 * synthesized stack) find the provider without a registry: on synth it lays the provider out in
 * `terraform.d/plugins` next to the stack's `cdk.tf.json`, a mirror Terraform searches by itself.
 * The launcher there points at this installed package, so synth and deploy run on one machine,
 * as they do in a pipeline job.
 */
export class Auth0RolesProvider extends GeneratedAuth0RolesProvider {
  constructor(scope: Construct, id: string, config: Auth0RolesProviderConfig = {}) {
    super(scope, id, config);
    addCustomSynthesis(this, {
      onSynthesize: (session) => {
        const stackDir = session.manifest.forStack(TerraformStack.of(this)).workingDirectory;
        installProvider(join(session.outdir, stackDir, "terraform.d", "plugins"), PROVIDER_ENTRY_POINT);
      },
    });
  }
}
