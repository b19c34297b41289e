/**
 * The one description of lake.json's shape, as a JSON Schema (draft-07). `schema/lake.schema.json` is
 * this object written out (`npm run schema`), so editors complete and underline what the loader
 * accepts; the loader itself refuses every key this schema does not name (`unknown-settings.ts`), and
 * checks values with messages of its own (project-config.ts, model-config.ts).
 */

/** The part of JSON Schema this project uses. */
export interface JsonSchema {
  readonly $schema?: string;
  /** For a map (`additionalProperties` a schema): what its keys name, shown as `<title>` in messages. */
  readonly title?: string;
  readonly description?: string;
  readonly type?: JsonType | readonly JsonType[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly additionalProperties?: boolean | JsonSchema;
  readonly propertyNames?: JsonSchema;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly minItems?: number;
  readonly uniqueItems?: boolean;
  readonly enum?: readonly (string | number | boolean | null)[];
  readonly const?: string | number | boolean;
  readonly pattern?: string;
  readonly minLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly default?: unknown;
  readonly allOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly not?: JsonSchema;
  readonly if?: JsonSchema;
  readonly then?: JsonSchema;
}

export type JsonType = "object" | "array" | "string" | "integer" | "number" | "boolean" | "null";

import {
  CHART_FIELD_TYPES,
  CHART_FILTER_MATCHES,
  CHART_MARK_NAMES,
  CHART_SORT_ORDERS,
  FILTERS_PLACEHOLDER,
} from "./chart-config.ts";
import { FIGURE_FORMATS } from "./figure-config.ts";

/** The project's config file. */
export const CONFIG_FILE = "lake.json";

/** Where the published schema lives in the package, and what `$schema` in a project points to. */
export const SCHEMA_FILE = "schema/lake.schema.json";
export const SCHEMA_REFERENCE = `./node_modules/medallion-lake/${SCHEMA_FILE}`;

/** A table name: what sources and models are called, and rule names. */
export const NAME_PATTERN = "^[a-z][a-z0-9_]*$";
/** DuckDB's memory sizes: KB, MB, GB, TB (powers of 1000) or KiB … TiB (powers of 1024). */
export const MEMORY_PATTERN = "^[0-9]+(\\.[0-9]+)?\\s*[KkMmGgTt][Ii]?[Bb]$";
/** The engine's threads: at least one, and no more than any machine has cores. */
export const MAX_THREADS = 1024;

const text = (description: string): JsonSchema => ({ type: "string", minLength: 1, description });
const columnList = (description: string): JsonSchema => ({
  type: "array",
  items: { type: "string", minLength: 1 },
  description,
});
const days = (description: string, minimum: number): JsonSchema => ({
  type: ["integer", "null"],
  minimum,
  description,
});
const zoneFolder = (zone: string, role: string): JsonSchema => ({
  ...text(`${role}: a folder (relative to the project folder) or s3://bucket[/prefix].`),
  default: `lake/${zone}`,
});
const zoneLifecycle: JsonSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    infrequentAccessAfterDays: days("Days until objects move to Standard-IA (at least 30); null: never.", 30),
    glacierAfterDays: days(
      "Days until objects move to Glacier (at least 30 after Standard-IA); null: never.",
      1,
    ),
  },
};

const expectation: JsonSchema = {
  type: "object",
  description:
    "A rule every row should meet: exactly one of expect, notNull, unique, acceptedValues, existsIn.",
  additionalProperties: false,
  properties: {
    expect: text("An SQL condition every row should meet (NULL counts as not met)."),
    notNull: text("A column that must be present."),
    unique: text("A column whose values appear once."),
    acceptedValues: {
      type: "object",
      description: "A column whose values are one of a list.",
      additionalProperties: false,
      required: ["column", "values"],
      properties: {
        column: text("The column."),
        values: { type: "array", items: { type: ["string", "number"] }, description: "The accepted values." },
      },
    },
    existsIn: {
      type: "object",
      description: "A column whose values are keys of another model.",
      additionalProperties: false,
      required: ["column", "model"],
      properties: {
        column: text("The column."),
        model: {
          type: "string",
          pattern: "^(silver|gold)\\.[a-z][a-z0-9_]*$",
          description: 'The other model, as "silver.name" or "gold.name".',
        },
        key: text("The other model's column (default: the same name as column)."),
      },
    },
    action: {
      enum: ["warn", "quarantine", "fail"],
      default: "warn",
      description:
        "What happens to a row that fails: warn (counted), quarantine (to <model>_quarantine), fail (the run stops).",
    },
    description: { type: "string", description: "What the rule means, for the run summary." },
    retry: {
      type: "boolean",
      description:
        "existsIn on an incremental model: a quarantined row is tried again when the other model changes.",
    },
  },
  oneOf: ["expect", "notNull", "unique", "acceptedValues", "existsIn"].map((form) => ({ required: [form] })),
};

