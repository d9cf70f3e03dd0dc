/**
 * gRPC service definitions built from the committed protobufjs JSON descriptors. Method paths and
 * streaming flags are read from the JSON directly; the protobufjs types that encode and decode
 * messages are built on first use instead (the plugin server starts that right after its handshake,
 * while Terraform connects), because building them (~10 ms) and loading protobufjs would otherwise
 * delay the handshake of each of the 3-4 provider processes Terraform starts per command.
 * @grpc/proto-loader is not used at run time: besides the same encoding it builds descriptor protos
 * for every message and file (for reflection we never serve), ~50 ms more.
 * The conversions are the ones proto-loader applies, so messages look as messages.ts describes.
 */
import type { MethodDefinition, ServiceDefinition } from "@grpc/grpc-js";
import type * as Protobuf from "protobufjs/light";
import { CONVERSION_OPTIONS } from "./messages";
import tfplugin6Descriptor from "./tfplugin6.json";

/** The parts of a protobufjs JSON descriptor (scripts/generate-proto-json.js) read before protobufjs loads. */
interface NamespaceJson {
  readonly nested?: Readonly<Record<string, NamespaceJson>>;
  readonly methods?: Readonly<Record<string, MethodJson>>;
}

interface MethodJson {
  readonly requestStream?: boolean;
  readonly responseStream?: boolean;
}

interface MessageCodec {
  serialize(value: object): Buffer;
  deserialize(bytes: Buffer): object;
}

function serviceJson(descriptor: NamespaceJson, fullName: string): Readonly<Record<string, MethodJson>> {
  let node: NamespaceJson | undefined = descriptor;
  for (const part of fullName.split(".")) node = node?.nested?.[part];
  if (node?.methods === undefined) throw new Error(`The descriptor has no service ${fullName}.`);
  return node.methods;
}

function codecFor(type: Protobuf.Type): MessageCodec {
  return {
    serialize(value) {
      if (Array.isArray(value)) throw new Error(`Cannot serialize an array as a ${type.name} message.`);
      // fromObject accepts the plain shapes toObject produces (enum names, numbers for int64).
      const bytes = type.encode(type.fromObject(value)).finish();
      // A view, not a copy: under Node protobufjs already writes into a Buffer.
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    deserialize: (bytes) => type.toObject(type.decode(bytes), CONVERSION_OPTIONS),
  };
}

/** Request and response codecs of every method of one service, built on first use. */
function lazyCodecs(
  descriptor: object,
  fullName: string,
): (method: string) => { request: MessageCodec; response: MessageCodec } {
  let codecs: Map<string, { request: MessageCodec; response: MessageCodec }> | undefined;
  return (method) => {
    if (codecs === undefined) {
      // require, not import: protobufjs loads on first use, after the handshake. Bundled, this
      // runs the bundled module on demand.
      const { Root } = require("protobufjs/light") as typeof Protobuf;
      const service = Root.fromJSON(descriptor as Protobuf.INamespace).lookupService(fullName);
      service.resolveAll();
      codecs = new Map(
        service.methodsArray.map((m) => [
          m.name,
          // resolveAll() above filled these in, or threw for a type the descriptor lacks.
          {
            request: codecFor(m.resolvedRequestType as Protobuf.Type),
            response: codecFor(m.resolvedResponseType as Protobuf.Type),
          },
        ]),
      );
    }
    const found = codecs.get(method);
    if (found === undefined) throw new Error(`The descriptor's ${fullName} has no method ${method}.`);
    return found;
  };
}

/** One service of a descriptor, e.g. `serviceFromDescriptor(json, "tfplugin6.Provider")`. */
export function serviceFromDescriptor(descriptor: object, fullName: string): ServiceDefinition {
  const codecs = lazyCodecs(descriptor, fullName);
  const definition: Record<string, MethodDefinition<object, object>> = {};
  for (const [name, method] of Object.entries(serviceJson(descriptor as NamespaceJson, fullName))) {
    definition[name] = {
      path: `/${fullName}/${name}`,
      requestStream: method.requestStream === true,
      responseStream: method.responseStream === true,
      requestSerialize: (value) => codecs(name).request.serialize(value),
      requestDeserialize: (bytes) => codecs(name).request.deserialize(bytes),
      responseSerialize: (value) => codecs(name).response.serialize(value),
      responseDeserialize: (bytes) => codecs(name).response.deserialize(bytes),
    };
  }
  return definition;
}

export function providerServiceDefinition(): ServiceDefinition {
  return serviceFromDescriptor(tfplugin6Descriptor, "tfplugin6.Provider");
}
