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
import type { MoveResourceStateRequest, ProviderHandlers, ProviderSchemas } from "../protocol/handlers";
import type { Schema } from "../protocol/schema";
import type { TfObject } from "../protocol/values";
import { ClaimRegistry } from "./claims";
import type { ProviderContext } from "./context";
import type { DataSource } from "./data-source";
import { applyChange, errorsOnly, planChange } from "./lifecycle";
import type { Resource } from "./resource";
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
    this.resources = new Map(definition.resources.map((r) => [r.typeName, r]));
    this.dataSources = new Map(definition.dataSources.map((d) => [d.typeName, d]));
  }

  getProviderSchema(): ProviderSchemas {
    const schemas = <T extends { schema: Schema }>(m: ReadonlyMap<string, T>) =>
      Object.fromEntries([...m].map(([name, item]) => [name, item.schema]));
    return {
      provider: this.definition.schema,
      resourceSchemas: schemas(this.resources),
      dataSourceSchemas: schemas(this.dataSources),
      moveResourceState: [...this.resources.values()].some((r) => (r.movers ?? []).length > 0),
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
    const result = await this.resource(req.typeName).read(req.currentState, this.context(req.cancelled), {
      importing,
    });
    // Terraform answers an import whose object is gone with its generic "Cannot import non-existent
    // remote object"; the resource's reason is the error instead.
    const diagnostics =
      importing && result.newState === null ? importFailure(result.diagnostics) : result.diagnostics;
    // An import's mark reaches the plan that follows this read, and no later one.
    return { ...result, diagnostics, private: importing ? IMPORTED_AND_READ : NO_PRIVATE };
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
        plannedPrivate: NO_PRIVATE,
      };
    }
    const result = await planChange(resource, { ...req, imported }, this.context(req.cancelled));
    if (result.requiresReplace.length > 0) claimed?.release();
    return { ...result, plannedPrivate: NO_PRIVATE };
  }

  async applyResourceChange(req: {
    typeName: string;
    priorState: TfObject | null;
    plannedState: TfObject | null;
    config: TfObject | null;
    plannedPrivate?: Uint8Array;
    cancelled?: AbortSignal;
  }) {
    const result = await applyChange(this.resource(req.typeName), req, this.context(req.cancelled));
    return { ...result, private: NO_PRIVATE };
  }

  async importResourceState(req: { typeName: string; id: string }) {
    const { state, diagnostics } = this.resource(req.typeName).importState(req.id);
    return {
      imported: state ? [{ typeName: req.typeName, state, private: IMPORTED }] : [],
      diagnostics,
    };
  }

  async moveResourceState(req: MoveResourceStateRequest) {
    const { state, diagnostics } = moveState(this.resource(req.targetTypeName), {
      providerAddress: req.sourceProviderAddress,
      typeName: req.sourceTypeName,
      schemaVersion: req.sourceSchemaVersion,
      state: req.sourceState,
    });
    return { targetState: state, diagnostics };
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
