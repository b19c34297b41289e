/**
 * The project: a folder with a `lake.json` that names the zones (landing, bronze, silver, gold),
 * each a local folder or an S3 location, the engine settings, the sources, the models (see
 * model-config.ts), the charts and key figures (chart-config.ts, figure-config.ts), and the S3 settings.
 * Loading validates everything and resolves paths against the project folder, so the rest of the
 * pipeline can trust the result.
 */
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { parseS3Url } from "../storage/index.ts";
import { type ChartConfig, parseChart } from "./chart-config.ts";
import { ProjectConfigError, UnknownSettingError } from "./config-errors.ts";
import { CONFIG_FILE } from "./config-schema.ts";
import { findDuplicateKey } from "./duplicate-keys.ts";
import { type EngineConfig, parseEngine } from "./engine-config.ts";
import { type FigureConfig, parseFigure } from "./figure-config.ts";
import { type ModelConfig, parseModel, RESERVED_NAME } from "./model-config.ts";
import { fileInTheWay, overlapProblem, type PlacedLocation, URL_SCHEME } from "./project-locations.ts";
import { describeTable, findTableClash, projectTables, unknownTableProblem } from "./project-tables.ts";
import { findUnknownSetting } from "./unknown-settings.ts";

export { ProjectConfigError, UnknownSettingError } from "./config-errors.ts";
export { CONFIG_FILE } from "./config-schema.ts";
export type { EngineConfig } from "./engine-config.ts";

export const ZONES = ["landing", "bronze", "silver", "gold"] as const;
export type Zone = (typeof ZONES)[number];

/** A CSV source: files in `landing/<name>/` whose names match `files`, with these columns. */
export interface SourceConfig {
  readonly name: string;
  /** A file-name pattern with `*` and `?` (e.g. `sales_transactions*.csv`). */
  readonly files: string;
  /** The header every file must have, in order. */
  readonly columns: readonly string[];
}

/**
 * How to reach S3 for the zones at `s3://` locations. No credentials: those come only from the AWS
 * SDK's default chain (environment, profile, IAM role).
 */
export interface S3Settings {
  readonly region?: string;
  /** An S3-compatible server's address; unset on AWS. */
  readonly endpoint?: string;
  /** Path-style addressing (default: true with an endpoint, false on AWS). */
  readonly forcePathStyle?: boolean;
}

/** Lifecycle tiers of one zone's objects, in days since creation (absent: never). */
export interface ZoneLifecycle {
  readonly infrequentAccessAfterDays?: number;
  readonly glacierAfterDays?: number;
}

/** The bucket settings `lake storage apply` keeps for the zones on S3. */
export interface BucketPolicyConfig {
  readonly lifecycle: Readonly<Record<Zone, ZoneLifecycle>>;
  /** Old versions of overwritten or deleted objects expire after this many days. */
  readonly noncurrentVersionExpirationDays: number;
  /** Unfinished multipart uploads are aborted after this many days. */
  readonly abortIncompleteUploadsAfterDays: number;
}

/** Landing and bronze move to Standard-IA after 30 days and Glacier after 90; silver and gold stay. */
export const DEFAULT_BUCKET_POLICY: BucketPolicyConfig = {
  lifecycle: {
    landing: { infrequentAccessAfterDays: 30, glacierAfterDays: 90 },
    bronze: { infrequentAccessAfterDays: 30, glacierAfterDays: 90 },
    silver: {},
    gold: {},
  },
  noncurrentVersionExpirationDays: 30,
  abortIncompleteUploadsAfterDays: 7,
};

export interface ProjectConfig {
  /** The project folder (absolute). */
  readonly root: string;
  readonly name: string;
  /** Each zone's location: an absolute folder, or `s3://bucket[/prefix]`. */
  readonly zones: Readonly<Record<Zone, string>>;
  /** Where the lake's own tables (the run log) live: a folder, or an S3 location. */
  readonly systemDirectory: string;
  /** S3 connection settings (used when a location is on S3). */
  readonly s3: S3Settings;
  /** What `lake storage apply` sets on the zones' buckets. */
  readonly buckets: BucketPolicyConfig;
  readonly engine: EngineConfig;
  readonly sources: readonly SourceConfig[];
  /** The models (every table below bronze), as declared; they run in dependency order. */
  readonly models: readonly ModelConfig[];
  /** The charts of the project's tables, as declared. */
  readonly charts: readonly ChartConfig[];
  /** The key figures the report shows, as declared. */
  readonly figures: readonly FigureConfig[];
}

