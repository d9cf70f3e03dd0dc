/**
 * What a managed resource type is to the server layer: its schema and its CRUD operations, and
 * optionally its identity and how to list its objects. Everything resources share (dispatching apply,
 * unknown values, re-validation, requires-replace, import marks, state upgrades and moves, identities
 * in every answer, list streams) lives in `server.ts`, so a resource only says what is its own.
 */
import type { Diagnostic } from "../protocol/diagnostics";
import type { Schema, SchemaAttribute, SchemaBlock } from "../protocol/schema";
import type { TfObject } from "../protocol/values";
import type { Claim } from "./claims";
import type { ProviderContext } from "./context";
import type { ResourceIdentity } from "./resource-identity";
import type { ResourceList } from "./resource-list";

export interface ResourceAttribute extends SchemaAttribute {
  /** A change of this attribute replaces the object (destroy, then create). */
  readonly requiresReplace?: boolean;
}

export interface ResourceBlock extends SchemaBlock {
  readonly attributes: readonly ResourceAttribute[];
}

export interface ResourceSchema extends Schema {
  readonly block: ResourceBlock;
}

export interface StateResult {
  /** null: the object is gone (read) or was not created (create). */
  readonly newState: TfObject | null;
  readonly diagnostics: Diagnostic[];
}

export interface CreateRequest {
  /** Every non-computed attribute is known; computed ones may still be unknown. */
  readonly planned: TfObject;
  readonly config: TfObject | null;
}

export interface UpdateRequest extends CreateRequest {
  readonly prior: TfObject;
}

export interface ImportResult {
  /** Read right after import by `read`, so attributes only the tenant knows may be null. */
  readonly state: TfObject | null;
  readonly diagnostics: Diagnostic[];
}

export interface ModifyPlanRequest {
  /** null for a create (also the create half of a replacement). */
  readonly prior: TfObject | null;
  /** The server layer's plan: the proposed state, computed attributes settled (unknown on create). */
  readonly planned: TfObject;
  readonly config: TfObject | null;
  /** The prior state was imported in this run (an import block) and read once since. */
  readonly imported: boolean;
  /** A requiresReplace attribute changed: `planned` describes a new object, created after `prior` is destroyed. */
  readonly replacing: boolean;
}

export interface PlanModification {
  readonly planned: TfObject;
  /** Warnings shown with the plan, or errors that stop it. */
  readonly diagnostics: Diagnostic[];
}

/** A state entry of another resource type (perhaps another provider's) this resource can take over. */
export interface StateMover {
  /** e.g. `registry.terraform.io/auth0/auth0`; compared without regard to case. */
  readonly sourceProviderAddress: string;
  readonly sourceTypeName: string;
  /** The source's stored JSON object; no API call is made. */
  move(source: { readonly state: Record<string, unknown>; readonly schemaVersion: number }): ImportResult;
}

/** One managed resource type, as in terraform-plugin-framework: a schema plus CRUD. */
export interface Resource<Api> {
  readonly typeName: string;
  readonly schema: ResourceSchema;
  /**
   * Checks a configuration whose values may be unknown. The server layer runs it at validation (all
   * diagnostics), at plan and at apply (errors only, as values become known).
   */
  validate?(config: TfObject): Diagnostic[];
  /**
   * What this configuration manages that no other resource of the configuration may (from its known
   * values only); the server layer fails the plan of each resource involved (claims.ts).
   */
  claims?(config: TfObject): Claim[];
  /**
   * `importing`: the read right after an import; an object found gone (newState null) then fails the
   * import with the diagnostics given as its reason, not leave state.
   */
  read(state: TfObject, ctx: ProviderContext<Api>, opts?: { importing: boolean }): Promise<StateResult>;
  create(req: CreateRequest, ctx: ProviderContext<Api>): Promise<StateResult>;
  update(req: UpdateRequest, ctx: ProviderContext<Api>): Promise<StateResult>;
  /** The server layer removes the object from state when no error is returned. */
  delete(prior: TfObject, ctx: ProviderContext<Api>): Promise<{ diagnostics: Diagnostic[] }>;
  importState(id: string): ImportResult;
  /** Adjusts the plan of a create or update (not of a destroy) and may warn about it; may read the tenant. */
  modifyPlan?(
    req: ModifyPlanRequest,
    ctx: ProviderContext<Api>,
  ): PlanModification | Promise<PlanModification>;
  /**
   * Upgraders from older schema versions, keyed by the version they read. The server layer decodes
   * state at the current version itself.
   */
  readonly upgraders?: Readonly<Record<number, (raw: Record<string, unknown>) => ImportResult>>;
  readonly movers?: readonly StateMover[];
  /** Its identity attributes (each also a state attribute); the server layer adds the identity to every answer. */
  readonly identity?: ResourceIdentity;
  /** How `list` blocks find its objects; needs `identity`. */
  readonly list?: ResourceList<Api>;
}
