/**
 * The one server layer between the protocol handlers and the resources: it finds the resource or data
 * source a call names, holds the configured API for all of them, and applies the rules they share
 * (lifecycle.ts, stored-state.ts). A provider is its schema, `configure`, and lists of resources and
 * data sources.
 */
import { setMaxListeners } from "node:events";
import { operationSignal } from "../../management/deadline";
import type { Logger } from "../plugin/logger";
import { type Diagnostic, errorDiag } from "../protocol/diagnostics";
import type {
  ListResourceRequest,
  ListStreamItem,
  MoveResourceStateRequest,
  ProviderHandlers,
  ProviderSchemas,
} from "../protocol/handlers";
import type { IdentitySchema, Schema } from "../protocol/schema";
import type { TfObject } from "../protocol/values";
import { ClaimRegistry } from "./claims";
import type { ProviderContext } from "./context";
import type { DataSource } from "./data-source";
import { applyChange, errorsOnly, planChange } from "./lifecycle";
import type { Resource } from "./resource";
import { identityOf, upgradeIdentity } from "./resource-identity";
import type { ResourceList } from "./resource-list";
import { moveState, upgradeState } from "./stored-state";

/** The outcome of ConfigureProvider: an API, or why there is none (with diagnostics for Terraform). */
export type Configured<Api> =
  | {
      readonly api: Api;
      /** Each call (RPC) gets this long, all of its API calls together; `setting` names it in errors. */
      readonly deadline?: { readonly timeoutMs: number; readonly setting: string };
    }
  | { readonly unavailable: string; readonly diagnostics: Diagnostic[] };

export interface ProviderDefinition<Api> {
  readonly schema: Schema;
  readonly resources: readonly Resource<Api>[];
  readonly dataSources: readonly DataSource<Api>[];
  validate?(config: TfObject): Diagnostic[];
  configure(config: TfObject, terraformVersion: string): Promise<Configured<Api>>;
}

/**
 * Private data the server layer keeps with an object: an import marks it, so the plan that follows
 * can tell the resource. Terraform reads every imported object once before planning it; a second
 * read means a later command (after `terraform import`), which is no longer about the import.
 */
const IMPORTED = Buffer.from('{"imported":true}');
const IMPORTED_AND_READ = Buffer.from('{"imported":"read"}');
const NO_PRIVATE = new Uint8Array(0);

function same(bytes: Uint8Array | undefined, mark: Buffer): boolean {
  return bytes !== undefined && mark.equals(bytes);
}

export class ProviderServer<Api> implements ProviderHandlers {
  private readonly resources: ReadonlyMap<string, Resource<Api>>;
  private readonly dataSources: ReadonlyMap<string, DataSource<Api>>;
  private configured: Configured<Api> = {
    unavailable: "The provider was not configured before a resource was used.",
    diagnostics: [],
  };
  private stop = stopController();
  private readonly claims = new ClaimRegistry();

  constructor(
    private readonly definition: ProviderDefinition<Api>,
    private readonly logger: Logger,
  ) {
    for (const r of definition.resources) {
      // Terraform refuses list results without an identity, and finds it by the resource's type.
      if (r.list && !r.identity) throw new Error(`${r.typeName} has a list but no identity.`);
    }
    this.resources = new Map(definition.resources.map((r) => [r.typeName, r]));
    this.dataSources = new Map(definition.dataSources.map((d) => [d.typeName, d]));
  }

  getProviderSchema(): ProviderSchemas {
    const schemas = <T extends { schema: Schema }>(m: ReadonlyMap<string, T>) =>
      Object.fromEntries([...m].map(([name, item]) => [name, item.schema]));
    const resources = [...this.resources.values()];
    const identitySchemas: Record<string, IdentitySchema> = {};
    const listResourceSchemas: Record<string, Schema> = {};
    for (const r of resources) {
      if (r.identity) identitySchemas[r.typeName] = r.identity.schema;
      if (r.list) listResourceSchemas[r.typeName] = r.list.schema;
    }
    return {
      provider: this.definition.schema,
      resourceSchemas: schemas(this.resources),
      dataSourceSchemas: schemas(this.dataSources),
      moveResourceState: resources.some((r) => (r.movers ?? []).length > 0),
      identitySchemas,
      listResourceSchemas,
    };
  }

  validateProviderConfig(config: TfObject): Diagnostic[] {
    return this.definition.validate?.(config) ?? [];
  }

