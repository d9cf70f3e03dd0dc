import { join } from "node:path";
import { decodeDynamicValue, encodeDynamicValue } from "../../../src/provider/protocol/codec";
import type { DynamicValueMessage } from "../../../src/provider/protocol/messages";
import { type TfObject, UNKNOWN } from "../../../src/provider/protocol/values";
import { LEGACY_PROVIDER, toyItem, toyItems, toyProviderSchema } from "../../support/fixtures/toy-definition";
import { type BundledProvider, bundleProvider } from "../../support/provider-fixture";
import { type PluginClient, ProviderProcess } from "../../support/terraform-client";

// The server layer (src/provider/framework) over real gRPC with mTLS, through a toy provider that is
// only a schema plus CRUD: what the layer does for every resource and data source.
let fixture: BundledProvider;
let provider: ProviderProcess;
let client: PluginClient;

const block = toyItem.schema.block;
const listBlock = toyItems.schema.block;
const dv = (value: Partial<Record<"id" | "name" | "tags" | "serial", TfObject[string]>> | null) =>
  encodeDynamicValue(
    value === null ? null : { id: null, name: null, tags: null, serial: null, ...value },
    block,
  );
const decoded = (value: DynamicValueMessage | undefined) => decodeDynamicValue(value, block);

beforeAll(async () => {
  fixture = await bundleProvider(join(__dirname, "..", "..", "support", "fixtures", "toy-provider.ts"));
  provider = await ProviderProcess.start({ command: fixture.command });
  client = provider.client;
  const configured = await client.call("ConfigureProvider", {
    terraform_version: "1.11.4",
    config: encodeDynamicValue({ fail: null }, toyProviderSchema.block),
  });
  expect(configured.diagnostics).toEqual([]);
});

afterAll(async () => {
  await provider.shutdown();
  fixture.remove();
});

async function itemNames(): Promise<Record<string, unknown>> {
  const read = await client.call("ReadDataSource", {
    type_name: "toy_items",
    config: encodeDynamicValue({ prefix: null, ids: null }, listBlock),
  });
  expect(read.diagnostics).toEqual([]);
  return (decodeDynamicValue(read.state, listBlock)?.ids ?? {}) as Record<string, unknown>;
}

async function create(name: string, tags: string[] | null = null): Promise<TfObject> {
  const applied = await client.call("ApplyResourceChange", {
    type_name: "toy_item",
    planned_state: dv({ id: UNKNOWN, name, tags, serial: UNKNOWN }),
    config: dv({ name, tags }),
  });
  expect(applied.diagnostics).toEqual([]);
  const state = decoded(applied.new_state);
  if (!state) throw new Error("no state");
  return state;
}

describe("configuration", () => {
  test("a provider that failed to configure answers resource calls with its reason", async () => {
    const other = await ProviderProcess.start({ command: fixture.command });
    try {
      const configured = await other.client.call("ConfigureProvider", {
        terraform_version: "1.11.4",
        config: encodeDynamicValue({ fail: true }, toyProviderSchema.block),
      });
      expect(configured.diagnostics?.map((d) => d.summary)).toEqual(["Configure failed"]);
      const read = await other.client.call("ReadResource", {
        type_name: "toy_item",
        current_state: dv({ id: "item-seeded", name: "seeded" }),
      });
      expect(read.diagnostics?.[0]).toMatchObject({
        severity: "ERROR",
        summary: "The toy was told to fail.",
      });
    } finally {
      await other.shutdown();
    }
  });
});

describe("schemas and metadata", () => {
  test("GetProviderSchema serves resource and data source schemas, and announces moves", async () => {
    const response = await client.call("GetProviderSchema", {});
    expect(Object.keys(response.resource_schemas ?? {})).toEqual(["toy_item"]);
    expect(Object.keys(response.data_source_schemas ?? {})).toEqual(["toy_items"]);
    expect(response.server_capabilities?.move_resource_state).toBe(true);
    // The layer's own attribute flags stay out of the protocol schema.
    expect(JSON.stringify(response.resource_schemas?.toy_item)).not.toContain("requiresReplace");
  });

  test("GetMetadata names them without schemas", async () => {
    const response = await client.call("GetMetadata", {});
    expect(response.resources).toEqual([{ type_name: "toy_item" }]);
    expect(response.data_sources).toEqual([{ type_name: "toy_items" }]);
  });
});

