import { addProviderFiles } from "auth0-org-member-roles/constructs";
import type { Construct } from "constructs";
import {
  type Auth0RolesProviderConfig,
  Auth0RolesProvider as GeneratedAuth0RolesProvider,
} from "./generated/provider";
import { CDKTF } from "./library";

/**
 * The provider block, plus what lets `cdktf deploy` install the provider with no registry: on
 * synth the provider package goes to `terraform.d/plugins` beside the stack's `cdk.tf.json` and
 * into the stack's `.terraform.lock.hcl`.
 */
export class Auth0RolesProvider extends GeneratedAuth0RolesProvider {
  constructor(scope: Construct, id: string, config: Auth0RolesProviderConfig = {}) {
    super(scope, id, config);
    addProviderFiles(this, CDKTF);
  }
}
