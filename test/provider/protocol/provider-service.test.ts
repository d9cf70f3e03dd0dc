import { status } from "@grpc/grpc-js";
import { ExtData, encode } from "@msgpack/msgpack";
import { decodeDynamicValue, encodeDynamicValue } from "../../../src/provider/protocol/codec";
import type { DynamicValueMessage } from "../../../src/provider/protocol/messages";
import type { SchemaAttribute } from "../../../src/provider/protocol/schema";
import { type TfObject, UNKNOWN } from "../../../src/provider/protocol/values";
import { echoLookupSchema, echoProviderSchema, echoThingSchema } from "../../support/fixtures/echo-handlers";
import { type BundledProvider, bundleProvider } from "../../support/provider-fixture";
import { type PluginClient, ProviderProcess } from "../../support/terraform-client";

let fixture: BundledProvider;
let provider: ProviderProcess;
let client: PluginClient;

beforeAll(async () => {
  fixture = await bundleProvider();
  provider = await ProviderProcess.start({ command: fixture.command });
  client = provider.client;
});

afterAll(async () => {
  await provider.shutdown();
  fixture.remove();
});

const block = echoThingSchema.block;
const thing = (value: Partial<Record<keyof typeof full, unknown>>) =>
  encodeDynamicValue(value as TfObject, block);
const full = { id: null, value: null, tags: null, size: null };
const state = (dv: DynamicValueMessage | undefined) => decodeDynamicValue(dv, block);

describe("GetProviderSchema", () => {
  it("returns the handler schemas in protocol form, types as JSON bytes, descriptions as markdown", async () => {
    const response = await client.call("GetProviderSchema", {});
    expect(response.diagnostics).toEqual([]);
    expect(response.server_capabilities).toMatchObject({
      get_provider_schema_optional: true,
      plan_destroy: false,
    });

    const echo = response.resource_schemas?.echo_thing;
    expect(echo?.version).toBe(1);
    expect(echo?.block.description_kind).toBe("MARKDOWN");
    const roundTripped = echo?.block.attributes.map(
      (a): SchemaAttribute => ({
        name: a.name,
        type: JSON.parse(Buffer.from(a.type).toString()),
        description: a.description,
        ...(a.required ? { required: true } : {}),
        ...(a.optional ? { optional: true } : {}),
        ...(a.computed ? { computed: true } : {}),
      }),
    );
    expect(roundTripped).toEqual(echoThingSchema.block.attributes);
    expect(response.provider?.block.attributes.find((a) => a.name === "token")).toMatchObject({
      sensitive: true,
      optional: true,
      description_kind: "MARKDOWN",
    });
    expect(response.provider?.block.attributes.map((a) => a.name)).toEqual(
      echoProviderSchema.block.attributes.map((a) => a.name),
    );
  });
});

describe("PlanResourceChange", () => {
  it("decodes plain and refined unknowns and encodes unknowns back as d4 00 00", async () => {
    const refinement = encode(
      new Map<number, unknown>([
        [1, true],
        [2, "echo-"],
      ]),
    );
    const proposed = {
      msgpack: encode({
        id: null,
        value: new ExtData(12, refinement),
        tags: new ExtData(0, new Uint8Array([0])),
        size: 3,
      }),
    };
    const response = await client.call("PlanResourceChange", {
      type_name: "echo_thing",
      proposed_new_state: proposed,
      config: proposed,
    });
    expect(response.diagnostics).toEqual([]);
    expect(state(response.planned_state)).toEqual({ id: UNKNOWN, value: UNKNOWN, tags: UNKNOWN, size: 3 });
    const bytes = Buffer.from(response.planned_state?.msgpack ?? []).toString("hex");
    const key = (name: string) => Buffer.from(encode(name)).toString("hex");
    for (const name of ["id", "value", "tags"]) expect(bytes).toContain(`${key(name)}d40000`);
  });

  it("returns requires_replace paths and planned private data", async () => {
    const response = await client.call("PlanResourceChange", {
      type_name: "echo_thing",
      prior_state: thing({ ...full, id: "echo-a", value: "a", size: 1 }),
      proposed_new_state: thing({ ...full, id: "echo-a", value: "b", size: 1 }),
      config: thing({ ...full, value: "b" }),
    });
    expect(response.requires_replace).toEqual([
      { steps: [{ attribute_name: "value", selector: "attribute_name" }] },
    ]);
    expect(Buffer.from(response.planned_private ?? []).toString()).toBe("echo-private");
  });

  it("turns a handler exception into an error diagnostic with its message only", async () => {
    const response = await client.call("PlanResourceChange", {
      type_name: "echo_thing",
      proposed_new_state: thing({ ...full, value: "explode", tags: ["do-not-leak"] }),
      config: thing({ ...full, value: "explode", tags: ["do-not-leak"] }),
    });
    expect(response.diagnostics).toEqual([
      {
        severity: "ERROR",
        summary: "The echo handler exploded.",
        detail: "The provider could not complete PlanResourceChange.",
        attribute: null,
      },
    ]);
    expect(JSON.stringify(response)).not.toMatch(/do-not-leak|at .*\.js/);
  });
});

