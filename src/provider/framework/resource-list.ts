/**
 * List resources (protocol 6.10, `list` blocks of `terraform query`): a resource that can find its
 * objects in the tenant says how, and the server layer turns each object found into a stream event
 * with the object's identity, honouring `include_resource` and `limit`.
 */
import type { Diagnostic } from "../protocol/diagnostics";
import type { Schema } from "../protocol/schema";
import type { TfObject } from "../protocol/values";
import type { ProviderContext } from "./context";

export interface ListedObject {
  /** Shown by `terraform query` next to the identity. */
  readonly displayName: string;
  /**
   * The whole object when `includeResource` was asked for; otherwise at least the identity
   * attributes (the rest may be null).
   */
  readonly state: TfObject;
}

export interface ListRequest {
  readonly config: TfObject;
  /** Whether Terraform wants each object's full state (include_resource, or -generate-config-out). */
  readonly includeResource: boolean;
  /** Terraform reads no more than this many objects: a lister stops paging once it has them. */
  readonly limit: number;
}

export interface ResourceList<Api> {
  /** The list block's `config`. */
  readonly schema: Schema;
  /** Checks a list block's config (values may be unknown at validate); run again, errors only, before listing. */
  validate?(config: TfObject): Diagnostic[];
  /** Stopping the iteration (limit reached, Terraform cancelled) must stop the listing. */
  list(req: ListRequest, ctx: ProviderContext<Api>): AsyncIterable<ListedObject>;
}
