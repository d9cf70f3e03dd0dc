import { setMaxListeners } from "node:events";
import { ConfigurationError } from "../management/errors";
import { failureDiagnostic } from "./api-diagnostics";
import { resolveProviderSettings, validateProviderBlock } from "./config";
import { MEMBER_ROLES_RESOURCE, PROVIDER_TYPE, PROVIDER_VERSION } from "./identity";
import { ManagementClient } from "./management-client";
import type { LogFields, Logger } from "./plugin/logger";
import type { Diagnostic } from "./protocol/diagnostics";
import type { ProviderHandlers } from "./protocol/handlers";
import type { TfObject } from "./protocol/values";
import { MemberRolesService } from "./resources/bulk-refresh";
import { type MemberRolesApi, OrganizationMemberRolesResource } from "./resources/organization-member-roles";
import type { ResourceContext, ResourceType } from "./resources/resource";
import { providerSchema } from "./schema";

type Env = Readonly<Record<string, string | undefined>>;

export interface ProviderOptions {
  readonly logger: Logger;
  readonly env?: Env;
}

/** Why API calls cannot be made, in words the user can act on. */
type ClientState =
  | { readonly kind: "ready"; readonly api: MemberRolesService }
  | { readonly kind: "unconfigured"; readonly reason: string };

/**
 * The provider as Terraform sees it, independent of gRPC: one configured Management API client
 * shared by every resource call in this process, so that its pacing and bulk refresh see every call.
 */
export class Auth0RolesProvider implements ProviderHandlers {
  private readonly resources: ReadonlyMap<string, ResourceType<MemberRolesApi>> = new Map([
    [MEMBER_ROLES_RESOURCE, new OrganizationMemberRolesResource()],
  ]);
  private client: ClientState = {
    kind: "unconfigured",
    reason: "The provider was not configured before a resource was used.",
  };
  private stop = stopController();
  private readonly logger: Logger;
  private readonly env: Env;

  constructor(options: ProviderOptions) {
    this.logger = options.logger;
    this.env = options.env ?? process.env;
  }

  getProviderSchema() {
    return {
      provider: providerSchema,
      resourceSchemas: Object.fromEntries([...this.resources].map(([name, r]) => [name, r.schema])),
    };
  }

  validateProviderConfig(config: TfObject): Diagnostic[] {
    return validateProviderBlock(config);
  }

  validateResourceConfig(typeName: string, config: TfObject): Diagnostic[] {
    return this.resource(typeName).validate(config);
  }

  upgradeResourceState(typeName: string, version: number, rawState: Record<string, unknown>) {
    return this.resource(typeName).upgrade(version, rawState);
  }

  async configureProvider(config: TfObject, terraformVersion: string): Promise<Diagnostic[]> {
    const resolved = resolveProviderSettings(config, this.env);
    if (resolved.ok === "deferred") {
      this.client = {
        kind: "unconfigured",
        reason:
          "The provider block depends on values that are not known until apply. Set domain and credentials " +
          "from variables or the AUTH0_* environment variables instead of other resources' attributes.",
      };
      return [];
    }
    if (resolved.ok === false) return resolved.diagnostics;
    try {
      const client = new ManagementClient({
        domain: resolved.settings.domain,
        credentials: resolved.settings.credentials,
        logger: this.logger,
        userAgent: `terraform-provider-${PROVIDER_TYPE}/${PROVIDER_VERSION} terraform/${terraformVersion}`,
        maxRequestsPerSecond: resolved.settings.tuning.maxRequestsPerSecond,
      });
      const { bulkRefresh } = resolved.settings.tuning;
      const debug = (message: string, fields: LogFields) => this.logger.debug(message, fields);
      this.client = { kind: "ready", api: new MemberRolesService(client, { bulkRefresh, debug }) };
      this.logger.debug("provider configured", {
        base_url: client.baseUrl,
        credentials: resolved.settings.credentials.kind,
        bulk_refresh: bulkRefresh,
        max_requests_per_second: resolved.settings.tuning.maxRequestsPerSecond ?? "unset",
      });
      return [];
    } catch (error) {
      if (error instanceof ConfigurationError)
        return [failureDiagnostic("Invalid provider configuration", error)];
      throw error;
    }
  }

  async readResource(req: { typeName: string; currentState: TfObject; cancelled?: AbortSignal }) {
    return this.resource(req.typeName).read(req.currentState, this.context(req.cancelled));
  }

  async planResourceChange(req: {
    typeName: string;
    priorState: TfObject | null;
    proposedNewState: TfObject | null;
    config: TfObject | null;
  }) {
    return this.resource(req.typeName).plan(req);
  }

  async applyResourceChange(req: {
    typeName: string;
    priorState: TfObject | null;
    plannedState: TfObject | null;
    config: TfObject | null;
    cancelled?: AbortSignal;
  }) {
    return this.resource(req.typeName).apply(req, this.context(req.cancelled));
  }

  async importResourceState(req: { typeName: string; id: string }) {
    const { state, diagnostics } = this.resource(req.typeName).importState(req.id);
    return { imported: state ? [{ typeName: req.typeName, state }] : [], diagnostics };
  }

  async stopProvider(): Promise<void> {
    this.logger.info("stop requested: cancelling in-flight API calls");
    this.stop.abort();
    this.stop = stopController();
  }

  private resource(typeName: string): ResourceType<MemberRolesApi> {
    const resource = this.resources.get(typeName);
    if (!resource) throw new Error(`This provider has no resource type ${JSON.stringify(typeName)}.`);
    return resource;
  }

  /** One RPC's context: its calls end on StopProvider and when Terraform cancels the RPC. */
  private context(cancelled?: AbortSignal): ResourceContext<MemberRolesApi> {
    const stop = this.stop.signal;
    const signal = cancelled ? AbortSignal.any([stop, cancelled]) : stop;
    setMaxListeners(0, signal);
    return {
      api: () => {
        if (this.client.kind === "ready") return this.client.api;
        throw new Error(this.client.reason);
      },
      signal: () => signal,
      logger: this.logger,
    };
  }
}

/**
 * Every call in flight listens on the one stop signal; with Terraform's parallelism that is more than
 * Node's default of 10 listeners, whose warning would be a stray non-JSON line among the logs.
 */
function stopController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}
