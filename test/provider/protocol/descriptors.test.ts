import { readFileSync } from "node:fs";
import goPluginDescriptor from "../../../src/provider/plugin/go-plugin.json";
import healthDescriptor from "../../../src/provider/plugin/health.json";
import {
  providerServiceDefinition,
  serviceFromDescriptor,
} from "../../../src/provider/protocol/service-definitions";

// Plain CommonJS so it runs with `node` alone; see the script for how to regenerate.
const { PROTO_FILES, descriptorPathFor, descriptorText } =
  require("../../../scripts/generate-proto-json.js") as {
    PROTO_FILES: string[];
    descriptorPathFor(protoFile: string): string;
    descriptorText(protoFile: string): string;
  };

describe("committed proto descriptors", () => {
  it.each(PROTO_FILES)(
    "%s matches its committed JSON (run `node scripts/generate-proto-json.js`)",
    (proto) => {
      expect(readFileSync(descriptorPathFor(proto), "utf8")).toBe(descriptorText(proto));
    },
  );

  it("declares the tfplugin6 methods under the paths Terraform calls", () => {
    const service = providerServiceDefinition();
    expect(service.GetProviderSchema?.path).toBe("/tfplugin6.Provider/GetProviderSchema");
    expect(Object.keys(service)).toEqual(
      expect.arrayContaining([
        "GetMetadata",
        "ValidateProviderConfig",
        "ValidateResourceConfig",
        "ValidateDataResourceConfig",
        "UpgradeResourceState",
        "ConfigureProvider",
        "ReadResource",
        "PlanResourceChange",
        "ApplyResourceChange",
        "ImportResourceState",
        "ReadDataSource",
        "StopProvider",
        "GetFunctions",
        "CallFunction",
        "MoveResourceState",
        "GetResourceIdentitySchemas",
      ]),
    );
  });

  // Message types resolve only on a method's first call; every one must exist in its descriptor.
  it.each([
    ["tfplugin6.Provider", providerServiceDefinition()],
    ["plugin.GRPCController", serviceFromDescriptor(goPluginDescriptor, "plugin.GRPCController")],
    ["plugin.GRPCStdio", serviceFromDescriptor(goPluginDescriptor, "plugin.GRPCStdio")],
    ["plugin.GRPCBroker", serviceFromDescriptor(goPluginDescriptor, "plugin.GRPCBroker")],
    ["grpc.health.v1.Health", serviceFromDescriptor(healthDescriptor, "grpc.health.v1.Health")],
  ])("encodes and decodes the messages of every %s method", (_name, service) => {
    for (const method of Object.values(service)) {
      expect(method.requestDeserialize(method.requestSerialize({}))).toEqual(expect.any(Object));
      expect(method.responseDeserialize(method.responseSerialize({}))).toEqual(expect.any(Object));
    }
  });

  it("refuses a service the descriptor lacks", () => {
    expect(() => serviceFromDescriptor(healthDescriptor, "grpc.health.v1.Nope")).toThrow(
      "The descriptor has no service grpc.health.v1.Nope.",
    );
  });
});
