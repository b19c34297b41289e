/**
 * Landing → Bronze for one source: every landing file not yet ingested becomes one commit to the
 * source's bronze table (its columns as text plus `_ingested_at`, `_source_file`, `_source_row`) and
 * one to `<source>_rejects` (malformed lines with their raw text and the reason). Both commits carry
 * a `txn` for the file, so a re-run, or a run after a crash between the two, ingests nothing twice.
 * Every record is accounted for: records in the file = bronze rows + rejected lines.
 */
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { field, type Row, type StructType, struct } from "../delta/index.ts";
import {
  type DeltaContext,
  loadIfExists,
  sqlIdentifier,
  sqlString,
  strictCsvScan,
  takeCsvRejects,
  writeTable,
} from "../engine/index.ts";
import { LocalStore } from "../storage/index.ts";
import { type PrepassReject, prepassCsv } from "./csv-prepass.ts";
import { AccountingError } from "./errors.ts";
import { listLandingFiles } from "./landing.ts";
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
): { bronze: LocalStore; rejects: LocalStore } {
  return {
    bronze: new LocalStore(join(project.zones.bronze, source.name)),
    rejects: new LocalStore(join(project.zones.bronze, `${source.name}_rejects`)),
  };
}

/**
 * Ingests the source's landing files that its bronze tables have not recorded yet, oldest name first.
 * @throws HeaderMismatchError when a file's header is not the source's columns (nothing of that file is written).
 * @throws AccountingError when records ≠ bronze rows + rejects for a file.
 */
export async function ingestSource(
  ctx: DeltaContext,
  project: ProjectConfig,
  source: SourceConfig,
  ingestedAt: number,
  progress: (line: string) => void = () => {},
): Promise<FileIngest[]> {
  const { bronze, rejects } = bronzeStores(project, source);
  const results: FileIngest[] = [];
  for (const file of await listLandingFiles(project, source)) {
    const appId = `medallion-lake/landing/${file.key}`;
    const needBronze = (await loadIfExists(ctx, bronze))?.txn(appId) === undefined;
    const needRejects = (await loadIfExists(ctx, rejects))?.txn(appId) === undefined;
    if (!needBronze && !needRejects) {
      results.push({ file: file.key, records: 0, bronzeRows: 0, rejects: 0, ingested: false });
      continue;
    }
    progress(`${source.name}: ingesting ${file.key}`);
    const result = await ingestFile(
      ctx,
      project,
      source,
      file,
      { bronze: needBronze ? bronze : undefined, rejects: needRejects ? rejects : undefined },
      appId,
      ingestedAt,
    );
    results.push(result);
    progress(`${source.name}: ${file.key}: ${result.bronzeRows} rows, ${result.rejects} rejected`);
  }
  return results;
}

async function ingestFile(
  ctx: DeltaContext,
  project: ProjectConfig,
  source: SourceConfig,
  file: { key: string; path: string },
  targets: { bronze: LocalStore | undefined; rejects: LocalStore | undefined },
  appId: string,
  ingestedAt: number,
): Promise<FileIngest> {
  await mkdir(project.engine.tempDirectory, { recursive: true });
  const staged = join(project.engine.tempDirectory, `ingest-${process.pid}-${Date.now()}.csv`);
  try {
    const pre = await prepassCsv(file.path, staged, source.columns, file.key);
    const scan = strictCsvScan(staged, [
      ["_source_row", "BIGINT"],
      ...source.columns.map((c) => [c, "VARCHAR"] as const),
    ]);
    const txn = { appId, version: 1 };
    let bronzeRows: number;
    if (targets.bronze) {
      const columns = source.columns.map(sqlIdentifier).join(", ");
      const sql = `SELECT ${columns}, make_timestamp(${BigInt(ingestedAt) * 1000n})::TIMESTAMPTZ AS _ingested_at,
        ${sqlString(file.key)} AS _source_file, _source_row FROM (${scan.sql})`;
      bronzeRows = (await writeTable(ctx, targets.bronze, { sql }, { txn, tableName: source.name }))
        .rowsWritten;
    } else {
      // Bronze has the file; the scan is rerun only to recover the rejects a crash did not commit.
      const reader = await ctx.session.connection.runAndReadAll(`SELECT count(*) FROM (${scan.sql})`);
      bronzeRows = Number(reader.getRows()[0]?.[0] ?? 0);
    }
    const rejected = [
      ...pre.rejects,
      ...(await takeCsvRejects(ctx.session, scan)).map((r) => fromStagedLine(r, source.columns.length)),
    ];
    if (targets.rejects) {
      const rows: Row[] = rejected
        .sort((a, b) => a.line - b.line)
        .map((r) => ({
          _source_file: file.key,
          _source_row: BigInt(r.line),
          raw_line: r.raw,
          error: r.error,
          _ingested_at: BigInt(ingestedAt) * 1000n,
        }));
      await writeTable(
        ctx,
        targets.rejects,
        { rows, schema: REJECTS_SCHEMA },
        { txn, tableName: `${source.name}_rejects` },
      );
    }
    if (pre.records !== bronzeRows + rejected.length) {
      throw new AccountingError(
        `${file.key}: ${pre.records} records in the file, but ${bronzeRows} bronze rows + ${rejected.length} rejected lines = ${bronzeRows + rejected.length}`,
      );
    }
    return { file: file.key, records: pre.records, bronzeRows, rejects: rejected.length, ingested: true };
  } finally {
    await rm(staged, { force: true });
  }
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