describe("handler exceptions in state-returning RPCs", () => {
  it("ApplyResourceChange keeps the prior object so Terraform does not forget it", async () => {
    const prior = { ...full, id: "echo-a", value: "a", size: 1 };
    const response = await client.call("ApplyResourceChange", {
      type_name: "echo_thing",
      prior_state: thing(prior),
      planned_state: thing({ ...prior, value: "explode" }),
      config: thing({ ...full, value: "explode" }),
    });
    expect(response.diagnostics?.[0]).toMatchObject({
      severity: "ERROR",
      summary: "The echo handler exploded.",
    });
    expect(state(response.new_state)).toEqual(prior);
  });

  it("ReadResource answers the current state back", async () => {
    const current = { ...full, id: "echo-x", value: "explode" };
    const response = await client.call("ReadResource", {
      type_name: "echo_thing",
      current_state: thing(current),
      private: Buffer.from("kept"),
    });
    expect(response.diagnostics?.[0]).toMatchObject({ severity: "ERROR" });
    expect(state(response.new_state)).toEqual(current);
    expect(Buffer.from(response.private ?? []).toString()).toBe("kept");
  });
});

describe("diagnostics", () => {
  it("maps severity, detail and attribute path", async () => {
    const response = await client.call("ValidateResourceConfig", {
      type_name: "echo_thing",
      config: thing({ ...full, value: "invalid" }),
    });
    expect(response.diagnostics).toEqual([
      {
        severity: "ERROR",
        summary: "Invalid value",
        detail: "The value must not be `invalid`.",
        attribute: { steps: [{ attribute_name: "value", selector: "attribute_name" }] },
      },
    ]);
  });

  it("reports a value that does not fit the schema by path, never by value", async () => {
    const response = await client.call("ValidateResourceConfig", {
      type_name: "echo_thing",
      config: { msgpack: encode({ ...full, value: 987654 }) },
    });
    expect(response.diagnostics?.[0]).toMatchObject({
      severity: "ERROR",
      summary: "Expected a string at value.",
    });
    expect(JSON.stringify(response)).not.toContain("987654");
  });

  it("answers an unknown resource type with an error diagnostic", async () => {
    const response = await client.call("ValidateResourceConfig", {
      type_name: "echo_nope",
      config: thing(full),
    });
    expect(response.diagnostics?.[0]).toMatchObject({ severity: "ERROR", summary: "Unknown resource type" });
    expect(response.diagnostics?.[0]?.detail).toContain("echo_thing");
  });
});