  validateResourceConfig(typeName: string, config: TfObject): Diagnostic[] {
    const resource = this.resource(typeName);
    this.claims.noteValidated(typeName, config, resource.claims?.(config) ?? []);
    return resource.validate?.(config) ?? [];
  }

  validateDataResourceConfig(typeName: string, config: TfObject): Diagnostic[] {
    return this.dataSource(typeName).validate?.(config) ?? [];
  }

  upgradeResourceState(typeName: string, version: number, rawState: Record<string, unknown>) {
    return upgradeState(this.resource(typeName), version, rawState);
  }

  upgradeResourceIdentity(typeName: string, version: number, rawIdentity: Record<string, unknown>) {
    return upgradeIdentity(typeName, this.resource(typeName).identity, version, rawIdentity);
  }

  /**
   * Terraform places these diagnostics within the whole list block, whose `config` block holds the
   * attributes: paths get that step in front, so an error points at the attribute's own line. (It adds
   * the step itself to ListResource's diagnostics.)
   */
  validateListResourceConfig(typeName: string, config: TfObject): Diagnostic[] {
    return (this.lister(typeName).validate?.(config) ?? []).map((d) =>
      d.attribute ? { ...d, attribute: [{ attribute: "config" }, ...d.attribute] } : d,
    );
  }

  /** One event per object found, at most `limit`; the lister's own checks are repeated first, as for plans. */
  async *listResource(req: ListResourceRequest): AsyncIterable<ListStreamItem> {
    const resource = this.resource(req.typeName);
    const lister = this.lister(req.typeName);
    const refused = errorsOnly(lister.validate?.(req.config) ?? []);
    if (refused.length > 0) {
      yield { diagnostics: refused };
      return;
    }
    if (req.limit <= 0) return;
    const include = req.includeResourceObject;
    const found = lister.list(
      { config: req.config, includeResource: include, limit: req.limit },
      this.context(req.cancelled),
    );
    let count = 0;
    for await (const { state, displayName } of found) {
      const identity = identityOf(resource.identity, state) ?? {};
      yield { identity, displayName, ...(include ? { resourceObject: state } : {}) };
      if (++count >= req.limit) return;
    }
  }

  async configureProvider(config: TfObject, terraformVersion: string): Promise<Diagnostic[]> {
    this.claims.noteConfigured();
    this.configured = await this.definition.configure(config, terraformVersion);
    return "api" in this.configured ? [] : this.configured.diagnostics;
  }

  async readResource(req: {
    typeName: string;
    currentState: TfObject;
    private?: Uint8Array;
    cancelled?: AbortSignal;
  }) {
    const importing = same(req.private, IMPORTED);
    const resource = this.resource(req.typeName);
    const result = await resource.read(req.currentState, this.context(req.cancelled), { importing });
    // Terraform answers an import whose object is gone with its generic "Cannot import non-existent
    // remote object"; the resource's reason is the error instead.
    const diagnostics =
      importing && result.newState === null ? importFailure(result.diagnostics) : result.diagnostics;
    return {
      ...result,
      diagnostics,
      newIdentity: identityOf(resource.identity, result.newState),
      // An import's mark reaches the plan that follows this read, and no later one.
      private: importing ? IMPORTED_AND_READ : NO_PRIVATE,
    };
  }

  async planResourceChange(req: {
    typeName: string;
    priorState: TfObject | null;
    proposedNewState: TfObject | null;
    config: TfObject | null;
    priorPrivate?: Uint8Array;
    cancelled?: AbortSignal;
  }) {
    const imported = same(req.priorPrivate, IMPORTED_AND_READ);
    const resource = this.resource(req.typeName);
    // A destroy claims nothing; anything else is checked against the other resources' claims first.
    const config = req.proposedNewState === null ? null : (req.config ?? req.proposedNewState);
    const claimed =
      config === null ? undefined : this.claims.plan(req.typeName, config, resource.claims?.(config) ?? []);
    if (claimed && claimed.diagnostics.length > 0) {
      return {
        plannedState: req.proposedNewState,
        requiresReplace: [],
        diagnostics: claimed.diagnostics,
        plannedIdentity: null,
        plannedPrivate: NO_PRIVATE,
      };
    }
    const result = await planChange(resource, { ...req, imported }, this.context(req.cancelled));
    if (result.requiresReplace.length > 0) claimed?.release();
    return {
      ...result,
      plannedIdentity: identityOf(resource.identity, result.plannedState),
      plannedPrivate: NO_PRIVATE,
    };
  }

