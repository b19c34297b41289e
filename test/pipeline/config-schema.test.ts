import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import {
  type JsonSchema,
  LAKE_SCHEMA,
  SCHEMA_FILE,
  SCHEMA_REFERENCE,
} from "../../src/pipeline/config-schema.ts";
import { parseProject, templateConfig } from "../../src/pipeline/index.ts";
import { settingPaths } from "../../src/pipeline/unknown-settings.ts";
import { schemaErrors } from "../helpers/json-schema.ts";

// The published JSON Schema and the loader describe the same lake.json: the loader refuses every key
// the schema does not name, and these tests prove the rest (the file is the schema, every setting is
// accepted by both, every refused key or shape is refused by both).
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** A lake.json that uses every setting the schema names. */
const EVERY_SETTING = {
  $schema: SCHEMA_REFERENCE,
  name: "shop",
  zones: { landing: "lake/landing", bronze: "lake/bronze", silver: "lake/silver", gold: "lake/gold" },
  systemDirectory: "lake/_system",
  engine: { threads: 4, memoryLimit: "2GB", tempDirectory: "lake/.tmp" },
  sources: { sales: { files: "sales*.csv", columns: ["id", "customer_id", "amount"] } },
  models: {
    dim_customer: {
      zone: "silver",
      kind: "dimension",
      sqlFile: "models/customers.sql",
      naturalKey: "customer_id",
      surrogateKey: "customer_key",
      latestBy: ["updated_at DESC"],
      description: "one row per customer",
    },
    sales: {
      zone: "silver",
      kind: "incremental",
      query: "SELECT * FROM stream(bronze.sales)",
      partitionBy: ["year"],
      uniqueKey: "id",
      keep: "last",
      orderBy: ["_source_row"],
      expectations: {
        positive: { expect: "amount > 0", action: "quarantine", description: "amounts are positive" },
        present: { notNull: "id" },
        once: { unique: "id", action: "warn" },
        currency: { acceptedValues: { column: "currency", values: ["EUR", 1] } },
        known: {
          existsIn: { column: "customer_id", model: "silver.dim_customer", key: "customer_id" },
          action: "quarantine",
          retry: true,
        },
      },
    },
  },
  charts: {
    revenue: {
      title: "Revenue by month",
      description: "net revenue",
      sqlFile: "charts/revenue.sql",
      mark: "bar",
      x: { field: "month", type: "temporal", title: "Month", format: "month", sort: "ascending" },
      y: { field: "revenue", type: "quantitative", title: "Revenue", format: "currency", sort: "descending" },
      color: { field: "region", type: "nominal", title: "Region", format: ",d", sort: "-y" },
      stack: false,
      filters: { region: { column: "region" }, from: { column: "month", match: "from" } },
    },
    orders: {
      title: "Orders",
      query: "SELECT 1 AS a, 2 AS b",
      mark: "point",
      x: { field: "a" },
      y: { field: "b" },
    },
  },
  figures: {
    revenue: {
      title: "Revenue",
      query: "SELECT sum(revenue) FROM gold.sales",
      format: "currency",
      description: "net",
    },
  },
  storage: {
    s3: { region: "eu-central-1", endpoint: "http://127.0.0.1:9000", forcePathStyle: true },
    lifecycle: {
      landing: { infrequentAccessAfterDays: 30, glacierAfterDays: 90 },
      bronze: { infrequentAccessAfterDays: null, glacierAfterDays: 60 },
      silver: { infrequentAccessAfterDays: 60, glacierAfterDays: null },
      gold: { infrequentAccessAfterDays: null, glacierAfterDays: 365 },
    },
    noncurrentVersionExpirationDays: 14,
    abortIncompleteUploadsAfterDays: 3,
  },
};

/** The value at `path` in `value`, where `<…>` stands for every key of a map; [] when absent. */
function valuesAt(value: unknown, path: readonly string[]): unknown[] {
  if (path.length === 0) return [value];
  if (typeof value !== "object" || value === null) return [];
  const [key, ...rest] = path as [string, ...string[]];
  const object = value as Record<string, unknown>;
  const next = key.startsWith("<") ? Object.values(object) : key in object ? [object[key]] : [];
  return next.flatMap((v) => valuesAt(v, rest));
}