type Fail = (field: string, problem: string) => ProjectConfigError;

/**
 * Loads `lake.json` from `dir` (or the nearest parent folder that has one): no key given twice in an
 * object, everything `parseProject` checks, and each local folder it names a folder where something
 * exists there.
 * @throws ProjectConfigError naming the file and the field that is wrong.
 */
export async function loadProject(dir: string): Promise<ProjectConfig> {
  const file = await findConfig(resolve(dir));
  const text = await readFile(file, "utf8");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ProjectConfigError(file, "", `not valid JSON (${(error as Error).message})`);
  }
  const duplicate = findDuplicateKey(text);
  if (duplicate)
    throw new ProjectConfigError(
      `${file}:${duplicate.line}`,
      duplicate.path,
      `given twice (also on line ${duplicate.firstLine}); JSON keeps only the last, so keep one`,
    );
  const project = parseProject(parsed, file);
  for (const { field, location } of places(project)) {
    if (location.startsWith("s3://")) continue;
    const inTheWay = await fileInTheWay(location);
    if (inTheWay !== undefined)
      throw new ProjectConfigError(
        file,
        field,
        `${inTheWay === location ? location : `${location}: ${inTheWay}`} is a file, not a folder`,
      );
  }
  return project;
}

/**
 * Validates a parsed config object; `file` locates it (paths resolve against its folder).
 * @throws UnknownSettingError for a key the schema does not name; ProjectConfigError for any other mistake.
 */
export function parseProject(value: unknown, file: string): ProjectConfig {
  const fail: Fail = (field, problem) => new ProjectConfigError(file, field, problem);
  const root = dirname(file);
  const obj = record(value, "", fail);
  const unknown = findUnknownSetting(obj);
  if (unknown !== undefined)
    throw new UnknownSettingError(file, unknown.field, unknown.suggestion, unknown.known, unknown.hint);
  if (obj.$schema !== undefined && typeof obj.$schema !== "string")
    throw fail("$schema", "must be the path or URL of lake.json's schema");
  if (obj.name !== undefined && (typeof obj.name !== "string" || obj.name === ""))
    throw fail("name", "must be a non-empty string");
  const zonesIn = obj.zones === undefined ? {} : record(obj.zones, "zones", fail);
  const zones = Object.fromEntries(
    ZONES.map((zone) => {
      const location = zonesIn[zone] ?? `lake/${zone}`;
      if (typeof location !== "string" || !location)
        throw fail(`zones.${zone}`, "must be a folder path or an s3://bucket/prefix location");
      return [zone, resolveLocation(location, root, `zones.${zone}`, fail)];
    }),
  ) as Record<Zone, string>;
  // A lake on S3 keeps its run log beside gold, so every machine running it sees the same runs.
  const system =
    obj.systemDirectory ?? (zones.gold.startsWith("s3://") ? `${zones.gold}/_system` : "lake/_system");
  if (typeof system !== "string" || !system) throw fail("systemDirectory", "must be a folder path");
  const storageIn = obj.storage === undefined ? {} : record(obj.storage, "storage", fail);
  const sourcesIn = obj.sources === undefined ? {} : record(obj.sources, "sources", fail);
  const modelsIn = obj.models === undefined ? {} : record(obj.models, "models", fail);
  const chartsIn = obj.charts === undefined ? {} : record(obj.charts, "charts", fail);
  const figuresIn = obj.figures === undefined ? {} : record(obj.figures, "figures", fail);
  const project: ProjectConfig = {
    root,
    name: (obj.name as string | undefined) ?? "lake",
    zones,
    systemDirectory: resolveLocation(system, root, "systemDirectory", fail),
    s3: parseS3Settings(storageIn.s3, fail),
    buckets: parseBucketPolicy(storageIn, fail),
    engine: parseEngine(obj.engine === undefined ? {} : record(obj.engine, "engine", fail), root, fail),
    sources: Object.entries(sourcesIn).map(([sourceName, raw]) => parseSource(sourceName, raw, fail)),
    models: Object.entries(modelsIn).map(([modelName, raw]) => parseModel(modelName, raw, fail)),
    charts: Object.entries(chartsIn).map(([chartName, raw]) => parseChart(chartName, raw, fail)),
    figures: Object.entries(figuresIn).map(([figureName, raw]) => parseFigure(figureName, raw, fail)),
  };
  const all = places(project);
  const overlap = overlapProblem(all.slice(0, ZONES.length), all.slice(ZONES.length));
  if (overlap) throw fail(overlap.field, overlap.problem);
  checkTables(project, fail);
  return project;
}