describe("plan", () => {
  test("a create plans computed attributes unknown", async () => {
    const response = await client.call("PlanResourceChange", {
      type_name: "toy_item",
      proposed_new_state: dv({ name: "a" }),
      config: dv({ name: "a" }),
    });
    expect(response.diagnostics).toEqual([]);
    expect(decoded(response.planned_state)).toEqual({ id: UNKNOWN, name: "a", tags: null, serial: UNKNOWN });
    expect(response.requires_replace).toEqual([]);
  });

  test("an update keeps computed attributes; a change of a requiresReplace attribute replaces and recomputes them", async () => {
    const prior = { id: "item-9", name: "a", tags: ["x"], serial: 9 };
    const update = await client.call("PlanResourceChange", {
      type_name: "toy_item",
      prior_state: dv(prior),
      proposed_new_state: dv({ ...prior, tags: ["y"] }),
      config: dv({ name: "a", tags: ["y"] }),
    });
    expect(decoded(update.planned_state)).toEqual({ ...prior, tags: ["y"] });
    expect(update.requires_replace).toEqual([]);

    const replace = await client.call("PlanResourceChange", {
      type_name: "toy_item",
      prior_state: dv(prior),
      proposed_new_state: dv({ ...prior, name: "b" }),
      config: dv({ name: "b", tags: ["x"] }),
    });
    expect(replace.requires_replace).toEqual([
      { steps: [{ attribute_name: "name", selector: "attribute_name" }] },
    ]);
    expect(decoded(replace.planned_state)).toEqual({ id: UNKNOWN, name: "b", tags: ["x"], serial: UNKNOWN });
  });

  test("an unknown value of a requiresReplace attribute plans a replacement", async () => {
    const prior = { id: "item-9", name: "a", tags: null, serial: 9 };
    const response = await client.call("PlanResourceChange", {
      type_name: "toy_item",
      prior_state: dv(prior),
      proposed_new_state: dv({ ...prior, name: UNKNOWN }),
      config: dv({ name: UNKNOWN }),
    });
    expect(response.requires_replace).toHaveLength(1);
  });

  test("validation runs again at plan with errors only, as values become known", async () => {
    const forbidden = await client.call("PlanResourceChange", {
      type_name: "toy_item",
      proposed_new_state: dv({ name: "forbidden" }),
      config: dv({ name: "forbidden" }),
    });
    expect(forbidden.diagnostics?.map((d) => d.summary)).toEqual(["Invalid name"]);
    const odd = await client.call("PlanResourceChange", {
      type_name: "toy_item",
      proposed_new_state: dv({ name: "odd" }),
      config: dv({ name: "odd" }),
    });
    expect(odd.diagnostics).toEqual([]);
    const validated = await client.call("ValidateResourceConfig", {
      type_name: "toy_item",
      config: dv({ name: "odd" }),
    });
    expect(validated.diagnostics?.map((d) => d.severity)).toEqual(["WARNING"]);
  });

  test("a destroy plans null without asking the resource", async () => {
    const response = await client.call("PlanResourceChange", {
      type_name: "toy_item",
      prior_state: dv({ id: "item-9", name: "forbidden", serial: 9 }),
    });
    expect(response.diagnostics).toEqual([]);
    expect(decoded(response.planned_state)).toBeNull();
  });
});