/** `config` with `key: value` set inside the object at `path` (in an entry of each map that has the rest). */
function withKeyAt(config: unknown, path: readonly string[], key: string, value: unknown): unknown {
  const copy = structuredClone(config) as Record<string, unknown>;
  let at: Record<string, unknown> = copy;
  for (const [i, segment] of path.entries()) {
    const rest = path.slice(i + 1);
    const name = segment.startsWith("<")
      ? Object.keys(at).find((k) => valuesAt(at[k], rest).length > 0)
      : segment;
    at = at[name as string] as Record<string, unknown>;
  }
  at[key] = value;
  return copy;
}

/** The schema of the setting at `path` (`<…>`: an entry of a map). */
function schemaAt(path: readonly string[]): JsonSchema {
  let schema: JsonSchema = LAKE_SCHEMA;
  for (const segment of path) {
    const next = segment.startsWith("<") ? schema.additionalProperties : schema.properties?.[segment];
    assert.ok(typeof next === "object", path.join("."));
    schema = next;
  }
  return schema;
}

describe("lake.json's JSON Schema", () => {
  it("schema/lake.schema.json is the schema the loader uses (npm run schema writes it)", async () => {
    const published = JSON.parse(await readFile(new URL(SCHEMA_FILE, `file://${ROOT}`), "utf8"));
    assert.deepEqual(published, LAKE_SCHEMA);
  });

  it("is shipped in the package, and the lake.json lake init writes points to it", async () => {
    const pkg = JSON.parse(await readFile(`${ROOT}package.json`, "utf8"));
    assert.ok(pkg.files.includes("schema"));
    assert.equal(SCHEMA_REFERENCE, `./node_modules/${pkg.name}/${SCHEMA_FILE}`);
    assert.equal((await templateConfig()).$schema, SCHEMA_REFERENCE);
  });

  it("the template's lake.json validates against the schema and loads", async () => {
    const template = await templateConfig();
    assert.deepEqual(schemaErrors(template, LAKE_SCHEMA), []);
    assert.equal(parseProject(template, "/p/lake.json").models.length, 8);
  });

  it("a lake.json using every setting of the schema validates against it and loads with each value", () => {
    const missing = settingPaths().filter((path) => valuesAt(EVERY_SETTING, path).length === 0);
    assert.deepEqual(missing, [], "the fixture uses every setting");
    assert.deepEqual(schemaErrors(EVERY_SETTING, LAKE_SCHEMA), []);
    const project = parseProject(EVERY_SETTING, "/p/lake.json");
    assert.deepEqual(project.engine, { threads: 4, memoryLimit: "2GB", tempDirectory: "/p/lake/.tmp" });
    assert.deepEqual(project.s3, {
      region: "eu-central-1",
      endpoint: "http://127.0.0.1:9000",
      forcePathStyle: true,
    });
    assert.equal(project.buckets.abortIncompleteUploadsAfterDays, 3);
    assert.deepEqual(project.charts[0]?.filters, [
      { name: "region", column: "region", match: "equals" },
      { name: "from", column: "month", match: "from" },
    ]);
    assert.deepEqual(
      project.charts.map((c) => [c.name, c.mark, c.sqlFile ?? c.query]),
      [
        ["revenue", "bar", "charts/revenue.sql"],
        ["orders", "point", "SELECT 1 AS a, 2 AS b"],
      ],
    );
    assert.deepEqual(
      project.models.map((m) => [m.name, m.kind, m.expectations.length]),
      [
        ["dim_customer", "dimension", 0],
        ["sales", "incremental", 5],
      ],
    );
  });

  it("a key added to any object of lake.json is refused by the loader (with its path) and by the schema", () => {
    const objects = [[], ...settingPaths()].filter((path) => {
      const [value] = valuesAt(EVERY_SETTING, path);
      return typeof value === "object" && value !== null && !Array.isArray(value);
    });
    assert.ok(objects.length > 10, `${objects.length} objects`);
    for (const path of objects) {
      // Maps (sources, models, expectations) take any name: the keys inside their entries are checked.
      if (typeof schemaAt(path).additionalProperties === "object") continue;
      const config = withKeyAt(EVERY_SETTING, path, "bogusSetting", 1);
      assert.throws(
        () => parseProject(config, "/p/lake.json"),
        { name: "UnknownSettingError" },
        path.join("."),
      );
      assert.ok(
        schemaErrors(config, LAKE_SCHEMA).some((e) => e.endsWith("/bogusSetting: additionalProperties")),
        path.join("."),
      );
    }
  });

  // Mistakes in a value that the schema can tell too: an editor underlines them as the loader refuses them.
  const refusedByBoth: Array<[string, unknown, string]> = [
    ["engine.threads 0", { engine: { threads: 0 } }, "/engine/threads: minimum"],
    ["engine.threads 5000", { engine: { threads: 5000 } }, "/engine/threads: maximum"],
    ['engine.memoryLimit "2GBs"', { engine: { memoryLimit: "2GBs" } }, "/engine/memoryLimit: pattern"],
    [
      "a source named _system",
      { sources: { _system: { files: "a", columns: ["a"] } } },
      "/sources/_system (name): pattern",
    ],
    [
      "a source column _x",
      { sources: { s: { files: "a", columns: ["_x"] } } },
      "/sources/s/columns/0: pattern",
    ],
    ["a source without columns", { sources: { s: { files: "a" } } }, "/sources/s: required columns"],
    [
      "a model named orders_quarantine",
      { models: { orders_quarantine: { zone: "gold" } } },
      "/models/orders_quarantine (name): pattern",
    ],
    ["a model in bronze", { models: { m: { zone: "bronze" } } }, "/models/m/zone: enum"],
    [
      "a model with query and sqlFile",
      { models: { m: { zone: "gold", query: "SELECT 1", sqlFile: "m.sql" } } },
      "/models/m: not",
    ],
    [
      "a dimension without keys",
      { models: { m: { zone: "gold", kind: "dimension" } } },
      "/models/m: required naturalKey",
    ],
    [
      "a partitions model without partitionBy",
      { models: { m: { zone: "gold", kind: "partitions" } } },
      "/models/m: required partitionBy",
    ],
    [
      "an expectation with notNull and unique",
      { models: { m: { zone: "gold", expectations: { r: { notNull: "a", unique: "a" } } } } },
      "/models/m/expectations/r: oneOf",
    ],
    [
      "an existsIn model without its zone",
      { models: { m: { zone: "gold", expectations: { r: { existsIn: { column: "a", model: "dims" } } } } } },
      "/models/m/expectations/r/existsIn/model: pattern",
    ],
    [
      "a chart without a y channel",
      { charts: { c: { title: "C", mark: "bar", x: { field: "a" } } } },
      "/charts/c: required y",
    ],
    [
      "a chart with a pie mark",
      { charts: { c: { title: "C", mark: "pie", x: { field: "a" }, y: { field: "b" } } } },
      "/charts/c/mark: enum",
    ],
    [
      "a chart channel without its field",
      { charts: { c: { title: "C", mark: "bar", x: { title: "A" }, y: { field: "b" } } } },
      "/charts/c/x: required field",
    ],
    [
      "a chart with query and sqlFile",
      {
        charts: {
          c: {
            title: "C",
            mark: "bar",
            query: "SELECT 1",
            sqlFile: "c.sql",
            x: { field: "a" },
            y: { field: "b" },
          },
        },
      },
      "/charts/c: not",
    ],
    [
      "a chart filter matching by a range",
      {
        charts: {
          c: {
            title: "C",
            mark: "bar",
            x: { field: "a" },
            y: { field: "b" },
            filters: { f: { column: "a", match: "between" } },
          },
        },
      },
      "/charts/c/filters/f/match: enum",
    ],
    [
      "a figure without its query",
      { figures: { revenue: { title: "Revenue" } } },
      "/figures/revenue: required query",
    ],
    [
      "a figure formatted as a month",
      { figures: { revenue: { title: "Revenue", query: "SELECT 1", format: "month" } } },
      "/figures/revenue/format: enum",
    ],
    [
      "storage.lifecycle.gold.infrequentAccessAfterDays 10",
      { storage: { lifecycle: { gold: { infrequentAccessAfterDays: 10 } } } },
      "/storage/lifecycle/gold/infrequentAccessAfterDays: minimum",
    ],
  ];
  for (const [name, config, schemaError] of refusedByBoth) {
    it(`${name}: refused by the loader and by the schema`, () => {
      assert.throws(() => parseProject(config, "/p/lake.json"), { name: "ProjectConfigError" });
      assert.ok(
        schemaErrors(config, LAKE_SCHEMA).includes(schemaError),
        schemaErrors(config, LAKE_SCHEMA).join("; "),
      );
    });
  }
});