/** Every place the project writes, with the setting that names it: the zones first. */
function places(project: ProjectConfig): PlacedLocation[] {
  return [
    ...ZONES.map((zone) => ({ field: `zones.${zone}`, location: project.zones[zone] })),
    { field: "engine.tempDirectory", location: project.engine.tempDirectory },
    { field: "systemDirectory", location: project.systemDirectory },
  ];
}

/**
 * Every table has one writer (a source named `sales_rejects` would write into the rejects table of
 * source `sales`), and every `existsIn` rule names a table of the project.
 */
function checkTables(project: ProjectConfig, fail: Fail): void {
  const tables = projectTables(project);
  const clash = findTableClash(tables);
  if (clash) {
    const { taker, owner } = clash;
    throw fail(
      taker.declaredBy,
      `${taker.zone}.${taker.table} is ${describeTable(owner)}; give ${taker.declaredBy} another name`,
    );
  }
  for (const model of project.models) {
    for (const { name, existsIn } of model.expectations) {
      const problem = existsIn && unknownTableProblem(existsIn.model, tables);
      if (problem)
        throw fail(
          `models.${model.name}.expectations.${name}.existsIn.model`,
          `${existsIn?.model} is ${problem}`,
        );
    }
  }
}

/** An S3 location as given (checked), or a folder resolved against the project folder. */
function resolveLocation(location: string, root: string, field: string, fail: Fail): string {
  if (URL_SCHEME.test(location)) {
    if (!location.startsWith("s3://"))
      throw fail(field, `${location}: only folders and s3:// locations are supported`);
    try {
      const { bucket, prefix } = parseS3Url(location);
      return `s3://${bucket}${prefix ? `/${prefix}` : ""}`;
    } catch (error) {
      throw fail(field, (error as Error).message);
    }
  }
  return resolve(root, location);
}

function parseS3Settings(raw: unknown, fail: Fail): S3Settings {
  if (raw === undefined) return {};
  const s3 = record(raw, "storage.s3", fail);
  for (const key of ["region", "endpoint"] as const) {
    if (s3[key] !== undefined && (typeof s3[key] !== "string" || s3[key] === ""))
      throw fail(`storage.s3.${key}`, "must be a non-empty string");
  }
  if (s3.forcePathStyle !== undefined && typeof s3.forcePathStyle !== "boolean")
    throw fail("storage.s3.forcePathStyle", "must be true or false");
  return {
    ...(s3.region === undefined ? {} : { region: s3.region as string }),
    ...(s3.endpoint === undefined ? {} : { endpoint: s3.endpoint as string }),
    ...(s3.forcePathStyle === undefined ? {} : { forcePathStyle: s3.forcePathStyle as boolean }),
  };
}