describe("apply", () => {
  test("dispatches create, update and delete", async () => {
    const created = await create("dispatch", ["t1"]);
    expect(created).toMatchObject({ name: "dispatch", tags: ["t1"] });
    expect(String(created.id)).toMatch(/^item-\d+$/);
    expect((await itemNames()).dispatch).toBe(created.id);

    const updated = await client.call("ApplyResourceChange", {
      type_name: "toy_item",
      prior_state: dv(created),
      planned_state: dv({ ...created, tags: ["t2"] }),
      config: dv({ name: "dispatch", tags: ["t2"] }),
    });
    expect(decoded(updated.new_state)).toEqual({ ...created, tags: ["t2"] });

    const deleted = await client.call("ApplyResourceChange", {
      type_name: "toy_item",
      prior_state: dv(created),
    });
    expect(deleted.diagnostics).toEqual([]);
    expect(decoded(deleted.new_state)).toBeNull();
    expect((await itemNames()).dispatch).toBeUndefined();
  });

  test("a failed delete keeps the object in state", async () => {
    const created = await create("undeletable");
    const deleted = await client.call("ApplyResourceChange", {
      type_name: "toy_item",
      prior_state: dv(created),
    });
    expect(deleted.diagnostics?.map((d) => d.summary)).toEqual(["Cannot delete"]);
    expect(decoded(deleted.new_state)).toEqual(created);
  });

  test("refuses a plan with configured values still unknown, and calls nothing", async () => {
    const before = await itemNames();
    const response = await client.call("ApplyResourceChange", {
      type_name: "toy_item",
      planned_state: dv({ id: UNKNOWN, name: "x", tags: UNKNOWN, serial: UNKNOWN }),
      config: dv({ name: "x", tags: UNKNOWN }),
    });
    expect(response.diagnostics).toEqual([
      expect.objectContaining({ severity: "ERROR", summary: "Values still unknown at apply" }),
    ]);
    expect(response.diagnostics?.[0]?.detail).toContain("tags");
    expect(decoded(response.new_state)).toBeNull();
    expect(await itemNames()).toEqual(before);
  });

  test("validates again at apply: a plan that would not pass validation is refused, the prior state kept", async () => {
    const prior = await create("kept");
    const response = await client.call("ApplyResourceChange", {
      type_name: "toy_item",
      prior_state: dv(prior),
      planned_state: dv({ ...prior, name: "forbidden" }),
      config: dv({ name: "forbidden" }),
    });
    expect(response.diagnostics?.map((d) => d.summary)).toEqual(["Invalid name"]);
    expect(decoded(response.new_state)).toEqual(prior);
    expect((await itemNames()).forbidden).toBeUndefined();
  });
});

describe("import", () => {
  test("import, read and plan: the plan knows it follows an import; after apply it does not", async () => {
    const imported = await client.call("ImportResourceState", { type_name: "toy_item", id: "item-seeded" });
    const entry = imported.imported_resources?.[0];
    expect(decoded(entry?.state)).toEqual({ id: "item-seeded", name: null, tags: null, serial: null });
    const read = await client.call("ReadResource", {
      type_name: "toy_item",
      current_state: entry?.state,
      private: entry?.private,
    });
    expect(decoded(read.new_state)).toMatchObject({ id: "item-seeded", name: "seeded" });
    const plan = await client.call("PlanResourceChange", {
      type_name: "toy_item",
      prior_state: read.new_state,
      proposed_new_state: dv({ ...decoded(read.new_state), tags: ["new"] }),
      config: dv({ name: "seeded", tags: ["new"] }),
      prior_private: read.private,
    });
    expect(plan.diagnostics).toEqual([
      expect.objectContaining({
        severity: "WARNING",
        summary: "Imported",
        detail: "planned after importing item-seeded",
      }),
    ]);
    const applied = await client.call("ApplyResourceChange", {
      type_name: "toy_item",
      prior_state: read.new_state,
      planned_state: plan.planned_state,
      config: dv({ name: "seeded", tags: ["new"] }),
      planned_private: plan.planned_private,
    });
    const next = await client.call("PlanResourceChange", {
      type_name: "toy_item",
      prior_state: applied.new_state,
      proposed_new_state: applied.new_state,
      config: dv({ name: "seeded", tags: ["new"] }),
      prior_private: applied.private,
    });
    expect(next.diagnostics).toEqual([]);
  });

  test("after `terraform import` (import and read in one command), the next command's refresh drops the mark", async () => {
    const imported = await client.call("ImportResourceState", { type_name: "toy_item", id: "item-seeded" });
    const entry = imported.imported_resources?.[0];
    const first = await client.call("ReadResource", {
      type_name: "toy_item",
      current_state: entry?.state,
      private: entry?.private,
    });
    // A later command: refresh, then plan.
    const refreshed = await client.call("ReadResource", {
      type_name: "toy_item",
      current_state: first.new_state,
      private: first.private,
    });
    expect(refreshed.private).toHaveLength(0);
    const plan = await client.call("PlanResourceChange", {
      type_name: "toy_item",
      prior_state: refreshed.new_state,
      proposed_new_state: refreshed.new_state,
      config: dv({ name: "seeded" }),
      prior_private: refreshed.private,
    });
    expect(plan.diagnostics).toEqual([]);
  });
});

