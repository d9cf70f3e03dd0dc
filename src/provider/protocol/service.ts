/**
 * The tfplugin6 `Provider` gRPC service: decodes requests with the right schema, calls the
 * ProviderHandlers, encodes their answers. RPCs left out here (functions, GenerateResourceConfig) are
 * answered UNIMPLEMENTED by grpc-js, which Terraform tolerates for a provider that declares none of
 * those features.
 */
import type {
  handleServerStreamingCall,
  handleUnaryCall,
  ServerWritableStream,
  UntypedServiceImplementation,
} from "@grpc/grpc-js";
import { decodeDynamicValue, encodeDynamicValue } from "./codec";
import { type AttributePath, type Diagnostic, errorDiag, errorText } from "./diagnostics";
import type { ProviderHandlers } from "./handlers";
import type {
  ApplyResourceChangeRequest,
  ApplyResourceChangeResponse,
  AttributePathMessage,
  ConfigureProviderRequest,
  DiagnosticMessage,
  Empty,
  GetMetadataResponse,
  GetProviderSchemaResponse,
  GetResourceIdentitySchemasResponse,
  IdentitySchemaMessage,
  ImportResourceStateRequest,
  ImportResourceStateResponse,
  ListResourceEventMessage,
  ListResourceRequestMessage,
  MoveResourceStateRequest,
  MoveResourceStateResponse,
  PlanResourceChangeRequest,
  PlanResourceChangeResponse,
  RawStateMessage,
  ReadDataSourceRequest,
  ReadDataSourceResponse,
  ReadResourceRequest,
  ReadResourceResponse,
  ResourceIdentityDataMessage,
  SchemaMessage,
  StopProviderResponse,
  UpgradeResourceIdentityRequest,
  UpgradeResourceIdentityResponse,
  UpgradeResourceStateRequest,
  UpgradeResourceStateResponse,
  ValidateDataResourceConfigRequest,
  ValidateListResourceConfigRequest,
  ValidateProviderConfigRequest,
  ValidateResourceConfigRequest,
  WithDiagnostics,
} from "./messages";
import type { IdentitySchema, Schema } from "./schema";
import type { TfObject } from "./values";

/** The part of the plugin logger the service uses. */
export interface ServiceLogger {
  debug(message: string, fields?: Record<string, string | number | boolean>): void;
  error(message: string, fields?: Record<string, string | number | boolean>): void;
}

const silentLogger: ServiceLogger = { debug: () => {}, error: () => {} };

const EMPTY_BYTES = new Uint8Array(0);

export function toDiagnosticMessage(diagnostic: Diagnostic): DiagnosticMessage {
  return {
    severity: diagnostic.severity === "error" ? "ERROR" : "WARNING",
    summary: diagnostic.summary,
    detail: diagnostic.detail ?? "",
    attribute: diagnostic.attribute ? toAttributePathMessage(diagnostic.attribute) : null,
  };
}

export function toAttributePathMessage(path: AttributePath): AttributePathMessage {
  return {
    steps: path.map((step) => {
      if ("attribute" in step) return { attribute_name: step.attribute };
      if ("key" in step) return { element_key_string: step.key };
      return { element_key_int: step.index };
    }),
  };
}

export function toSchemaMessage(schema: Schema): SchemaMessage {
  return {
    version: schema.version,
    block: {
      version: schema.version,
      description: schema.block.description,
      description_kind: "MARKDOWN",
      block_types: [],
      attributes: schema.block.attributes.map((a) => ({
        name: a.name,
        type: Buffer.from(JSON.stringify(a.type)),
        description: a.description,
        description_kind: "MARKDOWN",
        required: a.required === true,
        optional: a.optional === true,
        computed: a.computed === true,
        sensitive: a.sensitive === true,
      })),
    },
  };
}

export function toIdentitySchemaMessage(schema: IdentitySchema): IdentitySchemaMessage {
  return {
    version: schema.version,
    identity_attributes: schema.block.attributes.map((a) => ({
      name: a.name,
      type: Buffer.from(JSON.stringify(a.type)),
      description: a.description,
      required_for_import: a.requiredForImport,
      optional_for_import: !a.requiredForImport,
    })),
  };
}

/** Thrown inside an RPC to answer with these diagnostics instead of a result. */
class RpcRefusal extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.summary);
  }
}