const model: JsonSchema = {
  type: "object",
  description: "A table below bronze: SQL over zone.table names, and the properties of its kind.",
  additionalProperties: false,
  required: ["zone"],
  properties: {
    zone: { enum: ["silver", "gold"], description: "The zone the model's table is in." },
    kind: {
      enum: ["table", "incremental", "partitions", "dimension"],
      default: "table",
      description:
        "table: rebuilt when its inputs change; incremental: only new rows of stream(zone.table); partitions: touched partitions; dimension: latest row per natural key.",
    },
    query: text("The SQL, inline (instead of models/<zone>/<name>.sql)."),
    sqlFile: text("The SQL file, relative to the project folder (default models/<zone>/<name>.sql)."),
    partitionBy: columnList("The columns the table is partitioned by."),
    uniqueKey: text("incremental: the column rows are merged by (none: rows are appended)."),
    keep: {
      enum: ["first", "last"],
      default: "first",
      description: "incremental: which of the rows sharing a uniqueKey is kept, in orderBy order.",
    },
    orderBy: columnList("incremental: the order deciding first and last (SQL ORDER BY items)."),
    naturalKey: text("dimension: the column identifying a member."),
    surrogateKey: text("dimension: the key column given to each member, stable forever."),
    latestBy: columnList("dimension: the order in which a member's latest row comes first."),
    expectations: {
      type: "object",
      description: "The model's rules, by name.",
      propertyNames: { title: "rule", pattern: NAME_PATTERN },
      additionalProperties: expectation,
    },
    description: { type: "string", description: "What the model holds." },
  },
  allOf: [
    { not: { required: ["query", "sqlFile"] } },
    {
      if: { properties: { kind: { const: "dimension" } }, required: ["kind"] },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, never awaited.
      then: { required: ["naturalKey", "surrogateKey"] },
    },
    {
      if: { properties: { kind: { const: "partitions" } }, required: ["kind"] },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, never awaited.
      then: { required: ["partitionBy"], properties: { partitionBy: { minItems: 1 } } },
    },
  ],
};

const chartChannel = (role: string): JsonSchema => ({
  type: "object",
  description: `${role}: a column of the chart's query and how it reads.`,
  additionalProperties: false,
  required: ["field"],
  properties: {
    field: text("The result column."),
    type: {
      enum: CHART_FIELD_TYPES,
      description: "quantitative, temporal, ordinal or nominal (default: from the values).",
    },
    title: text("The axis or legend title (default: the column name)."),
    format: text(
      "currency, integer, number, percent (a ratio), month, date, or a d3-format string like ,.2f.",
    ),
    sort: {
      enum: CHART_SORT_ORDERS,
      description:
        "The order of categories: by value (ascending, descending) or by a channel (-x: largest x first).",
    },
  },
});

const chart: JsonSchema = {
  type: "object",
  description: "A chart of the project: SQL over zone.table names, and how its result is drawn.",
  additionalProperties: false,
  required: ["title", "mark", "x", "y"],
  properties: {
    title: text("The chart's title."),
    description: { type: "string", description: "What the chart shows, under its title." },
    query: text("The SQL, inline (instead of charts/<name>.sql)."),
    sqlFile: text("The SQL file, relative to the project folder (default charts/<name>.sql)."),
    mark: {
      enum: CHART_MARK_NAMES,
      description: "line, bar, point, area, or rect (a heatmap: colour is the value).",
    },
    x: chartChannel("The horizontal axis"),
    y: chartChannel("The vertical axis"),
    color: chartChannel("The colour (a legend)"),
    stack: {
      type: "boolean",
      default: true,
      description: "Bars and areas with a colour: stacked, or side by side when false.",
    },
    filters: {
      type: "object",
      description: `Filters the chart offers, by name; the query holds ${FILTERS_PLACEHOLDER} where their condition goes.`,
      propertyNames: { title: "filter", pattern: NAME_PATTERN },
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        required: ["column"],
        properties: {
          column: text(
            "The SQL expression the filter restricts (a column, or e.g. make_date(year, month, 1)).",
          ),
          match: {
            enum: CHART_FILTER_MATCHES,
            default: "equals",
            description: "equals: the column equals the value; from / to: a date range's first or last day.",
          },
        },
      },
    },
  },
  allOf: [{ not: { required: ["query", "sqlFile"] } }],
};

