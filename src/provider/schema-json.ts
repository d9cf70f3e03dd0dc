import type { Logger } from "./plugin/logger";
import type { Schema } from "./protocol/schema";
import { Auth0RolesProvider } from "./provider";
import { PROVIDER_SOURCE, PROVIDER_VERSION } from "./startup/provider-names";

interface TerraformSchemaAttributeJson {
  type: unknown;
  description: string;
  description_kind: "markdown";
  required?: true;
  optional?: true;
  computed?: true;
  sensitive?: true;
}

function blockJson(schema: Schema) {
  const attributes: Record<string, TerraformSchemaAttributeJson> = {};
  for (const a of schema.block.attributes) {
    attributes[a.name] = {
      type: a.type,
      description: a.description,
      description_kind: "markdown",
      ...(a.required ? { required: true } : {}),
      ...(a.optional ? { optional: true } : {}),
      ...(a.computed ? { computed: true } : {}),
      ...(a.sensitive ? { sensitive: true } : {}),
    };
  }
  return {
    version: schema.version,
    block: { attributes, description: schema.block.description, description_kind: "markdown" },
  };
}

const silent: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

function blocksJson(schemas: Readonly<Record<string, Schema>>) {
  return Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, blockJson(schema)]));
}

/** The provider schema in the shape `terraform providers schema -json` prints. */
export function terraformSchemaJson() {
  const schemas = new Auth0RolesProvider({ logger: silent, env: {} }).getProviderSchema();
  return {
    format_version: "1.0",
    provider_schemas: {
      [PROVIDER_SOURCE]: {
        provider: blockJson(schemas.provider),
        resource_schemas: blocksJson(schemas.resourceSchemas),
        data_source_schemas: blocksJson(schemas.dataSourceSchemas),
      },
    },
    provider_versions: { [PROVIDER_SOURCE]: PROVIDER_VERSION },
  };
}