function parseBucketPolicy(storage: Record<string, unknown>, fail: Fail): BucketPolicyConfig {
  /** A tier's days: a whole number, or null for "never" (undefined: the default). */
  const days = (value: unknown, field: string, fallback: number | undefined) => {
    if (value === undefined) return fallback;
    if (value === null) return undefined;
    if (!Number.isInteger(value) || (value as number) < 1)
      throw fail(field, "must be a whole number of days >= 1, or null for never");
    return value as number;
  };
  const requiredDays = (field: "noncurrentVersionExpirationDays" | "abortIncompleteUploadsAfterDays") => {
    const value = storage[field];
    if (value === undefined) return DEFAULT_BUCKET_POLICY[field];
    if (!Number.isInteger(value) || (value as number) < 1)
      throw fail(`storage.${field}`, "must be a whole number of days >= 1");
    return value as number;
  };
  const lifecycleIn =
    storage.lifecycle === undefined ? {} : record(storage.lifecycle, "storage.lifecycle", fail);
  const lifecycle = Object.fromEntries(
    ZONES.map((zone) => {
      const at = `storage.lifecycle.${zone}`;
      const given = lifecycleIn[zone] === undefined ? {} : record(lifecycleIn[zone], at, fail);
      const defaults = DEFAULT_BUCKET_POLICY.lifecycle[zone];
      const ia = days(
        given.infrequentAccessAfterDays,
        `${at}.infrequentAccessAfterDays`,
        defaults.infrequentAccessAfterDays,
      );
      const glacier = days(given.glacierAfterDays, `${at}.glacierAfterDays`, defaults.glacierAfterDays);
      // S3 requires 30 days in Standard-IA before a transition to Glacier.
      if (ia !== undefined && glacier !== undefined && glacier < ia + 30)
        throw fail(
          at,
          "glacierAfterDays must be at least infrequentAccessAfterDays + 30 (S3's minimum stay in Standard-IA)",
        );
      if (ia !== undefined && ia < 30)
        throw fail(`${at}.infrequentAccessAfterDays`, "S3 allows Standard-IA only from 30 days");
      return [
        zone,
        {
          ...(ia === undefined ? {} : { infrequentAccessAfterDays: ia }),
          ...(glacier === undefined ? {} : { glacierAfterDays: glacier }),
        },
      ];
    }),
  ) as Record<Zone, ZoneLifecycle>;
  return {
    lifecycle,
    noncurrentVersionExpirationDays: requiredDays("noncurrentVersionExpirationDays"),
    abortIncompleteUploadsAfterDays: requiredDays("abortIncompleteUploadsAfterDays"),
  };
}

/** True when a file name matches a source's `files` pattern. */
export function matchesPattern(fileName: string, pattern: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${regex}$`).test(fileName);
}

function parseSource(name: string, raw: unknown, fail: Fail): SourceConfig {
  const at = `sources.${name}`;
  if (name.startsWith("_")) throw fail(at, RESERVED_NAME);
  if (!/^[a-z][a-z0-9_]*$/.test(name))
    throw fail(at, "a source name is lower-case letters, digits and _ (it names a table)");
  const source = record(raw, at, fail);
  if (typeof source.files !== "string" || !source.files)
    throw fail(`${at}.files`, "must be a file-name pattern like sales*.csv");
  const columns = source.columns;
  if (!Array.isArray(columns) || columns.length === 0 || !columns.every((c) => typeof c === "string" && c)) {
    throw fail(`${at}.columns`, "must be the non-empty list of the files' header columns");
  }
  const seen = new Set<string>();
  for (const column of columns as string[]) {
    if (column.startsWith("_"))
      throw fail(`${at}.columns`, `${column}: names starting with _ are reserved for lineage columns`);
    if (seen.has(column.toLowerCase())) throw fail(`${at}.columns`, `${column} appears twice`);
    seen.add(column.toLowerCase());
  }
  return { name, files: source.files, columns: columns as string[] };
}

function record(value: unknown, field: string, fail: Fail): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw fail(field, "must be an object");
  return value as Record<string, unknown>;
}

async function findConfig(start: string): Promise<string> {
  for (let dir = start; ; dir = dirname(dir)) {
    const file = join(dir, CONFIG_FILE);
    try {
      await readFile(file);
      return file;
    } catch {
      if (dirname(dir) === dir) {
        throw new ProjectConfigError(
          join(start, CONFIG_FILE),
          "",
          `no ${CONFIG_FILE} here or in a parent folder; run "lake init" to create a project`,
        );
      }
    }
  }
}
