import { createLogger } from "../plugin/logger";
import { servePlugin } from "../plugin/server";
import type { TfObject } from "../protocol/values";
import { Auth0RolesProvider } from "../provider";
import { markCodeCacheComplete } from "./code-cache-hook";
import { PROVIDER_TYPE } from "./provider-names";

/**
 * The provider as Terraform's provider process serves it. A configured process is the one that goes
 * on to refresh and plan (or apply): its code cache is the one every later process should start from.
 */
class ServedProvider extends Auth0RolesProvider {
  override async configureProvider(config: TfObject, terraformVersion: string) {
    markCodeCacheComplete();
    return super.configureProvider(config, terraformVersion);
  }
}

/** Entry point of `terraform-provider-auth0roles`: Terraform starts it and talks gRPC to it. */
export async function serveProvider(): Promise<void> {
  const logger = createLogger(`provider.${PROVIDER_TYPE}`);
  await servePlugin(new ServedProvider({ logger }), { logger });
}
