import type { Logger } from "../plugin/logger";
import type { AttributePath, Diagnostic } from "../protocol/diagnostics";
import type { Schema } from "../protocol/schema";
import type { TfObject } from "../protocol/values";

/** What a resource gets from the configured provider for one call. */
export interface ResourceContext<Api> {
  /** The tenant's API; throws a configuration error when the provider could not be configured. */
  api(): Api;
  /** Aborted when Terraform asks the provider to stop (Ctrl-C), cancels the RPC, or dies. */
  signal(): AbortSignal;
  readonly logger: Logger;
}

export interface PlanRequest {
  readonly priorState: TfObject | null;
  readonly proposedNewState: TfObject | null;
  readonly config: TfObject | null;
}

export interface PlanResult {
  readonly plannedState: TfObject | null;
  readonly requiresReplace: AttributePath[];
  readonly diagnostics: Diagnostic[];
}

export interface ApplyRequest {
  readonly priorState: TfObject | null;
  readonly plannedState: TfObject | null;
  readonly config: TfObject | null;
}

export interface StateResult {
  readonly newState: TfObject | null;
  readonly diagnostics: Diagnostic[];
}

/** One managed resource type, independent of the wire protocol. */
export interface ResourceType<Api> {
  readonly schema: Schema;
  validate(config: TfObject): Diagnostic[];
  upgrade(version: number, raw: Record<string, unknown>): { state: TfObject; diagnostics: Diagnostic[] };
  read(state: TfObject, ctx: ResourceContext<Api>): Promise<StateResult>;
  plan(req: PlanRequest): PlanResult;
  apply(req: ApplyRequest, ctx: ResourceContext<Api>): Promise<StateResult>;
  importState(id: string): { state: TfObject | null; diagnostics: Diagnostic[] };
}
