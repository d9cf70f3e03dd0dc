import { ProviderServer } from "../../../src/provider/framework";
import { createLogger } from "../../../src/provider/plugin/logger";
import type { ListStreamItem } from "../../../src/provider/protocol/handlers";
import { UNKNOWN } from "../../../src/provider/protocol/values";
import { type ToyApi, toyDefinition } from "../../support/fixtures/toy-definition";

// What the server layer adds for every resource with an identity and a list: the identity of each
// state it returns, import by identity, identity upgrades, and list streams that honour limit.
const SEED = { "item-a": "apple", "item-b": "apricot", "item-c": "banana", "item-d": "avocado" };

async function server(): Promise<{ server: ProviderServer<ToyApi>; api: () => ToyApi }> {
  const definition = toyDefinition(SEED);
  let api: ToyApi | undefined;
  const s = new ProviderServer(
    {
      ...definition,
      configure: async (config, version) => {
        const configured = await definition.configure(config, version);
        if ("api" in configured) api = configured.api;
        return configured;
      },
    },
    createLogger("test", { level: "off" }),
  );
  expect(await s.configureProvider({ fail: null }, "1.16.4")).toEqual([]);
  return { server: s, api: () => api as ToyApi };
}

async function collect(items: AsyncIterable<ListStreamItem>): Promise<ListStreamItem[]> {
  const all: ListStreamItem[] = [];
  for await (const item of items) all.push(item);
  return all;
}

describe("identity", () => {
  test("schemas name the identity and list of each resource that has them", async () => {
    const { server: s } = await server();
    const schemas = s.getProviderSchema();
    expect(schemas.identitySchemas.toy_item?.version).toBe(1);
    expect(Object.keys(schemas.listResourceSchemas)).toEqual(["toy_item"]);
  });

  test("every answer with state carries the identity taken from it; a create's plan may hold unknowns", async () => {
    const { server: s } = await server();
    const read = await s.readResource({
      typeName: "toy_item",
      currentState: { id: "item-a", name: "apple", tags: [], serial: 1 },
    });
    expect(read.newIdentity).toEqual({ id: "item-a" });
    const plan = await s.planResourceChange({
      typeName: "toy_item",
      priorState: null,
      proposedNewState: { id: null, name: "cherry", tags: null, serial: null },
      config: { id: null, name: "cherry", tags: null, serial: null },
    });
    expect(plan.plannedIdentity).toEqual({ id: UNKNOWN });
    const applied = await s.applyResourceChange({
      typeName: "toy_item",
      priorState: null,
      plannedState: { id: UNKNOWN, name: "cherry", tags: null, serial: UNKNOWN },
      config: { id: null, name: "cherry", tags: null, serial: null },
    });
    expect(applied.newIdentity).toEqual({ id: "item-1" });
    const gone = await s.readResource({
      typeName: "toy_item",
      currentState: { id: "item-x", name: "x", tags: [], serial: 1 },
    });
    expect(gone.newIdentity).toBeNull();
  });

  test("import by identity goes to the resource's identity import; by id to its id import", async () => {
    const { server: s } = await server();
    const byIdentity = await s.importResourceState({
      typeName: "toy_item",
      id: "",
      identity: { id: "item-b" },
    });
    expect(byIdentity.imported).toEqual([
      expect.objectContaining({
        state: { id: "item-b", name: null, tags: null, serial: null },
        identity: { id: "item-b" },
      }),
    ]);
    const byId = await s.importResourceState({ typeName: "toy_item", id: "item-c" });
    expect(byId.imported[0]?.identity).toEqual({ id: "item-c" });
  });

  test("stored identities: the current version decodes, an older one upgrades, a newer one is refused", async () => {
    const { server: s } = await server();
    expect(s.upgradeResourceIdentity("toy_item", 1, { id: "item-a" })).toEqual({
      identity: { id: "item-a" },
      diagnostics: [],
    });
    expect(s.upgradeResourceIdentity("toy_item", 0, { ref: "item-a" }).identity).toEqual({ id: "item-a" });
    const newer = s.upgradeResourceIdentity("toy_item", 2, { id: "item-a" });
    expect(newer.identity).toBeNull();
    expect(newer.diagnostics[0]?.detail).toContain("identity version 1");
  });
});

describe("list", () => {
  test("yields identity and display name, the object only when asked for", async () => {
    const { server: s } = await server();
    const plain = await collect(
      s.listResource({
        typeName: "toy_item",
        config: { prefix: "ap" },
        includeResourceObject: false,
        limit: 100,
      }),
    );
    expect(plain).toEqual([
      { identity: { id: "item-a" }, displayName: "apple" },
      { identity: { id: "item-b" }, displayName: "apricot" },
    ]);
    const full = await collect(
      s.listResource({
        typeName: "toy_item",
        config: { prefix: "ban" },
        includeResourceObject: true,
        limit: 100,
      }),
    );
    expect(full).toEqual([
      {
        identity: { id: "item-c" },
        displayName: "banana",
        resourceObject: { id: "item-c", name: "banana", tags: [], serial: 0 },
      },
    ]);
  });

  test("stops the lister once limit objects were found, and lists nothing for limit 0", async () => {
    const { server: s, api } = await server();
    const two = await collect(
      s.listResource({
        typeName: "toy_item",
        config: { prefix: "a" },
        includeResourceObject: false,
        limit: 2,
      }),
    );
    expect(two).toHaveLength(2);
    expect([api().listed, api().listClosed]).toEqual([2, true]);
    api().listed = 0;
    expect(
      await collect(
        s.listResource({
          typeName: "toy_item",
          config: { prefix: "a" },
          includeResourceObject: false,
          limit: 0,
        }),
      ),
    ).toEqual([]);
    expect(api().listed).toBe(0);
  });

  test("the list config is checked again before listing; validation errors point inside the list block's config", async () => {
    const { server: s, api } = await server();
    const refused = await collect(
      s.listResource({
        typeName: "toy_item",
        config: { prefix: "" },
        includeResourceObject: false,
        limit: 10,
      }),
    );
    expect(refused).toEqual([{ diagnostics: [expect.objectContaining({ summary: "Invalid prefix" })] }]);
    expect(api().listed).toBe(0);
    expect(s.validateListResourceConfig("toy_item", { prefix: "" })[0]?.attribute).toEqual([
      { attribute: "config" },
      { attribute: "prefix" },
    ]);
  });
});
