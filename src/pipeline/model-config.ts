/**
 * Models as a project declares them in lake.json (`models`): every table below bronze is one, SQL over
 * `zone.table` names (inline or in `models/<zone>/<name>.sql`) plus the properties of its kind:
 * - `table`: rebuilt in full when its definition or an input changed;
 * - `incremental`: takes only the rows of `stream(zone.table)` that are new since the version it
 *   consumed, and appends them, or merges them by `uniqueKey` (duplicates resolved by `keep` first or
 *   last in `orderBy` order, also against the rows already in the table);
 * - `partitions`: replaces only the partitions of its `partitionBy` that its inputs' changes touch;
 * - `dimension`: the latest row per `naturalKey` (by `latestBy`), with a `surrogateKey` that never
 *   changes for that natural key.
 * Expectations are declared per model; see `parseExpectation` for the shorthands.
 */
import { EXPECTATION_ACTIONS, type Expectation, type ExpectationAction } from "./expectations.ts";

export const MODEL_KINDS = ["table", "incremental", "partitions", "dimension"] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/** The lineage columns bronze gives every row: the order in which rows arrived. */
export const LINEAGE_ORDER: readonly string[] = ["_source_file", "_source_row"];

/** A model declared in the project. */
export interface ModelConfig {
  readonly name: string;
  readonly zone: "silver" | "gold";
  readonly kind: ModelKind;
  /** The query, given inline or read from `sqlFile` (relative to the project folder). */
  readonly query?: string;
  readonly sqlFile?: string;
  readonly partitionBy: readonly string[];
  /** `incremental`: the column rows are merged by (none: rows are appended). */
  readonly uniqueKey?: string;
  /** `incremental`: which of the rows sharing a `uniqueKey` is kept. */
  readonly keep: "first" | "last";
  /** `incremental`: the order deciding first and last (SQL ORDER BY items). */
  readonly orderBy: readonly string[];
  /** `dimension`: the column identifying a member, and the surrogate key column given to it. */
  readonly naturalKey?: string;
  readonly surrogateKey?: string;
  /** `dimension`: the order in which the latest row of a member comes first (SQL ORDER BY items). */
  readonly latestBy: readonly string[];
  readonly expectations: readonly Expectation[];
}

type Fail = (field: string, problem: string) => Error;

const NAME = /^[a-z][a-z0-9_]*$/;
const REFERENCE = /^(silver|gold)\.([a-z][a-z0-9_]*)$/;

/** Why a source or a model may not be called `_…`. */
export const RESERVED_NAME = "names starting with _ are reserved for the lake's own tables (like _system)";