describe("stored state", () => {
  const raw = (value: unknown) => ({ json: Buffer.from(JSON.stringify(value)) });

  test("decodes the current version by schema, dropping attributes the schema no longer has", async () => {
    const response = await client.call("UpgradeResourceState", {
      type_name: "toy_item",
      version: 1,
      raw_state: raw({ id: "item-1", name: "a", tags: ["x"], serial: 1, removed_long_ago: true }),
    });
    expect(response.diagnostics).toEqual([]);
    expect(decoded(response.upgraded_state)).toEqual({ id: "item-1", name: "a", tags: ["x"], serial: 1 });
  });

  test("runs the resource's upgrader for an older version", async () => {
    const response = await client.call("UpgradeResourceState", {
      type_name: "toy_item",
      version: 0,
      raw_state: raw({ id: "item-1", title: "old" }),
    });
    expect(decoded(response.upgraded_state)).toEqual({ id: "item-1", name: "old", tags: null, serial: 0 });
  });

  test("refuses a newer version and a value of the wrong type, naming the fix", async () => {
    const newer = await client.call("UpgradeResourceState", {
      type_name: "toy_item",
      version: 2,
      raw_state: raw({ id: "item-1" }),
    });
    expect(newer.diagnostics?.[0]).toMatchObject({ severity: "ERROR", summary: "Unsupported state version" });
    const wrong = await client.call("UpgradeResourceState", {
      type_name: "toy_item",
      version: 1,
      raw_state: raw({ id: "item-1", name: 5 }),
    });
    expect(wrong.diagnostics?.[0]).toMatchObject({
      severity: "ERROR",
      summary: "Stored state does not fit the schema",
    });
    expect(wrong.diagnostics?.[0]?.detail).toContain("name");
  });

  test("moves state of a declared source type and provider, and refuses others", async () => {
    const moved = await client.call("MoveResourceState", {
      source_provider_address: LEGACY_PROVIDER,
      source_type_name: "legacy_item",
      source_schema_version: 0,
      source_state: raw({ ref: "item-7", label: "legacy" }),
      target_type_name: "toy_item",
    });
    expect(moved.diagnostics).toEqual([]);
    expect(decoded(moved.target_state)).toEqual({ id: "item-7", name: "legacy", tags: null, serial: 0 });
    const refused = await client.call("MoveResourceState", {
      source_provider_address: "registry.terraform.io/acme/other",
      source_type_name: "legacy_item",
      source_schema_version: 0,
      source_state: raw({ ref: "item-7" }),
      target_type_name: "toy_item",
    });
    expect(refused.diagnostics?.[0]).toMatchObject({ severity: "ERROR", summary: "Unsupported move" });
    expect(refused.diagnostics?.[0]?.detail).toContain(`legacy_item (${LEGACY_PROVIDER})`);
  });
});

describe("data sources", () => {
  test("read with the configured API; validation errors refuse the read", async () => {
    await create("listed-one");
    const read = await client.call("ReadDataSource", {
      type_name: "toy_items",
      config: encodeDynamicValue({ prefix: "listed-", ids: null }, listBlock),
    });
    expect(decodeDynamicValue(read.state, listBlock)).toEqual({
      prefix: "listed-",
      ids: { "listed-one": expect.stringMatching(/^item-/) },
    });
    const refused = await client.call("ReadDataSource", {
      type_name: "toy_items",
      config: encodeDynamicValue({ prefix: "", ids: null }, listBlock),
    });
    expect(refused.diagnostics?.map((d) => d.summary)).toEqual(["Invalid prefix"]);
  });
});
