/**
 * TypeScript shapes of the tfplugin6 messages we use, as service-definitions.ts presents them with
 * `CONVERSION_OPTIONS`: snake_case keys (the descriptors keep the .proto names), int64 as number,
 * enums as their names, bytes as Buffer. Received messages have every field filled in (absent
 * messages are null, absent bytes empty); messages we send may leave fields out, which the wire
 * treats as defaults.
 */
import type { IConversionOptions } from "protobufjs/light";

export const CONVERSION_OPTIONS: IConversionOptions = {
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
};

export interface DynamicValueMessage {
  msgpack?: Uint8Array;
  json?: Uint8Array;
}

export type AttributePathStepMessage =
  | { attribute_name: string }
  | { element_key_string: string }
  | { element_key_int: number };

export interface AttributePathMessage {
  steps: AttributePathStepMessage[];
}

export interface DiagnosticMessage {
  severity: "INVALID" | "ERROR" | "WARNING";
  summary: string;
  detail?: string;
  attribute?: AttributePathMessage | null;
}

export type StringKindName = "PLAIN" | "MARKDOWN";

export interface SchemaAttributeMessage {
  name: string;
  type: Uint8Array;
  description: string;
  required: boolean;
  optional: boolean;
  computed: boolean;
  sensitive: boolean;
  description_kind: StringKindName;
}

export interface SchemaMessage {
  version: number;
  block: {
    version: number;
    attributes: SchemaAttributeMessage[];
    block_types: never[];
    description: string;
    description_kind: StringKindName;
  };
}

export interface ServerCapabilitiesMessage {
  plan_destroy: boolean;
  get_provider_schema_optional: boolean;
  move_resource_state: boolean;
}

export interface ResourceIdentityDataMessage {
  identity_data: DynamicValueMessage | null;
}

export interface IdentitySchemaMessage {
  version: number;
  identity_attributes: {
    name: string;
    type: Uint8Array;
    description: string;
    required_for_import: boolean;
    optional_for_import: boolean;
  }[];
}

export interface GetResourceIdentitySchemasResponse extends WithDiagnostics {
  identity_schemas?: Record<string, IdentitySchemaMessage>;
}

export interface UpgradeResourceIdentityRequest {
  type_name: string;
  version: number;
  raw_identity: RawStateMessage | null;
}

export interface UpgradeResourceIdentityResponse extends WithDiagnostics {
  upgraded_identity?: ResourceIdentityDataMessage;
}

export interface ValidateListResourceConfigRequest {
  type_name: string;
  config: DynamicValueMessage | null;
}

export interface ListResourceRequestMessage {
  type_name: string;
  config: DynamicValueMessage | null;
  include_resource_object: boolean;
  limit: number;
}

export interface ListResourceEventMessage {
  identity?: ResourceIdentityDataMessage;
  display_name?: string;
  resource_object?: DynamicValueMessage;
  diagnostic?: DiagnosticMessage[];
}

export interface WithDiagnostics {
  diagnostics?: DiagnosticMessage[];
}

export type Empty = Record<string, never>;

export interface GetProviderSchemaResponse extends WithDiagnostics {
  provider?: SchemaMessage;
  resource_schemas?: Record<string, SchemaMessage>;
  data_source_schemas?: Record<string, SchemaMessage>;
  list_resource_schemas?: Record<string, SchemaMessage>;
  server_capabilities?: ServerCapabilitiesMessage;
}

export interface GetMetadataResponse extends WithDiagnostics {
  server_capabilities?: ServerCapabilitiesMessage;
  data_sources?: { type_name: string }[];
  resources?: { type_name: string }[];
  list_resources?: { type_name: string }[];
}

export interface ValidateProviderConfigRequest {
  config: DynamicValueMessage | null;
}

export interface ValidateResourceConfigRequest {
  type_name: string;
  config: DynamicValueMessage | null;
}

export interface UpgradeResourceStateRequest {
  type_name: string;
  version: number;
  raw_state: RawStateMessage | null;
}

export interface UpgradeResourceStateResponse extends WithDiagnostics {
  upgraded_state?: DynamicValueMessage;
}

export interface ConfigureProviderRequest {
  terraform_version: string;
  config: DynamicValueMessage | null;
}

export interface ReadResourceRequest {
  type_name: string;
  current_state: DynamicValueMessage | null;
  private?: Uint8Array;
  current_identity?: ResourceIdentityDataMessage | null;
}

export interface ReadResourceResponse extends WithDiagnostics {
  new_state?: DynamicValueMessage;
  private?: Uint8Array;
  new_identity?: ResourceIdentityDataMessage;
}

export interface PlanResourceChangeRequest {
  type_name: string;
  prior_state: DynamicValueMessage | null;
  proposed_new_state: DynamicValueMessage | null;
  config: DynamicValueMessage | null;
  prior_private?: Uint8Array;
}

export interface PlanResourceChangeResponse extends WithDiagnostics {
  planned_state?: DynamicValueMessage;
  requires_replace?: AttributePathMessage[];
  planned_private?: Uint8Array;
  planned_identity?: ResourceIdentityDataMessage;
}

export interface ApplyResourceChangeRequest {
  type_name: string;
  prior_state: DynamicValueMessage | null;
  planned_state: DynamicValueMessage | null;
  config: DynamicValueMessage | null;
  planned_private?: Uint8Array;
}

export interface ApplyResourceChangeResponse extends WithDiagnostics {
  new_state?: DynamicValueMessage;
  private?: Uint8Array;
  new_identity?: ResourceIdentityDataMessage;
}

export interface ImportResourceStateRequest {
  type_name: string;
  id: string;
  identity?: ResourceIdentityDataMessage | null;
}

export interface ImportResourceStateResponse extends WithDiagnostics {
  imported_resources?: {
    type_name: string;
    state: DynamicValueMessage;
    private?: Uint8Array;
    identity?: ResourceIdentityDataMessage;
  }[];
}

export interface ValidateDataResourceConfigRequest {
  type_name: string;
  config: DynamicValueMessage | null;
}

export interface RawStateMessage {
  json?: Uint8Array;
  flatmap?: Record<string, string>;
}

export interface MoveResourceStateRequest {
  source_provider_address: string;
  source_type_name: string;
  source_schema_version: number;
  source_state: RawStateMessage | null;
  target_type_name: string;
  source_private?: Uint8Array;
}

export interface MoveResourceStateResponse extends WithDiagnostics {
  target_state?: DynamicValueMessage;
  target_private?: Uint8Array;
  target_identity?: ResourceIdentityDataMessage;
}

export interface ReadDataSourceRequest {
  type_name: string;
  config: DynamicValueMessage | null;
}

export interface ReadDataSourceResponse extends WithDiagnostics {
  state?: DynamicValueMessage;
}

export interface StopProviderResponse {
  Error?: string;
}
