/**
 * The provider's view of Terraform schemas: what GetProviderSchema returns and what the
 * DynamicValue codec needs to know to encode and decode objects.
 */

/** A cty type as Terraform writes it in JSON: `"string"`, `["set","string"]`, ... */
export type TypeJson =
  | "string"
  | "number"
  | "bool"
  | "dynamic"
  | readonly ["set" | "list" | "map", TypeJson]
  | readonly ["object", Readonly<Record<string, TypeJson>>];

export type StringKind = "PLAIN" | "MARKDOWN";

export interface SchemaAttribute {
  readonly name: string;
  readonly type: TypeJson;
  readonly description: string;
  /** Exactly one of required, optional, computed-only, or optional+computed. */
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
  readonly sensitive?: boolean;
}

export interface SchemaBlock {
  readonly attributes: readonly SchemaAttribute[];
  readonly description: string;
}

export interface Schema {
  readonly version: number;
  readonly block: SchemaBlock;
}

export interface IdentityAttribute extends SchemaAttribute {
  /** Import by identity needs it (required_for_import); otherwise the provider can work it out. */
  readonly requiredForImport: boolean;
}

/**
 * How objects of one managed resource type are identified (GetResourceIdentitySchemas): versioned
 * apart from the resource schema. `block` is what the codec encodes identity objects with.
 */
export interface IdentitySchema {
  readonly version: number;
  readonly block: { readonly description: string; readonly attributes: readonly IdentityAttribute[] };
}
