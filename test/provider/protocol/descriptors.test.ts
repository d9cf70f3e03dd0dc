import { readFileSync } from "node:fs";
import { providerServiceDefinition } from "../../../src/provider/protocol/service-definitions";

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
});