  async applyResourceChange(req: {
    typeName: string;
    priorState: TfObject | null;
    plannedState: TfObject | null;
    config: TfObject | null;
    plannedPrivate?: Uint8Array;
    cancelled?: AbortSignal;
  }) {
    const resource = this.resource(req.typeName);
    const result = await applyChange(resource, req, this.context(req.cancelled));
    return { ...result, newIdentity: identityOf(resource.identity, result.newState), private: NO_PRIVATE };
  }

  async importResourceState(req: { typeName: string; id: string; identity?: TfObject | null }) {
    const resource = this.resource(req.typeName);
    const { state, diagnostics } =
      req.identity && resource.identity
        ? resource.identity.importState(req.identity)
        : resource.importState(req.id);
    const identity = identityOf(resource.identity, state);
    return {
      imported: state ? [{ typeName: req.typeName, state, identity, private: IMPORTED }] : [],
      diagnostics,
    };
  }

  async moveResourceState(req: MoveResourceStateRequest) {
    const resource = this.resource(req.targetTypeName);
    const { state, diagnostics } = moveState(resource, {
      providerAddress: req.sourceProviderAddress,
      typeName: req.sourceTypeName,
      schemaVersion: req.sourceSchemaVersion,
      state: req.sourceState,
    });
    return { targetState: state, targetIdentity: identityOf(resource.identity, state), diagnostics };
  }

  async readDataSource(req: { typeName: string; config: TfObject; cancelled?: AbortSignal }) {
    const dataSource = this.dataSource(req.typeName);
    const refused = errorsOnly(dataSource.validate?.(req.config) ?? []);
    if (refused.length > 0) return { state: null, diagnostics: refused };
    return dataSource.read(req.config, this.context(req.cancelled));
  }

  async stopProvider(): Promise<void> {
    this.logger.info("stop requested: cancelling in-flight API calls");
    this.stop.abort();
    this.stop = stopController();
  }

  private resource(typeName: string): Resource<Api> {
    const resource = this.resources.get(typeName);
    if (!resource) throw new Error(`This provider has no resource type ${JSON.stringify(typeName)}.`);
    return resource;
  }

  private lister(typeName: string): ResourceList<Api> {
    const list = this.resource(typeName).list;
    if (!list) throw new Error(`This provider cannot list ${JSON.stringify(typeName)}.`);
    return list;
  }

  private dataSource(typeName: string): DataSource<Api> {
    const dataSource = this.dataSources.get(typeName);
    if (!dataSource) throw new Error(`This provider has no data source ${JSON.stringify(typeName)}.`);
    return dataSource;
  }

  /**
   * One per call: its signal fires on Stop, when Terraform cancels the call, or when the call's
   * deadline passes, whichever comes first. The signal (and with it the deadline) is made when the
   * call first asks for it, i.e. when it starts on the API: most calls of a plan (validation,
   * upgrade, plan) never do, and making a deadline (a timer, an error, combined signals) was the
   * largest single cost of this provider's own code per call (`npm run bench:plan-profile`).
   */
  private context(cancelled?: AbortSignal): ProviderContext<Api> {
    const configured = this.configured;
    const deadline = "api" in configured ? configured.deadline : undefined;
    let signal: AbortSignal | undefined;
    const makeSignal = (): AbortSignal => {
      const stopOrCancel = cancelled ? AbortSignal.any([this.stop.signal, cancelled]) : this.stop.signal;
      const made = deadline
        ? operationSignal(deadline.timeoutMs, { parent: stopOrCancel, setting: deadline.setting })
        : stopOrCancel;
      setMaxListeners(0, made);
      return made;
    };
    return {
      api: () => {
        if ("api" in configured) return configured.api;
        throw new Error(configured.unavailable);
      },
      signal: () => {
        signal ??= makeSignal();
        return signal;
      },
      logger: this.logger,
    };
  }
}

/** The reasons an imported object was not found, as errors (a read without one gets a generic one). */
function importFailure(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  if (diagnostics.some((d) => d.severity === "error")) return [...diagnostics];
  if (diagnostics.length === 0) {
    return [
      errorDiag("Cannot import", "The object does not exist in the tenant, so there is nothing to import."),
    ];
  }
  return diagnostics.map((d) => ({ ...d, severity: "error", summary: `Cannot import: ${d.summary}` }));
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
