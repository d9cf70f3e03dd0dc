/**
 * The tfplugin6 service definition, loaded from the committed JSON descriptor rather than the
 * .proto text: parsing .proto costs start-up time in each of the provider processes Terraform
 * starts per command.
 */
import type { ServiceDefinition } from "@grpc/grpc-js";
import { fromJSON } from "@grpc/proto-loader";
import { PROTO_LOADER_OPTIONS } from "./messages";
import tfplugin6Descriptor from "./tfplugin6.json";

type DescriptorJson = Parameters<typeof fromJSON>[0];

/** Loads one service of a protobufjs JSON descriptor, e.g. `serviceFromDescriptor(json, "tfplugin6.Provider")`. */
export function serviceFromDescriptor(descriptor: object, fullName: string): ServiceDefinition {
  const definition = fromJSON(descriptor as DescriptorJson, PROTO_LOADER_OPTIONS)[fullName];
  // Messages and enums carry a `format`; services do not.
  if (definition === undefined || "format" in definition) {
    throw new Error(`The descriptor has no service ${fullName}.`);
  }
  return definition as ServiceDefinition;
}

export function providerServiceDefinition(): ServiceDefinition {
  return serviceFromDescriptor(tfplugin6Descriptor, "tfplugin6.Provider");
}
