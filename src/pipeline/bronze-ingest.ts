/**
 * Landing → Bronze for one source: the landing files not yet ingested are loaded as one batch, one
 * commit to the source's bronze table (its columns as text plus `_ingested_at`, `_source_file`,
 * `_source_row`) and one to `<source>_rejects` (malformed lines with their raw text and the reason).
 * Both commits carry a `txn` per file, so a re-run, or a run after a crash between the two, ingests
 * nothing twice. Every record is accounted for: records = bronze rows + rejected lines.
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { field, type Row, type StructType, struct } from "../delta/index.ts";
import {
  type CsvReject,
  type DeltaContext,
  loadIfExists,
  sqlIdentifier,
  sqlString,
  strictCsvScan,
  takeCsvRejects,
  writeTable,
} from "../engine/index.ts";
import type { ObjectStore } from "../storage/index.ts";
import { type PrepassReject, prepassCsv } from "./csv-prepass.ts";
import { AccountingError } from "./errors.ts";
import { listLandingFiles, readLandingFile } from "./landing.ts";
import { tableStore, zoneStore } from "./layer-tables.ts";
import type { ProjectConfig, SourceConfig } from "./project-config.ts";

/** The rejects table's schema. */
export const REJECTS_SCHEMA: StructType = struct(
  field("_source_file", "string"),
  field("_source_row", "long"),
  field("raw_line", "string"),
  field("error", "string"),
  field("_ingested_at", "timestamp"),
);

/** What ingesting one landing file did. */
export interface FileIngest {
  readonly file: string;
  readonly records: number;
  readonly bronzeRows: number;
  readonly rejects: number;
  /** False when both tables had already recorded the file. */
  readonly ingested: boolean;
}

/** The bronze table of a source, and its rejects table, inside the bronze zone. */
export function bronzeStores(
  project: ProjectConfig,
  source: SourceConfig,
): { bronze: ObjectStore; rejects: ObjectStore } {
  return {
    bronze: tableStore(project, "bronze", source.name),
    rejects: tableStore(project, "bronze", `${source.name}_rejects`),
  };
}

/**
 * Ingests the source's landing files that its bronze tables have not recorded yet, as one batch:
 * one commit to the bronze table and one to the rejects table, each with a `txn` per file.
 * @throws HeaderMismatchError when a file's header is not the source's columns (nothing is written).
 * @throws AccountingError when records ≠ bronze rows + rejects.
 */
