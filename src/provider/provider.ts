import { ConfigurationError } from "../management/errors";
import { failureDiagnostic } from "./api-diagnostics";
import { resolveProviderSettings, validateProviderBlock } from "./config";
import { type RolesApi, RolesDataSource } from "./data-sources/roles";
import { type Configured, type ProviderDefinition, ProviderServer } from "./framework";
import { ManagementClient } from "./management-client";
import { OPERATION_TIMEOUT, OPERATION_TIMEOUT_ENV } from "./operation-timeout";
import type { LogFields, Logger } from "./plugin/logger";
import type { TfObject } from "./protocol/values";
import { MemberRolesService } from "./resources/bulk-refresh";
import { type MemberRolesApi, OrganizationMemberRolesResource } from "./resources/organization-member-roles";
import { OrganizationRolesResource } from "./resources/organization-roles";
import type { OrganizationRolesApi } from "./resources/organization-sync";
import { providerSchema } from "./schema";
import { PROVIDER_TYPE, PROVIDER_VERSION } from "./startup/provider-names";

type Env = Readonly<Record<string, string | undefined>>;

export interface ProviderOptions {
  readonly logger: Logger;
  readonly env?: Env;
}

/** What every resource and data source of this provider calls: one per configured provider process. */
export type Auth0Api = MemberRolesApi & OrganizationRolesApi & RolesApi;

/** This provider's resources and data sources, in the order `terraform providers schema` lists them. */
export function auth0RolesDefinition(options: ProviderOptions): ProviderDefinition<Auth0Api> {
  const env = options.env ?? process.env;
  return {
    schema: providerSchema,
    resources: [new OrganizationMemberRolesResource(), new OrganizationRolesResource()],
    dataSources: [new RolesDataSource()],
    validate: validateProviderBlock,
    configure: (config, terraformVersion) => configure(config, terraformVersion, env, options.logger),
  };
}

/**
 * The provider as Terraform sees it, independent of gRPC: one configured Management API client
 * shared by every resource call in this process, so that its pacing and bulk refresh see every call.
 */
export class Auth0RolesProvider extends ProviderServer<Auth0Api> {
  constructor(options: ProviderOptions) {
    super(auth0RolesDefinition(options), options.logger);
  }
}

async function configure(
  config: TfObject,
  terraformVersion: string,
  env: Env,
  logger: Logger,
): Promise<Configured<Auth0Api>> {
  const resolved = resolveProviderSettings(config, env);
  if (resolved.ok === "deferred") {
    return {
      unavailable:
        "The provider block depends on values that are not known until apply. Set domain and credentials " +
        "from variables or the AUTH0_* environment variables instead of other resources' attributes.",
      diagnostics: [],
    };
  }
  if (resolved.ok === false) {
    return { unavailable: "The provider configuration is invalid.", diagnostics: resolved.diagnostics };
  }
  try {
    const client = new ManagementClient({
      domain: resolved.settings.domain,
      credentials: resolved.settings.credentials,
      logger,
      userAgent: `terraform-provider-${PROVIDER_TYPE}/${PROVIDER_VERSION} terraform/${terraformVersion}`,
      maxRequestsPerSecond: resolved.settings.tuning.maxRequestsPerSecond,
      // The operation's deadline bounds every call; no single call may outlast it on its own.
      retry: { deadlineMs: resolved.settings.tuning.operationTimeoutMs },
    });
    const { bulkRefresh, operationTimeoutMs } = resolved.settings.tuning;
    const debug = (message: string, fields: LogFields) => logger.debug(message, fields);
    logger.debug("provider configured", {
      base_url: client.baseUrl,
      credentials: resolved.settings.credentials.kind,
      bulk_refresh: bulkRefresh,
      max_requests_per_second: resolved.settings.tuning.maxRequestsPerSecond ?? "unset",
      operation_timeout_ms: operationTimeoutMs,
    });
    return {
      api: new MemberRolesService(client, { bulkRefresh, debug, planChecks: resolved.settings.planChecks }),
      deadline: { timeoutMs: operationTimeoutMs, setting: `${OPERATION_TIMEOUT}, ${OPERATION_TIMEOUT_ENV}` },
    };
  } catch (error) {
    if (error instanceof ConfigurationError) {
      return {
        unavailable: "The provider configuration is invalid.",
        diagnostics: [failureDiagnostic("Invalid provider configuration", error)],
      };
    }
    throw error;
  }
}