/** Validates one entry of `models` (its keys are checked against the schema by the caller). */
export function parseModel(name: string, raw: unknown, fail: Fail): ModelConfig {
  const at = `models.${name}`;
  if (name.startsWith("_")) throw fail(at, RESERVED_NAME);
  if (!NAME.test(name)) throw fail(at, "a model name is lower-case letters, digits and _ (it names a table)");
  if (/_(keys|quarantine|rejects)$/.test(name))
    throw fail(
      at,
      "names ending in _keys, _quarantine or _rejects belong to the tables a model keeps beside it",
    );
  const model = object(raw, at, fail);
  if (model.zone !== "silver" && model.zone !== "gold")
    throw fail(`${at}.zone`, 'must be "silver" or "gold"');
  const kind = model.kind ?? "table";
  if (!MODEL_KINDS.includes(kind as ModelKind))
    throw fail(`${at}.kind`, `must be one of ${MODEL_KINDS.join(", ")}`);
  if (model.query !== undefined && model.sqlFile !== undefined)
    throw fail(at, 'has both "query" and "sqlFile": keep one');
  if (model.query !== undefined && (typeof model.query !== "string" || model.query.trim() === ""))
    throw fail(`${at}.query`, "must be SQL text");
  if (model.sqlFile !== undefined && (typeof model.sqlFile !== "string" || model.sqlFile === ""))
    throw fail(`${at}.sqlFile`, "must be a .sql file path relative to the project folder");
  const source =
    model.query !== undefined
      ? { query: model.query as string }
      : { sqlFile: (model.sqlFile as string | undefined) ?? `models/${model.zone}/${name}.sql` };
  const columns = (field: string, fallback: readonly string[]) => {
    const value = model[field] ?? fallback;
    if (!Array.isArray(value) || !value.every((c) => typeof c === "string" && c !== ""))
      throw fail(`${at}.${field}`, "must be a list of column names");
    return value as string[];
  };
  const column = (field: string) => {
    const value = model[field];
    if (value !== undefined && (typeof value !== "string" || value === ""))
      throw fail(`${at}.${field}`, "must be a column name");
    return value as string | undefined;
  };
  const only = (fields: readonly string[], kinds: readonly ModelKind[]) => {
    for (const field of fields) {
      if (model[field] !== undefined && !kinds.includes(kind as ModelKind))
        throw fail(`${at}.${field}`, `applies to ${kinds.join(" and ")} models only`);
    }
  };
  only(["uniqueKey", "keep", "orderBy"], ["incremental"]);
  only(["naturalKey", "surrogateKey", "latestBy"], ["dimension"]);
  if (model.keep !== undefined && model.keep !== "first" && model.keep !== "last")
    throw fail(`${at}.keep`, 'must be "first" or "last"');
  if (model.keep !== undefined && model.uniqueKey === undefined)
    throw fail(`${at}.keep`, "needs a uniqueKey: it says which of the rows sharing one is kept");
  const partitionBy = columns("partitionBy", []);
  if (kind === "partitions" && partitionBy.length === 0)
    throw fail(`${at}.partitionBy`, "a partitions model needs the columns it is partitioned by");
  if (kind === "dimension" && (model.naturalKey === undefined || model.surrogateKey === undefined))
    throw fail(at, 'a dimension needs "naturalKey" and "surrogateKey"');
  const expectationsIn =
    model.expectations === undefined ? {} : object(model.expectations, `${at}.expectations`, fail);
  const expectations = Object.entries(expectationsIn).map(([rule, spec]) =>
    parseExpectation(rule, spec, `${at}.expectations.${rule}`, kind as ModelKind, fail),
  );
  const uniqueKey = column("uniqueKey");
  const naturalKey = column("naturalKey");
  const surrogateKey = column("surrogateKey");
  return {
    name,
    zone: model.zone,
    kind: kind as ModelKind,
    ...source,
    partitionBy,
    ...(uniqueKey === undefined ? {} : { uniqueKey }),
    keep: (model.keep as "first" | "last" | undefined) ?? "first",
    orderBy: columns("orderBy", LINEAGE_ORDER),
    ...(naturalKey === undefined ? {} : { naturalKey }),
    ...(surrogateKey === undefined ? {} : { surrogateKey }),
    latestBy: columns("latestBy", ["_ingested_at DESC", "_source_file DESC", "_source_row DESC"]),
    expectations,
  };
}

/**
 * One expectation: a rule name and one of
 * - `"expect": "SQL"`: a condition every row should meet (NULL counts as not met);
 * - `"notNull": "column"`;
 * - `"unique": "column"` (on an incremental model's uniqueKey, the rows its `keep` drops);
 * - `"acceptedValues": { "column": "c", "values": ["a", "b"] }`;
 * - `"existsIn": { "column": "c", "model": "silver.dim", "key": "k" }` (key defaults to the column);
 *   on an incremental model, with `"retry": true` and action quarantine, a row quarantined by such
 *   rules alone is tried again when the other model changes, so a member that arrives late lets its
 *   rows in;
 * with `"action"`: `warn` (default), `quarantine` or `fail`, and an optional `"description"`.
 */
