/**
 * What a provider implements, in decoded values; `service.ts` turns these calls into the tfplugin6
 * gRPC service. A handler may throw: the exception becomes an error diagnostic carrying its message.
 */
import type { AttributePath, Diagnostic } from "./diagnostics";
import type { IdentitySchema, Schema } from "./schema";
import type { TfObject } from "./values";

export interface ProviderSchemas {
  readonly provider: Schema;
  readonly resourceSchemas: Readonly<Record<string, Schema>>;
  readonly dataSourceSchemas: Readonly<Record<string, Schema>>;
  /** Whether MoveResourceState is served (announced in the server capabilities). */
  readonly moveResourceState: boolean;
  /** Per managed resource type that has one (GetResourceIdentitySchemas). */
  readonly identitySchemas: Readonly<Record<string, IdentitySchema>>;
  /** The `config` block of the list block, per managed resource type that can be listed. */
  readonly listResourceSchemas: Readonly<Record<string, Schema>>;
}

/** One object found by ListResource: its identity always, its whole object when asked for. */
export interface ListEvent {
  readonly identity: TfObject;
  readonly displayName: string;
  readonly resourceObject?: TfObject;
}

/** What a ListResource stream carries: objects, and diagnostics (an error ends the stream). */
export type ListStreamItem = ListEvent | { readonly diagnostics: Diagnostic[] };

export interface ListResourceRequest {
  readonly typeName: string;
  readonly config: TfObject;
  readonly includeResourceObject: boolean;
  /** Terraform reads no more events than this. */
  readonly limit: number;
  /** Aborted when Terraform cancels the stream (it has read `limit` events, or gave up). */
  readonly cancelled?: AbortSignal;
}

export interface MoveResourceStateRequest {
  readonly sourceProviderAddress: string;
  readonly sourceTypeName: string;
  readonly sourceSchemaVersion: number;
  /** The source's stored JSON object. */
  readonly sourceState: Record<string, unknown>;
  readonly targetTypeName: string;
}

/** What read and apply answer: the object (null: gone), its identity, private data, diagnostics. */
export interface StateAnswer {
  newState: TfObject | null;
  newIdentity?: TfObject | null;
  private?: Uint8Array;
  diagnostics: Diagnostic[];
}

export interface ProviderHandlers {
  getProviderSchema(): ProviderSchemas;
  validateProviderConfig(config: TfObject): Diagnostic[] | Promise<Diagnostic[]>;
  validateResourceConfig(typeName: string, config: TfObject): Diagnostic[] | Promise<Diagnostic[]>;
  validateDataResourceConfig(typeName: string, config: TfObject): Diagnostic[] | Promise<Diagnostic[]>;
  /** An identity stored at another version than the current one, as its JSON object. */
  upgradeResourceIdentity(
    typeName: string,
    version: number,
    rawIdentity: Record<string, unknown>,
  ): { identity: TfObject | null; diagnostics: Diagnostic[] };
  validateListResourceConfig(typeName: string, config: TfObject): Diagnostic[] | Promise<Diagnostic[]>;
  listResource(req: ListResourceRequest): AsyncIterable<ListStreamItem>;
  /** `rawState` is the stored JSON object; called for every stored object, even at the current version. */
  upgradeResourceState(
    typeName: string,
    version: number,
    rawState: Record<string, unknown>,
  ): { state: TfObject | null; diagnostics: Diagnostic[] };
  configureProvider(config: TfObject, terraformVersion: string): Promise<Diagnostic[]>;
  /** Returning a null newState tells Terraform the object is gone. */
  readResource(req: {
    typeName: string;
    currentState: TfObject;
    private: Uint8Array;
    /** Aborted when Terraform cancels this RPC. */
    cancelled?: AbortSignal;
  }): Promise<StateAnswer>;
  planResourceChange(req: {
    typeName: string;
    priorState: TfObject | null;
    proposedNewState: TfObject | null;
    config: TfObject | null;
    priorPrivate: Uint8Array;
    /** Aborted when Terraform cancels this RPC. */
    cancelled?: AbortSignal;
  }): Promise<{
    plannedState: TfObject | null;
    plannedIdentity?: TfObject | null;
    requiresReplace: AttributePath[];
    plannedPrivate?: Uint8Array;
    diagnostics: Diagnostic[];
  }>;
  /** A null plannedState means delete. */
  applyResourceChange(req: {
    typeName: string;
    priorState: TfObject | null;
    plannedState: TfObject | null;
    config: TfObject | null;
    plannedPrivate: Uint8Array;
    /** Aborted when Terraform cancels this RPC. */
    cancelled?: AbortSignal;
  }): Promise<StateAnswer>;
  /** By `id` (`terraform import`, `import { id = ... }`), or by `identity` when Terraform sends one. */
  importResourceState(req: { typeName: string; id: string; identity?: TfObject | null }): Promise<{
    imported: { typeName: string; state: TfObject; identity?: TfObject | null; private?: Uint8Array }[];
    diagnostics: Diagnostic[];
  }>;
  moveResourceState(req: MoveResourceStateRequest): Promise<{
    targetState: TfObject | null;
    targetIdentity?: TfObject | null;
    targetPrivate?: Uint8Array;
    diagnostics: Diagnostic[];
  }>;
  readDataSource(req: {
    typeName: string;
    config: TfObject;
    /** Aborted when Terraform cancels this RPC. */
    cancelled?: AbortSignal;
  }): Promise<{ state: TfObject | null; diagnostics: Diagnostic[] }>;
  /** Cancel in-flight work (Terraform got Ctrl-C); the process keeps serving until Shutdown. */
  stopProvider(): Promise<void>;
}
