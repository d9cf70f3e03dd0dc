import { PROVIDER_TYPE } from "./identity";
import { createLogger } from "./plugin/logger";
import { servePlugin } from "./plugin/server";
import { Auth0RolesProvider } from "./provider";

/** Entry point of `terraform-provider-auth0roles`: Terraform starts it and talks gRPC to it. */
export async function serveProvider(): Promise<void> {
  const logger = createLogger(`provider.${PROVIDER_TYPE}`);
  await servePlugin(new Auth0RolesProvider({ logger }), { logger });
}