export function parseExpectation(
  rule: string,
  raw: unknown,
  at: string,
  kind: ModelKind,
  fail: Fail,
): Expectation {
  if (!NAME.test(rule)) throw fail(at, "a rule name is lower-case letters, digits and _");
  const spec = object(raw, at, fail);
  const forms = ["expect", "notNull", "unique", "acceptedValues", "existsIn"].filter(
    (f) => spec[f] !== undefined,
  );
  if (forms.length !== 1)
    throw fail(at, "needs exactly one of expect, notNull, unique, acceptedValues, existsIn");
  const action = spec.action ?? "warn";
  if (!EXPECTATION_ACTIONS.includes(action as ExpectationAction))
    throw fail(`${at}.action`, `must be one of ${EXPECTATION_ACTIONS.join(", ")}`);
  if (action === "quarantine" && kind === "partitions")
    throw fail(`${at}.action`, "a partitions model cannot quarantine rows (warn or fail)");
  const quoted = (name: unknown, field: string) => {
    if (typeof name !== "string" || name === "") throw fail(`${at}.${field}`, "must be a column name");
    return `"${name.replace(/"/g, '""')}"`;
  };
  const form = forms[0] as string;
  let condition: string;
  let description = typeof spec.description === "string" ? spec.description : "";
  let existsIn: Expectation["existsIn"];
  let unique: string | undefined;
  switch (form) {
    case "expect":
      if (typeof spec.expect !== "string" || spec.expect.trim() === "")
        throw fail(`${at}.expect`, "must be a SQL condition");
      condition = spec.expect;
      break;
    case "notNull":
      condition = `${quoted(spec.notNull, "notNull")} IS NOT NULL`;
      description ||= `${String(spec.notNull)} is present`;
      break;
    case "unique":
      unique = spec.unique as string;
      condition = `${quoted(spec.unique, "unique")} IS NULL OR count(*) OVER (PARTITION BY ${quoted(spec.unique, "unique")}) = 1`;
      description ||= `${String(spec.unique)} is unique`;
      break;
    case "acceptedValues": {
      const values = object(spec.acceptedValues, `${at}.acceptedValues`, fail);
      if (
        !Array.isArray(values.values) ||
        !values.values.every((v) => typeof v === "string" || typeof v === "number")
      )
        throw fail(`${at}.acceptedValues.values`, "must be a list of strings or numbers");
      const list = (values.values as Array<string | number>)
        .map((v) => (typeof v === "number" ? String(v) : `'${v.replace(/'/g, "''")}'`))
        .join(", ");
      const col = quoted(values.column, "acceptedValues.column");
      condition = `${col} IS NULL OR ${col} IN (${list})`;
      description ||= `${String(values.column)} is one of ${list}`;
      break;
    }
    default: {
      const target = object(spec.existsIn, `${at}.existsIn`, fail);
      const col = quoted(target.column, "existsIn.column");
      const reference = typeof target.model === "string" ? REFERENCE.exec(target.model) : null;
      if (reference === null)
        throw fail(`${at}.existsIn.model`, 'must name a model as "silver.name" or "gold.name"');
      const key = quoted(target.key ?? target.column, "existsIn.key");
      existsIn = {
        column: target.column as string,
        model: target.model as string,
        key: (target.key ?? target.column) as string,
      };
      condition = `${col} IS NULL OR ${col} IN (SELECT ${key} FROM ${target.model})`;
      description ||= `${String(target.column)} is in ${String(target.model)}`;
    }
  }
  if (spec.retry !== undefined) {
    if (spec.retry !== true && spec.retry !== false) throw fail(`${at}.retry`, "must be true or false");
    // Only a quarantined row can be retried; with warn or fail the setting has nothing to do.
    if (spec.retry && (form !== "existsIn" || kind !== "incremental"))
      throw fail(`${at}.retry`, "applies to existsIn rules of incremental models");
  }
  return {
    name: rule,
    description,
    condition,
    action: action as ExpectationAction,
    ...(existsIn ? { existsIn } : {}),
    ...(unique ? { unique } : {}),
    ...(spec.retry === true ? { retry: true } : {}),
  };
}

function object(value: unknown, field: string, fail: Fail): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw fail(field, "must be an object");
  return value as Record<string, unknown>;
}