/** lake.json. */
export const LAKE_SCHEMA: JsonSchema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "lake.json",
  description:
    "A Medallion Lake project: zones, engine settings, CSV sources, models, charts and key figures.",
  type: "object",
  additionalProperties: false,
  properties: {
    $schema: { type: "string", description: "This schema, for editors." },
    name: text("The project's name."),
    zones: {
      type: "object",
      description: "Where each zone lives. Zones must not overlap.",
      additionalProperties: false,
      properties: {
        landing: zoneFolder("landing", "The CSV drops, as ingested (write-once)"),
        bronze: zoneFolder("bronze", "The sources' tables"),
        silver: zoneFolder("silver", "Cleaned models"),
        gold: zoneFolder("gold", "Marts"),
      },
    },
    systemDirectory: text(
      "Where the run log and the run lease live (default lake/_system, or <gold>/_system when gold is on S3).",
    ),
    engine: {
      type: "object",
      additionalProperties: false,
      properties: {
        threads: {
          type: "integer",
          minimum: 1,
          maximum: MAX_THREADS,
          description: "DuckDB's worker threads (default: the number of cores).",
        },
        memoryLimit: {
          type: "string",
          pattern: MEMORY_PATTERN,
          description: 'DuckDB\'s memory limit, at least 128MB, e.g. "2GB" or "512MiB".',
        },
        tempDirectory: {
          ...text("Where DuckDB spills and the pipeline stages files."),
          default: "lake/.tmp",
        },
      },
    },
    sources: {
      type: "object",
      description: "CSV sources, by name: each becomes bronze.<name> and bronze.<name>_rejects.",
      propertyNames: { title: "source", pattern: NAME_PATTERN },
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        required: ["files", "columns"],
        properties: {
          files: text("A file-name pattern with * and ?, e.g. sales*.csv."),
          columns: {
            type: "array",
            minItems: 1,
            uniqueItems: true,
            items: { type: "string", minLength: 1, pattern: "^[^_]" },
            description: "The header every file must have, in order.",
          },
        },
      },
    },
    models: {
      type: "object",
      description: "Every table below bronze, by name.",
      propertyNames: { title: "model", pattern: "^(?!.*_(keys|quarantine|rejects)$)[a-z][a-z0-9_]*$" },
      additionalProperties: model,
    },
    charts: {
      type: "object",
      description: "Charts of the project's tables, by name (lake chart NAME, the report, the dashboard).",
      propertyNames: { title: "chart", pattern: NAME_PATTERN },
      additionalProperties: chart,
    },
    figures: {
      type: "object",
      description: "Key figures the report shows, by name: SQL whose first row's first column is the figure.",
      propertyNames: { title: "figure", pattern: NAME_PATTERN },
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        required: ["title", "query"],
        properties: {
          title: text("What the figure is called."),
          query: text("SQL over zone.table names returning one value."),
          format: { enum: FIGURE_FORMATS, description: "currency, integer, number or percent (a ratio)." },
          description: { type: "string", description: "What the figure counts." },
        },
      },
    },
    storage: {
      type: "object",
      description: "S3: how to reach it, and the bucket settings lake storage apply keeps.",
      additionalProperties: false,
      properties: {
        s3: {
          type: "object",
          description: "No credentials: those come from the AWS environment, a profile or an IAM role.",
          additionalProperties: false,
          properties: {
            region: text("The AWS region."),
            endpoint: text("An S3-compatible server's address; unset on AWS."),
            forcePathStyle: {
              type: "boolean",
              description: "Path-style addressing (default: true with an endpoint).",
            },
          },
        },
        lifecycle: {
          type: "object",
          description: "Storage tiers per zone, in days since creation.",
          additionalProperties: false,
          properties: {
            landing: zoneLifecycle,
            bronze: zoneLifecycle,
            silver: zoneLifecycle,
            gold: zoneLifecycle,
          },
        },
        noncurrentVersionExpirationDays: {
          type: "integer",
          minimum: 1,
          default: 30,
          description: "Old versions expire after this many days.",
        },
        abortIncompleteUploadsAfterDays: {
          type: "integer",
          minimum: 1,
          default: 7,
          description: "Unfinished multipart uploads are aborted after this many days.",
        },
      },
    },
  },
};
