/**
 * What the dashboard shows of the project's tables: every table with its rows, size and freshness,
 * and one table in detail (schema, partitioning, properties, history, files with their statistics,
 * and a preview at a version or an instant that reads only the rows it shows).
 */
import { type HistoryEntry, history, parseStats, type Snapshot, StatsNumber } from "../delta/index.ts";
import { type DeltaContext, loadIfExists } from "../engine/index.ts";
import { type ProjectConfig, type ProjectTable, projectTables, ZONES } from "../pipeline/index.ts";
import { describeTable, rowCount, type TableDescription } from "./describe-table.ts";
import { projectTableNames, projectTableStore, type TableAt } from "./open-table.ts";
import { type Json, rowValues } from "./row-format.ts";
import { tableRowBatches } from "./table-rows.ts";

/** One table of the project as the overview lists it. */
export interface TableSummary {
  /** `zone.table` (`_system.runs` for the run log). */
  readonly name: string;
  readonly zone: string;
  /** What it is to the setting that declares it. */
  readonly role: ProjectTable["role"] | "system";
  /** The setting that declares it (`models.sales_enriched`), or `system`. */
  readonly declaredBy: string;
  /** False until a run has written it. */
  readonly exists: boolean;
  readonly version: number | null;
  readonly files: number | null;
  /** Null when some file has no row count in its stats, or the table does not exist yet. */
  readonly rows: number | null;
  readonly sizeBytes: number | null;
  /** The last commit's time, ms since the epoch. */
  readonly lastCommit: number | null;
}

/** Every table of the project, in pipeline order (bronze, silver, gold, then its own `_system` tables). */
export async function tableSummaries(ctx: DeltaContext, project: ProjectConfig): Promise<TableSummary[]> {
  const tables = [
    ...[...projectTables(project)].sort((a, b) => ZONES.indexOf(a.zone) - ZONES.indexOf(b.zone)),
    ...projectTableNames(project)
      .filter((name) => name.startsWith("_system."))
      .map((name) => ({
        zone: "_system",
        table: name.slice(8),
        declaredBy: "system",
        role: "system" as const,
      })),
  ];
  // One at a time: loading a snapshot may read a checkpoint through the session's one connection.
  const summaries: TableSummary[] = [];
  for (const { zone, table, declaredBy, role } of tables) {
    const name = `${zone}.${table}`;
    const snapshot = await loadIfExists(ctx, projectTableStore(project, name));
    summaries.push({
      name,
      zone,
      role,
      declaredBy,
      exists: snapshot !== undefined,
      version: snapshot?.version ?? null,
      files: snapshot?.numFiles ?? null,
      rows: snapshot === undefined ? null : rowCount(snapshot),
      sizeBytes: snapshot === undefined ? null : sizeOf(snapshot),
      lastCommit: snapshot?.timestamp ?? null,
    });
  }
  return summaries;
}

/** One data file of a snapshot with its statistics (values as JSON text, long numbers exact). */
export interface TableFile {
  readonly path: string;
  readonly size: number;
  readonly modificationTime: number;
  readonly partitionValues: Readonly<Record<string, string | null>>;
  readonly numRecords: number | null;
  readonly deletedRows: number;
  readonly minValues: Json;
  readonly maxValues: Json;
  readonly nullCount: Json;
}

/** A table at one version, as the table page shows it. */
export interface TableDetail {
  readonly name: string;
  readonly description: TableDescription;
  /** The newest version (the detail may be of an older one). */
  readonly latestVersion: number;
  /** Commits up to the newest, newest first (at most `historyLimit`). */
  readonly history: readonly HistoryEntry[];
  /** The first rows of the version shown, in file order. */
  readonly preview: { readonly columns: readonly string[]; readonly rows: readonly Json[][] };
  /** The version's files (at most `fileLimit`), and how many it has in all. */
  readonly files: readonly TableFile[];
  readonly totalFiles: number;
}

/** How much of a table its page shows. */
export interface TableDetailLimits {
  readonly previewRows: number;
  readonly historyLimit: number;
  readonly fileLimit: number;
}

/**
 * The table `name` (`zone.table`) at `at` (the latest when empty).
 * @throws LakeUsageError for a name the project does not have; the Delta errors of a table that
 *   does not exist yet or a version that is not available.
 */
export async function tableDetail(
  ctx: DeltaContext,
  project: ProjectConfig,
  name: string,
  at: TableAt,
  limits: TableDetailLimits,
): Promise<TableDetail> {
  const store = projectTableStore(project, name);
  const latest = await ctx.snapshot(store);
  const snapshot =
    at.version === undefined && at.timestamp === undefined ? latest : await ctx.snapshot(store, at);
  const rows: Json[][] = [];
  for await (const batch of tableRowBatches(ctx, snapshot, store, limits.previewRows))
    for (const row of batch) rows.push(rowValues(row, snapshot.schema));
  const files = snapshot.files();
  return {
    name,
    description: describeTable(snapshot),
    latestVersion: latest.version,
    history: await history(store, latest, limits.historyLimit),
    preview: { columns: snapshot.schema.fields.map((f) => f.name), rows },
    files: files.slice(0, limits.fileLimit).map((add) => {
      const stats = parseStats(add.stats);
      return {
        path: add.path,
        size: add.size,
        modificationTime: add.modificationTime,
        partitionValues: add.partitionValues,
        numRecords: stats?.numRecords ?? null,
        deletedRows: add.deletionVector?.cardinality ?? 0,
        minValues: statsJson(stats?.minValues ?? {}),
        maxValues: statsJson(stats?.maxValues ?? {}),
        nullCount: statsJson(stats?.nullCount ?? {}),
      };
    }),
    totalFiles: files.length,
  };
}

function sizeOf(snapshot: Snapshot): number {
  return snapshot.files().reduce((sum, add) => sum + add.size, 0);
}

/** Stats values as JSON: numbers keep their exact text when a double would round them. */
function statsJson(value: unknown): Json {
  if (value instanceof StatsNumber) {
    const n = Number(value.text);
    return String(n) === value.text ? n : value.text;
  }
  if (Array.isArray(value)) return value.map(statsJson);
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, statsJson(v)]));
  return value as Json;
}
