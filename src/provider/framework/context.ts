import type { Logger } from "../plugin/logger";

/** What a resource or data source gets from the configured provider for one call. */
export interface ProviderContext<Api> {
  /** The tenant's API; throws an error saying why when the provider could not be configured. */
  api(): Api;
  /**
   * The same signal for the whole call: aborted when Terraform asks the provider to stop (Ctrl-C),
   * cancels the call or dies, or when the call's time (the provider's operation_timeout) is up.
   * Every API call of it takes it.
   */
  signal(): AbortSignal;
  readonly logger: Logger;
}