export function createProviderService(
  handlers: ProviderHandlers,
  logger: ServiceLogger = silentLogger,
): UntypedServiceImplementation {
  let schemas: ReturnType<ProviderHandlers["getProviderSchema"]> | undefined;
  const getSchemas = () => {
    schemas ??= handlers.getProviderSchema();
    return schemas;
  };

  const lookup = (schemas: Readonly<Record<string, Schema>>, typeName: string, kind: string): Schema => {
    const schema = Object.hasOwn(schemas, typeName) ? schemas[typeName] : undefined;
    if (schema === undefined) {
      const served = Object.keys(schemas).join(", ") || "none";
      throw new RpcRefusal(
        errorDiag(
          `Unknown ${kind}`,
          `This provider has no ${kind} "${typeName}". Those it serves: ${served}.`,
        ),
      );
    }
    return schema;
  };
  const resourceSchema = (typeName: string) =>
    lookup(getSchemas().resourceSchemas, typeName, "resource type");
  const dataSourceSchema = (typeName: string) =>
    lookup(getSchemas().dataSourceSchemas, typeName, "data source");
  const capabilities = () => ({
    // Our schema never changes within a process, so Terraform may reuse the copy it fetched
    // from the first provider process instead of asking each of the others again.
    get_provider_schema_optional: true,
    plan_destroy: false,
    move_resource_state: getSchemas().moveResourceState,
  });

  /** Decodes a value that Terraform always sends for this RPC (configs, current state). */
  const required = (value: TfObject | null, what: string): TfObject => {
    if (value === null) throw new RpcRefusal(errorDiag(`Terraform sent no ${what}.`));
    return value;
  };

  const failureDiagnostic = (rpc: string, error: unknown): Diagnostic => {
    if (error instanceof RpcRefusal) return error.diagnostic;
    logger.error("RPC failed", { tf_rpc: rpc, error: errorText(error) });
    return errorDiag(errorText(error), `The provider could not complete ${rpc}.`);
  };

  const logReceived = (rpc: string, request: unknown) => {
    const typeName = (request as { type_name?: unknown }).type_name;
    logger.debug("Received RPC", {
      tf_rpc: rpc,
      ...(typeof typeName === "string" && typeName !== "" ? { tf_resource_type: typeName } : {}),
    });
  };

  /**
   * `onFailure` gives the rest of the answer when `run` throws. Terraform stores whatever state an
   * apply returns even alongside errors, so state-returning RPCs hand back the state Terraform sent:
   * a failure then changes nothing, whatever Terraform would make of an absent state.
   */
  function unary<Req, Res extends WithDiagnostics>(
    rpc: string,
    run: (request: Req, cancelled: AbortSignal) => Promise<Res> | Res,
    onFailure: (request: Req) => Res = () => ({}) as Res,
  ): handleUnaryCall<Req, Res> {
    return (call, callback) => {
      // Terraform cancels an RPC when it gives up on it (or dies): work for it must stop there.
      const cancellation = new AbortController();
      let answered = false;
      // grpc-js reports every call as cancelled when its stream closes, after the answer too; only a
      // cancellation before the answer means Terraform gave up. (Aborting after it cost every call
      // a DOMException and the abort listeners: npm run bench:plan-profile.)
      call.on("cancelled", () => {
        if (!answered) cancellation.abort();
      });
      logReceived(rpc, call.request);
      Promise.resolve()
        .then(() => run(call.request, cancellation.signal))
        .then(
          (response) => {
            answered = true;
            callback(null, response);
          },
          (error: unknown) => {
            answered = true;
            const diagnostic = failureDiagnostic(rpc, error);
            callback(null, { ...onFailure(call.request), diagnostics: [toDiagnosticMessage(diagnostic)] });
          },
        );
    };
  }

  /**
   * A server stream: every event `run` yields is written as it comes, waiting while the client reads
   * slower than we list; a failure becomes one last event carrying the error. Terraform cancels the
   * stream once it has what it asked for, which stops `run` (its signal, and the loop).
   */
  function serverStream<Req, Event>(
    rpc: string,
    run: (request: Req, cancelled: AbortSignal) => AsyncIterable<Event>,
    failure: (diagnostic: DiagnosticMessage) => Event,
  ): handleServerStreamingCall<Req, Event> {
    return (call) => {
      const cancellation = new AbortController();
      let ended = false;
      call.on("cancelled", () => {
        if (!ended) cancellation.abort();
      });
      logReceived(rpc, call.request);
      const { signal } = cancellation;
      (async () => {
        try {
          for await (const event of run(call.request, signal)) {
            if (signal.aborted) break;
            if (!call.write(event)) await drained(call, signal);
          }
        } catch (error) {
          if (!signal.aborted) call.write(failure(toDiagnosticMessage(failureDiagnostic(rpc, error))));
        } finally {
          ended = true;
          call.end();
        }
      })();
    };
  }

  const diagnostics = (list: readonly Diagnostic[]) => list.map(toDiagnosticMessage);

  const identitySchema = (typeName: string): IdentitySchema | undefined => {
    const { identitySchemas } = getSchemas();
    return Object.hasOwn(identitySchemas, typeName) ? identitySchemas[typeName] : undefined;
  };
  /** Only for types with an identity schema, and never a null identity: Terraform then keeps its own. */
  const encodeIdentity = (
    typeName: string,
    identity: TfObject | null | undefined,
  ): ResourceIdentityDataMessage | undefined => {
    const schema = identitySchema(typeName);
    if (schema === undefined || identity === null || identity === undefined) return undefined;
    return { identity_data: encodeDynamicValue(identity, schema.block) };
  };
  const decodeIdentity = (
    typeName: string,
    message: ResourceIdentityDataMessage | null | undefined,
  ): TfObject | null => {
    const schema = identitySchema(typeName);
    return schema === undefined ? null : decodeDynamicValue(message?.identity_data, schema.block);
  };
  const listSchema = (typeName: string) =>
    lookup(getSchemas().listResourceSchemas, typeName, "list resource type");

  async function* listEvents(
    req: ListResourceRequestMessage,
    cancelled: AbortSignal,
  ): AsyncIterable<ListResourceEventMessage> {
    const config = required(decodeDynamicValue(req.config, listSchema(req.type_name).block), "config");
    const { block } = resourceSchema(req.type_name);
    const found = handlers.listResource({
      typeName: req.type_name,
      config,
      includeResourceObject: req.include_resource_object,
      limit: req.limit,
      cancelled,
    });
    for await (const item of found) {
      if ("diagnostics" in item) {
        yield { diagnostic: diagnostics(item.diagnostics) };
        continue;
      }
      yield {
        identity: encodeIdentity(req.type_name, item.identity),
        display_name: item.displayName,
        ...(item.resourceObject ? { resource_object: encodeDynamicValue(item.resourceObject, block) } : {}),
      };
    }
  }

  return {
    GetMetadata: unary<Empty, GetMetadataResponse>("GetMetadata", () => {
      const { resourceSchemas, dataSourceSchemas } = getSchemas();
      return {
        server_capabilities: capabilities(),
        resources: Object.keys(resourceSchemas).map((type_name) => ({ type_name })),
        data_sources: Object.keys(dataSourceSchemas).map((type_name) => ({ type_name })),
        list_resources: Object.keys(getSchemas().listResourceSchemas).map((type_name) => ({ type_name })),
        diagnostics: [],
      };
    }),

    GetProviderSchema: unary<Empty, GetProviderSchemaResponse>("GetProviderSchema", () => {
      const { provider, resourceSchemas, dataSourceSchemas, listResourceSchemas } = getSchemas();
      const messages = (schemas: Readonly<Record<string, Schema>>) =>
        Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, toSchemaMessage(schema)]));
      return {
        provider: toSchemaMessage(provider),
        resource_schemas: messages(resourceSchemas),
        data_source_schemas: messages(dataSourceSchemas),
        list_resource_schemas: messages(listResourceSchemas),
        server_capabilities: capabilities(),
        diagnostics: [],
      };
    }),

    GetResourceIdentitySchemas: unary<Empty, GetResourceIdentitySchemasResponse>(
      "GetResourceIdentitySchemas",
      () => ({
        identity_schemas: Object.fromEntries(
          Object.entries(getSchemas().identitySchemas).map(([name, schema]) => [
            name,
            toIdentitySchemaMessage(schema),
          ]),
        ),
        diagnostics: [],
      }),
    ),

    UpgradeResourceIdentity: unary<UpgradeResourceIdentityRequest, UpgradeResourceIdentityResponse>(
      "UpgradeResourceIdentity",
      (req) => {
        const raw = parseRawState(req.raw_identity, "identity");
        const result = handlers.upgradeResourceIdentity(req.type_name, req.version, raw);
        return {
          upgraded_identity: encodeIdentity(req.type_name, result.identity),
          diagnostics: diagnostics(result.diagnostics),
        };
      },
    ),

    ValidateListResourceConfig: unary<ValidateListResourceConfigRequest, WithDiagnostics>(
      "ValidateListResourceConfig",
      async (req) => {
        const config = decodeDynamicValue(req.config, listSchema(req.type_name).block);
        const result = await handlers.validateListResourceConfig(req.type_name, required(config, "config"));
        return { diagnostics: diagnostics(result) };
      },
    ),

    ListResource: serverStream<ListResourceRequestMessage, ListResourceEventMessage>(
      "ListResource",
      (req, cancelled) => listEvents(req, cancelled),
      (diagnostic) => ({ diagnostic: [diagnostic] }),
    ),

    ValidateProviderConfig: unary<ValidateProviderConfigRequest, WithDiagnostics>(
      "ValidateProviderConfig",
      async (req) => {
        const config = decodeDynamicValue(req.config, getSchemas().provider.block);
        return {
          diagnostics: diagnostics(await handlers.validateProviderConfig(required(config, "config"))),
        };
      },
    ),

    ValidateResourceConfig: unary<ValidateResourceConfigRequest, WithDiagnostics>(
      "ValidateResourceConfig",
      async (req) => {
        const config = decodeDynamicValue(req.config, resourceSchema(req.type_name).block);
        const result = await handlers.validateResourceConfig(req.type_name, required(config, "config"));
        return { diagnostics: diagnostics(result) };
      },
    ),

    ValidateDataResourceConfig: unary<ValidateDataResourceConfigRequest, WithDiagnostics>(
      "ValidateDataResourceConfig",
      async (req) => {
        const config = decodeDynamicValue(req.config, dataSourceSchema(req.type_name).block);
        const result = await handlers.validateDataResourceConfig(req.type_name, required(config, "config"));
        return { diagnostics: diagnostics(result) };
      },
    ),

    UpgradeResourceState: unary<UpgradeResourceStateRequest, UpgradeResourceStateResponse>(
      "UpgradeResourceState",
      (req) => {
        const schema = resourceSchema(req.type_name);
        const rawState = parseRawState(req.raw_state);
        const { state, diagnostics: diags } = handlers.upgradeResourceState(
          req.type_name,
          req.version,
          rawState,
        );
        return { upgraded_state: encodeDynamicValue(state, schema.block), diagnostics: diagnostics(diags) };
      },
    ),

    ConfigureProvider: unary<ConfigureProviderRequest, WithDiagnostics>("ConfigureProvider", async (req) => {
      const config = decodeDynamicValue(req.config, getSchemas().provider.block);
      return {
        diagnostics: diagnostics(
          await handlers.configureProvider(required(config, "config"), req.terraform_version),
        ),
      };
    }),

    ReadResource: unary<ReadResourceRequest, ReadResourceResponse>(
      "ReadResource",
      async (req, cancelled) => {
        const schema = resourceSchema(req.type_name);
        const currentState = decodeDynamicValue(req.current_state, schema.block);
        const result = await handlers.readResource({
          typeName: req.type_name,
          currentState: required(currentState, "current state"),
          private: req.private ?? EMPTY_BYTES,
          cancelled,
        });
        return {
          new_state: encodeDynamicValue(result.newState, schema.block),
          new_identity: encodeIdentity(req.type_name, result.newIdentity),
          private: result.private ?? EMPTY_BYTES,
          diagnostics: diagnostics(result.diagnostics),
        };
      },
      (req) => ({
        new_state: req.current_state ?? undefined,
        new_identity: req.current_identity ?? undefined,
        private: req.private ?? EMPTY_BYTES,
      }),
    ),

    PlanResourceChange: unary<PlanResourceChangeRequest, PlanResourceChangeResponse>(
      "PlanResourceChange",
      async (req, cancelled) => {
        const { block } = resourceSchema(req.type_name);
        const result = await handlers.planResourceChange({
          typeName: req.type_name,
          priorState: decodeDynamicValue(req.prior_state, block),
          proposedNewState: decodeDynamicValue(req.proposed_new_state, block),
          config: decodeDynamicValue(req.config, block),
          priorPrivate: req.prior_private ?? EMPTY_BYTES,
          cancelled,
        });
        return {
          planned_state: encodeDynamicValue(result.plannedState, block),
          planned_identity: encodeIdentity(req.type_name, result.plannedIdentity),
          requires_replace: result.requiresReplace.map(toAttributePathMessage),
          planned_private: result.plannedPrivate ?? EMPTY_BYTES,
          diagnostics: diagnostics(result.diagnostics),
        };
      },
    ),

    ApplyResourceChange: unary<ApplyResourceChangeRequest, ApplyResourceChangeResponse>(
      "ApplyResourceChange",
      async (req, cancelled) => {
        const { block } = resourceSchema(req.type_name);
        const result = await handlers.applyResourceChange({
          typeName: req.type_name,
          priorState: decodeDynamicValue(req.prior_state, block),
          plannedState: decodeDynamicValue(req.planned_state, block),
          config: decodeDynamicValue(req.config, block),
          plannedPrivate: req.planned_private ?? EMPTY_BYTES,
          cancelled,
        });
        return {
          new_state: encodeDynamicValue(result.newState, block),
          new_identity: encodeIdentity(req.type_name, result.newIdentity),
          private: result.private ?? EMPTY_BYTES,
          diagnostics: diagnostics(result.diagnostics),
        };
      },
      // The change may or may not have happened; keeping the prior object lets the next plan
      // read the truth and converge.
      (req) => ({ new_state: req.prior_state ?? undefined }),
    ),

    ImportResourceState: unary<ImportResourceStateRequest, ImportResourceStateResponse>(
      "ImportResourceState",
      async (req) => {
        resourceSchema(req.type_name);
        const result = await handlers.importResourceState({
          typeName: req.type_name,
          id: req.id,
          identity: decodeIdentity(req.type_name, req.identity),
        });
        return {
          imported_resources: result.imported.map((imported) => ({
            type_name: imported.typeName,
            state: encodeDynamicValue(imported.state, resourceSchema(imported.typeName).block),
            identity: encodeIdentity(imported.typeName, imported.identity),
            private: imported.private ?? EMPTY_BYTES,
          })),
          diagnostics: diagnostics(result.diagnostics),
        };
      },
    ),

    MoveResourceState: unary<MoveResourceStateRequest, MoveResourceStateResponse>(
      "MoveResourceState",
      async (req) => {
        const { block } = resourceSchema(req.target_type_name);
        const result = await handlers.moveResourceState({
          sourceProviderAddress: req.source_provider_address,
          sourceTypeName: req.source_type_name,
          sourceSchemaVersion: req.source_schema_version,
          sourceState: parseRawState(req.source_state),
          targetTypeName: req.target_type_name,
        });
        return {
          target_state: encodeDynamicValue(result.targetState, block),
          target_identity: encodeIdentity(req.target_type_name, result.targetIdentity),
          target_private: result.targetPrivate ?? EMPTY_BYTES,
          diagnostics: diagnostics(result.diagnostics),
        };
      },
    ),

    ReadDataSource: unary<ReadDataSourceRequest, ReadDataSourceResponse>(
      "ReadDataSource",
      async (req, cancelled) => {
        const { block } = dataSourceSchema(req.type_name);
        const config = decodeDynamicValue(req.config, block);
        const result = await handlers.readDataSource({
          typeName: req.type_name,
          config: required(config, "config"),
          cancelled,
        });
        return {
          state: encodeDynamicValue(result.state, block),
          diagnostics: diagnostics(result.diagnostics),
        };
      },
    ),

    StopProvider: ((_call, callback) => {
      logger.debug("Received RPC", { tf_rpc: "StopProvider" });
      handlers.stopProvider().then(
        () => callback(null, { Error: "" }),
        (error: unknown) => callback(null, { Error: errorText(error) }),
      );
    }) satisfies handleUnaryCall<Empty, StopProviderResponse>,
  };
}

/** Resolves once the client has read what was written, or the stream was cancelled. */
function drained(call: ServerWritableStream<unknown, unknown>, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      call.off("drain", done);
      signal.removeEventListener("abort", done);
      resolve();
    };
    call.on("drain", done);
    signal.addEventListener("abort", done, { once: true });
  });
}

function parseRawState(
  raw: RawStateMessage | null,
  what: "state" | "identity" = "state",
): Record<string, unknown> {
  if (raw?.json && raw.json.length > 0) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(raw.json).toString("utf8"));
    } catch {
      throw new RpcRefusal(errorDiag(`The stored ${what} is not valid JSON.`));
    }
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
    throw new RpcRefusal(errorDiag(`The stored ${what} is not a JSON object.`));
  }
  throw new RpcRefusal(
    errorDiag(
      "Unsupported state format",
      "The stored state has only the flatmap form of Terraform 0.11 and older; this provider reads " +
        "states written by Terraform 0.12 or later. Remove the object from state and import it again.",
    ),
  );
}