describe("resource lifecycle RPCs", () => {
  it("upgrades raw JSON state into an encoded object", async () => {
    const json = Buffer.from(JSON.stringify({ id: "echo-a", value: "a", tags: ["x"], size: 1 }));
    const response = await client.call("UpgradeResourceState", {
      type_name: "echo_thing",
      version: 1,
      raw_state: { json },
    });
    expect(response.diagnostics).toEqual([]);
    expect(state(response.upgraded_state)).toEqual({ id: "echo-a", value: "a", tags: ["x"], size: 1 });
  });

  it("refuses flatmap-only state with an explanation", async () => {
    const response = await client.call("UpgradeResourceState", {
      type_name: "echo_thing",
      version: 0,
      raw_state: { flatmap: { id: "x" } },
    });
    expect(response.diagnostics?.[0]).toMatchObject({
      severity: "ERROR",
      summary: "Unsupported state format",
    });
  });

  it("applies a create and carries private data through", async () => {
    const response = await client.call("ApplyResourceChange", {
      type_name: "echo_thing",
      planned_state: thing({ ...full, id: UNKNOWN, value: "abc", size: UNKNOWN }),
      config: thing({ ...full, value: "abc" }),
      planned_private: Buffer.from("p1"),
    });
    expect(state(response.new_state)).toEqual({ id: "echo-abc", value: "abc", tags: null, size: 3 });
    expect(Buffer.from(response.private ?? []).toString()).toBe("p1");
  });

  it("applies a delete (null planned state) as a null new state", async () => {
    const response = await client.call("ApplyResourceChange", {
      type_name: "echo_thing",
      prior_state: thing({ ...full, id: "echo-a", value: "a" }),
    });
    expect(response.diagnostics).toEqual([]);
    expect(state(response.new_state)).toBeNull();
  });

  it("reads state and private data back", async () => {
    const current = { ...full, id: "echo-a", value: "a", tags: ["t1", "t2"], size: 1.5 };
    const response = await client.call("ReadResource", {
      type_name: "echo_thing",
      current_state: thing(current),
      private: Buffer.from("p2"),
    });
    expect(state(response.new_state)).toEqual(current);
    expect(Buffer.from(response.private ?? []).toString()).toBe("p2");
  });

  it("imports by id", async () => {
    const response = await client.call("ImportResourceState", { type_name: "echo_thing", id: "imp" });
    expect(response.imported_resources).toHaveLength(1);
    expect(response.imported_resources?.[0]?.type_name).toBe("echo_thing");
    expect(state(response.imported_resources?.[0]?.state)).toEqual({
      id: "imp",
      value: "imp",
      tags: null,
      size: null,
    });
  });

  it("configures the provider and answers StopProvider without an error", async () => {
    const configure = await client.call("ConfigureProvider", {
      terraform_version: "1.11.4",
      config: encodeDynamicValue({ token: "s3cr3t" }, echoProviderSchema.block),
    });
    expect(configure.diagnostics).toEqual([]);
    expect(provider.stderr).not.toContain("s3cr3t");
    await expect(client.call("StopProvider", {})).resolves.toEqual({ Error: "" });
  });
});

describe("metadata, data sources and moves", () => {
  it("GetMetadata names the resources and data sources with the server capabilities", async () => {
    const response = await client.call("GetMetadata", {});
    expect(response.resources).toEqual([{ type_name: "echo_thing" }]);
    expect(response.data_sources).toEqual([{ type_name: "echo_lookup" }]);
    expect(response.server_capabilities).toMatchObject({ move_resource_state: true });
  });

  it("GetProviderSchema includes data source schemas", async () => {
    const response = await client.call("GetProviderSchema", {});
    const lookup = response.data_source_schemas?.echo_lookup;
    expect(lookup?.block.attributes.map((a) => a.name)).toEqual(["key", "found"]);
  });

  it("ValidateDataResourceConfig and ReadDataSource decode and encode with the data source schema", async () => {
    const lookup = echoLookupSchema.block;
    const invalid = await client.call("ValidateDataResourceConfig", {
      type_name: "echo_lookup",
      config: encodeDynamicValue({ key: "", found: null }, lookup),
    });
    expect(invalid.diagnostics?.[0]).toMatchObject({ severity: "ERROR", summary: "Invalid key" });
    const read = await client.call("ReadDataSource", {
      type_name: "echo_lookup",
      config: encodeDynamicValue({ key: "k", found: null }, lookup),
    });
    expect(read.diagnostics).toEqual([]);
    expect(decodeDynamicValue(read.state, lookup)).toEqual({ key: "k", found: { k: "echoed" } });
  });

  it("answers an unknown data source with an error diagnostic naming those served", async () => {
    const response = await client.call("ReadDataSource", {
      type_name: "echo_nope",
      config: encodeDynamicValue({ key: "k", found: null }, echoLookupSchema.block),
    });
    expect(response.diagnostics?.[0]).toMatchObject({ severity: "ERROR", summary: "Unknown data source" });
    expect(response.diagnostics?.[0]?.detail).toContain("echo_lookup");
  });

  it("MoveResourceState hands the source's raw JSON to the handler and encodes the target state", async () => {
    const response = await client.call("MoveResourceState", {
      source_provider_address: "registry.terraform.io/example/old",
      source_type_name: "old_thing",
      source_schema_version: 2,
      source_state: { json: Buffer.from(JSON.stringify({ value: "kept", legacy: true })) },
      target_type_name: "echo_thing",
    });
    expect(response.diagnostics).toEqual([]);
    expect(state(response.target_state)).toEqual({
      id: "moved-old_thing",
      value: "kept",
      tags: null,
      size: 2,
    });
  });
});

describe("RPCs this provider does not serve", () => {
  it("GetFunctions answers UNIMPLEMENTED", async () => {
    await expect(client.call("GetFunctions", {})).rejects.toMatchObject({ code: status.UNIMPLEMENTED });
  });
});
