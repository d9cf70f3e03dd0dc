import type { Logger } from "../plugin/logger";

/** What a resource or data source gets from the configured provider for one call. */
export interface ProviderContext<Api> {
  /** The tenant's API; throws an error saying why when the provider could not be configured. */
  api(): Api;
  /** Aborted when Terraform asks the provider to stop (Ctrl-C), cancels the RPC, or dies. */
  signal(): AbortSignal;
  readonly logger: Logger;
}