export async function ingestSource(
  ctx: DeltaContext,
  project: ProjectConfig,
  source: SourceConfig,
  ingestedAt: number,
  progress: (line: string) => void = () => {},
): Promise<FileIngest[]> {
  const { bronze, rejects } = bronzeStores(project, source);
  const [bronzeSnapshot, rejectsSnapshot] = [
    await loadIfExists(ctx, bronze),
    await loadIfExists(ctx, rejects),
  ];
  const landing = zoneStore(project, "landing");
  const plan = (await listLandingFiles(project, source)).map((file) => {
    const appId = `medallion-lake/landing/${file.key}`;
    return {
      file,
      appId,
      needBronze: bronzeSnapshot?.txn(appId) === undefined,
      needRejects: rejectsSnapshot?.txn(appId) === undefined,
    };
  });
  const todo = plan.filter((p) => p.needBronze || p.needRejects);
  if (todo.length === 0)
    return plan.map((p) => ({ file: p.file.key, records: 0, bronzeRows: 0, rejects: 0, ingested: false }));
  await mkdir(project.engine.tempDirectory, { recursive: true });
  const staging = await mkdtemp(join(project.engine.tempDirectory, "ingest-"));
  try {
    /** Per landing key: the staged copy's path, its records and its rejects so far. */
    const staged = new Map<string, StagedFile>();
    for (const [i, p] of todo.entries()) {
      progress(`${source.name}: reading ${p.file.key}`);
      const path = join(staging, `${i}.csv`);
      const pre = await prepassCsv(readLandingFile(landing, p.file.key), path, source.columns, p.file.key);
      staged.set(p.file.key, { path, records: pre.records, rejects: [...pre.rejects] });
    }
    const pathOf = (key: string) => staged.get(key)?.path ?? "";
    const columns: Array<readonly [string, string]> = [
      ["_source_row", "BIGINT"],
      ...source.columns.map((c) => [c, "VARCHAR"] as const),
    ];
    const forBronze = todo.filter((p) => p.needBronze);
    let bronzeRows = 0;
    if (forBronze.length > 0) {
      const scan = strictCsvScan(
        forBronze.map((p) => pathOf(p.file.key)),
        columns,
      );
      const keys = forBronze
        .map((p) => `(${sqlString(pathOf(p.file.key))}, ${sqlString(p.file.key)})`)
        .join(", ");
      const sql = `SELECT ${source.columns.map((c) => `s.${sqlIdentifier(c)}`).join(", ")}, make_timestamp(${BigInt(ingestedAt) * 1000n})::TIMESTAMPTZ AS _ingested_at,
          k.landing_key AS _source_file, s._source_row
        FROM (${scan.sql}) s JOIN (VALUES ${keys}) k(staged, landing_key) ON k.staged = s.${scan.fileColumn}`;
      const txn = forBronze.map((p) => ({ appId: p.appId, version: 1 }));
      bronzeRows = (await writeTable(ctx, bronze, { sql }, { txn, tableName: source.name })).rowsWritten;
      addDuckDbRejects(staged, await takeCsvRejects(ctx.session, scan), source.columns.length);
    }
    const rejectsOnly = todo.filter((p) => !p.needBronze);
    if (rejectsOnly.length > 0) {
      // Bronze has these files; they are scanned again only to recover the rejects a crash did not commit.
      const scan = strictCsvScan(
        rejectsOnly.map((p) => pathOf(p.file.key)),
        columns,
      );
      await ctx.session.connection.run(`SELECT count(*) FROM (${scan.sql})`);
      addDuckDbRejects(staged, await takeCsvRejects(ctx.session, scan), source.columns.length);
    }
    const forRejects = todo.filter((p) => p.needRejects);
    if (forRejects.length > 0) {
      const at = BigInt(ingestedAt) * 1000n;
      const rows: Row[] = forRejects.flatMap((p) =>
        (staged.get(p.file.key)?.rejects ?? [])
          .sort((a, b) => a.line - b.line)
          .map((r) => ({
            _source_file: p.file.key,
            _source_row: BigInt(r.line),
            raw_line: r.raw,
            error: r.error,
            _ingested_at: at,
          })),
      );
      const txn = forRejects.map((p) => ({ appId: p.appId, version: 1 }));
      await writeTable(
        ctx,
        rejects,
        { rows, schema: REJECTS_SCHEMA },
        { txn, tableName: `${source.name}_rejects` },
      );
    }
    const expected = forBronze.reduce((sum, p) => {
      const f = staged.get(p.file.key);
      return sum + (f ? f.records - f.rejects.length : 0);
    }, 0);
    if (bronzeRows !== expected) {
      throw new AccountingError(
        `bronze.${source.name}: the new files hold ${expected} records that are not rejected, but ${bronzeRows} bronze rows were written`,
      );
    }
    const results = plan.map((p): FileIngest => {
      const f = staged.get(p.file.key);
      if (f === undefined)
        return { file: p.file.key, records: 0, bronzeRows: 0, rejects: 0, ingested: false };
      return {
        file: p.file.key,
        records: f.records,
        bronzeRows: f.records - f.rejects.length,
        rejects: f.rejects.length,
        ingested: true,
      };
    });
    for (const r of results.filter((x) => x.ingested))
      progress(`${source.name}: ${r.file}: ${r.bronzeRows} rows, ${r.rejects} rejected`);
    return results;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

interface StagedFile {
  readonly path: string;
  readonly records: number;
  readonly rejects: PrepassReject[];
}

/** Adds DuckDB's rejects (which name the staged path) to their files' reject lists. */
function addDuckDbRejects(
  staged: Map<string, StagedFile>,
  rejects: readonly CsvReject[],
  columns: number,
): void {
  const byPath = new Map([...staged.values()].map((f) => [f.path, f]));
  for (const reject of rejects) byPath.get(reject.file)?.rejects.push(fromStagedLine(reject, columns));
}

/**
 * A DuckDB reject of the staged copy: its first field is the original line number. A wrong number of
 * columns is described by counting the line's fields (DuckDB reports one message per missing column).
 */
function fromStagedLine(reject: { csvLine: string; error: string }, columns: number): PrepassReject {
  const comma = reject.csvLine.indexOf(",");
  const raw = reject.csvLine.slice(comma + 1);
  const countProblem =
    /^(missing columns|too many columns):/.test(reject.error) &&
    !/; (?!missing columns|too many columns)/.test(reject.error);
  const error = countProblem
    ? `wrong number of columns: expected ${columns}, found ${countFields(raw)}`
    : reject.error;
  return { line: Number(reject.csvLine.slice(0, comma)), raw, error };
}

/** Fields of one CSV line with balanced quotes: commas outside quotes, plus one. */
function countFields(line: string): number {
  let fields = 1;
  let quoted = false;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    else if (char === "," && !quoted) fields++;
  }
  return fields;
}
