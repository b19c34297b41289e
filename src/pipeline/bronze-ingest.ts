/**
 * Landing → Bronze for one source: the landing files not yet ingested are loaded as one batch, one
 * commit to the source's bronze table (its columns as text plus `_ingested_at`, `_source_file`,
 * `_source_row`) and one to `<source>_rejects` (malformed lines with their raw text and the reason).
 * Both commits carry a `txn` per file, so a re-run, or a run after a crash between the two, ingests
 * nothing twice. Every record is accounted for: records = bronze rows + rejected lines.
 */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { field, type Row, type Snapshot, type StructType, struct } from "../delta/index.ts";
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
import { sha256Of } from "./chunk-hash.ts";
import { MAX_LINE_BYTES, type PrepassReject, type PrepassResult, prepassCsv } from "./csv-prepass.ts";
import { AccountingError } from "./errors.ts";
import { type LandingFile, listLandingFiles, readLandingFile } from "./landing.ts";
import { appendLandingEvents, type LandingEvent, landingTxnId, readLandingLog } from "./landing-log.ts";
import { tableStore, zoneStore } from "./layer-tables.ts";
import type { ProjectConfig, SourceConfig } from "./project-config.ts";

/** The rejects table's schema. */
export const REJECTS_SCHEMA: StructType = struct(
  field("_source_file", "string"),
  field("_source_row", "long"),
  field("raw_line", "string"),
  field("error", "string"),
  field("_ingested_at", "timestamp"),
  // The line's exact bytes when they are not UTF-8 (raw_line then shows them as U+FFFD); else null.
  field("raw_bytes", "binary"),
);

/** A staged line: a record's bytes, its line number and a comma. */
const STAGED_LINE_BYTES = MAX_LINE_BYTES + 32;

/** What a run did with one landing file. */
export interface FileIngest {
  readonly file: string;
  readonly records: number;
  readonly bronzeRows: number;
  readonly rejects: number;
  /** False when bronze, its rejects table and the landing log had already recorded the file. */
  readonly ingested: boolean;
  /** Why the file as a whole could not be read (then no line of it is in bronze). */
  readonly rejectedFile?: string;
  /** Something the user should know, such as a change to the file after it was ingested. */
  readonly notice?: string;
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

/** The run that ingests: its id and start time (the `_ingested_at` of its rows). */
export interface IngestRun {
  readonly runId: string;
  readonly startedAt: number;
}

/** One landing file in a run's plan. */
interface PlannedFile {
  readonly file: LandingFile;
  readonly appId: string;
  /** The generation to load: 1, plus one per retry. */
  readonly generation: number;
  /** The generation bronze and the rejects table hold (0: none); an earlier one's lines are replaced. */
  readonly bronzeAt: number;
  readonly rejectsAt: number;
  readonly needBronze: boolean;
  readonly needRejects: boolean;
  readonly needLog: boolean;
  /** The log knows nothing of the file yet: a copy of another file's content is refused. */
  readonly firstLoad: boolean;
}

/**
 * Ingests the source's landing files that its bronze tables have not recorded yet, as one batch:
 * one commit to the bronze table, one to the rejects table, each with a `txn` per file, then the
 * files' events in the landing log. A file that cannot be read as the source's CSV is rejected whole
 * and recorded; the other files go on. A file that changed after it was ingested is reported (and
 * logged once); one that changed after it was rejected is tried again.
 * @throws AccountingError when records ≠ bronze rows + rejects.
 */
export async function ingestSource(
  ctx: DeltaContext,
  project: ProjectConfig,
  source: SourceConfig,
  run: IngestRun,
  progress: (line: string) => void = () => {},
): Promise<FileIngest[]> {
  const { bronze, rejects } = bronzeStores(project, source);
  const [bronzeSnapshot, rejectsSnapshot, log] = [
    await loadIfExists(ctx, bronze),
    await loadIfExists(ctx, rejects),
    await readLandingLog(ctx, project),
  ];
  const landing = zoneStore(project, "landing");
  const notices = new Map<string, string>();
  const events: LandingEvent[] = [];
  const event = (e: Omit<LandingEvent, "source" | "runId" | "at">): LandingEvent => ({
    ...e,
    source: source.name,
    runId: run.runId,
    at: run.startedAt,
  });
  const plan: PlannedFile[] = [];
  for (const file of await listLandingFiles(project, source)) {
    const appId = landingTxnId(file.key);
    const state = log.latest.get(file.key);
    // Being moved away (see landing-files.ts); a file landed again under its name is a new load.
    if (state?.event === "set_aside" && state.etag === file.etag) continue;
    let generation = (state?.generation ?? 1) + (state?.event === "set_aside" ? 1 : 0);
    const settled = state !== undefined && log.recorded(file.key) >= generation;
    if (settled && (state.size !== file.size || state.etag !== file.etag)) {
      const sha256 = await sha256Of(readLandingFile(landing, file.key));
      if (sha256 !== state.sha256) {
        const was = `${state.size} bytes, sha256 ${state.sha256?.slice(0, 12)}…`;
        const now = `${file.size} bytes, sha256 ${sha256.slice(0, 12)}…`;
        if (state.event === "rejected") {
          generation++;
          events.push(
            event({
              ...blankCounts,
              file: file.key,
              event: "retried",
              generation,
              size: file.size,
              sha256,
              etag: file.etag,
              reason: `changed after it was rejected (${was} → ${now}); tried again`,
            }),
          );
        } else if (state.event === "ingested") {
          const reason = `changed after it was ingested in run ${state.runId} (${was} → ${now}); the new content is not loaded: \`lake files retry ${file.key}\` replaces its rows, \`lake files set-aside ${file.key}\` moves it away`;
          events.push(
            event({
              ...blankCounts,
              file: file.key,
              event: "changed",
              generation,
              size: file.size,
              sha256,
              etag: file.etag,
              reason,
            }),
          );
          notices.set(file.key, reason);
        }
      }
    }
    const holds = (snapshot: Snapshot | undefined) => snapshot?.txn(appId)?.version ?? 0;
    const [bronzeAt, rejectsAt] = [holds(bronzeSnapshot), holds(rejectsSnapshot)];
    plan.push({
      file,
      appId,
      generation,
      bronzeAt,
      rejectsAt,
      needBronze: bronzeAt < generation,
      needRejects: rejectsAt < generation,
      needLog: log.recorded(file.key) < generation,
      firstLoad: state === undefined,
    });
  }
  const todo = plan.filter((p) => p.needBronze || p.needRejects || p.needLog);
  const untouched = (p: PlannedFile): FileIngest => {
    const notice = notices.get(p.file.key);
    return {
      file: p.file.key,
      records: 0,
      bronzeRows: 0,
      rejects: 0,
      ingested: false,
      ...(notice ? { notice } : {}),
    };
  };
  if (todo.length === 0) {
    await appendLandingEvents(ctx, project, events);
    return plan.map(untouched);
  }
  const staging = await ctx.staging.folder("ingest");
  try {
    /** Per landing key: the staged copy, what the pre-pass found, and the rejects so far. */
    const staged = new Map<string, StagedFile>();
    /** Checksum → the loaded file with that content. */
    const loaded = new Map<string, string>();
    for (const e of log.latest.values())
      if (e.event === "ingested" && e.sha256 !== null) loaded.set(e.sha256, e.file);
    for (const [i, p] of todo.entries()) {
      progress(`${source.name}: reading ${p.file.key}`);
      const path = join(staging, `${i}.csv`);
      const pre = await prepassCsv(readLandingFile(landing, p.file.key), path, source.columns, p.file.size);
      const twin = loaded.get(pre.sha256);
      const unreadable =
        pre.unreadable ??
        (p.firstLoad && twin !== undefined && twin !== p.file.key
          ? `it has the same content as ${twin}, which is already loaded; \`lake files retry ${p.file.key}\` loads it anyway`
          : undefined);
      if (unreadable === undefined) loaded.set(pre.sha256, p.file.key);
      staged.set(p.file.key, { path, pre, unreadable, rejects: unreadable ? [] : [...pre.rejects] });
    }
    const readable = (p: PlannedFile) => staged.get(p.file.key)?.unreadable === undefined;
    const pathOf = (key: string) => staged.get(key)?.path ?? "";
    const columns: Array<readonly [string, string]> = [
      ["_source_row", "BIGINT"],
      ...source.columns.map((c) => [c, "VARCHAR"] as const),
    ];
    /**
     * A reloaded file's earlier lines leave the table in the commit that adds the new ones; `held` is
     * the generation that table holds, so a table a crash left behind is replaced on its own.
     */
    const replacing = (files: readonly PlannedFile[], held: (p: PlannedFile) => number) => {
      const keys = files.filter((p) => held(p) > 0).map((p) => sqlString(p.file.key));
      return keys.length > 0 ? { removeRows: `_source_file IN (${keys.join(", ")})` } : {};
    };
    const forBronze = todo.filter((p) => p.needBronze);
    let bronzeRows = 0;
    if (forBronze.length > 0) {
      const scanned = forBronze.filter(readable);
      const scan =
        scanned.length > 0
          ? strictCsvScan(
              scanned.map((p) => pathOf(p.file.key)),
              columns,
              STAGED_LINE_BYTES,
            )
          : undefined;
      const names = source.columns.map((c) => sqlIdentifier(c));
      const sql =
        scan === undefined
          ? `SELECT ${names.map((c) => `CAST(NULL AS VARCHAR) AS ${c}`).join(", ")}, CAST(NULL AS TIMESTAMPTZ) AS _ingested_at,
              CAST(NULL AS VARCHAR) AS _source_file, CAST(NULL AS BIGINT) AS _source_row WHERE false`
          : `SELECT ${names.map((c) => `s.${c}`).join(", ")}, make_timestamp(${BigInt(run.startedAt) * 1000n})::TIMESTAMPTZ AS _ingested_at,
              k.landing_key AS _source_file, s._source_row
            FROM (${scan.sql}) s JOIN (VALUES ${scanned.map((p) => `(${sqlString(pathOf(p.file.key))}, ${sqlString(p.file.key)})`).join(", ")}) k(staged, landing_key)
              ON k.staged = s.${scan.fileColumn}`;
      const txn = forBronze.map((p) => ({ appId: p.appId, version: p.generation }));
      bronzeRows = (
        await writeTable(
          ctx,
          bronze,
          { sql },
          { txn, tableName: source.name, ...replacing(forBronze, (p) => p.bronzeAt) },
        )
      ).rowsWritten;
      if (scan !== undefined)
        addDuckDbRejects(staged, await takeCsvRejects(ctx.session, scan), source.columns.length);
    }
    const rescan = todo.filter((p) => !p.needBronze && p.needRejects && readable(p));
    if (rescan.length > 0) {
      // Bronze has these files; they are scanned again only to recover the rejects a crash did not commit.
      const scan = strictCsvScan(
        rescan.map((p) => pathOf(p.file.key)),
        columns,
        STAGED_LINE_BYTES,
      );
      await ctx.session.connection.run(`SELECT count(*) FROM (${scan.sql})`);
      addDuckDbRejects(staged, await takeCsvRejects(ctx.session, scan), source.columns.length);
    }
    const forRejects = todo.filter((p) => p.needRejects);
    if (forRejects.length > 0) {
      const at = BigInt(run.startedAt) * 1000n;
      const rows: Row[] = forRejects.flatMap((p) =>
        (staged.get(p.file.key)?.rejects ?? [])
          .sort((a, b) => a.line - b.line)
          .map((r) => ({
            _source_file: p.file.key,
            _source_row: BigInt(r.line),
            raw_line: r.raw,
            error: r.error,
            _ingested_at: at,
            raw_bytes: r.rawBytes ?? null,
          })),
      );
      const txn = forRejects.map((p) => ({ appId: p.appId, version: p.generation }));
      await writeTable(
        ctx,
        rejects,
        { rows, schema: REJECTS_SCHEMA },
        {
          txn,
          tableName: `${source.name}_rejects`,
          mergeSchema: true,
          ...replacing(forRejects, (p) => p.rejectsAt),
        },
      );
    }
    const expected = forBronze.reduce((sum, p) => {
      const f = staged.get(p.file.key);
      return sum + (f && f.unreadable === undefined ? f.pre.records - f.rejects.length : 0);
    }, 0);
    if (bronzeRows !== expected) {
      throw new AccountingError(
        `bronze.${source.name}: the new files (${forBronze.map((p) => p.file.key).join(", ")}) hold ${expected} records that are not rejected, but ${bronzeRows} bronze rows were written`,
      );
    }
    const logged = todo.filter((p) => p.needLog);
    for (const p of logged) {
      const f = staged.get(p.file.key);
      if (f === undefined) continue;
      events.push(
        event({
          file: p.file.key,
          event: f.unreadable === undefined ? "ingested" : "rejected",
          generation: p.generation,
          size: f.pre.bytes,
          sha256: f.pre.sha256,
          etag: p.file.etag,
          records: f.pre.records,
          bronzeRows: f.pre.records - f.rejects.length,
          rejectedLines: f.rejects.length,
          reason: f.unreadable ?? null,
        }),
      );
    }
    await appendLandingEvents(
      ctx,
      project,
      events,
      logged.map((p) => ({ appId: p.appId, version: p.generation })),
    );
    const results = plan.map((p): FileIngest => {
      const f = staged.get(p.file.key);
      if (f === undefined) return untouched(p);
      if (f.unreadable !== undefined)
        return {
          file: p.file.key,
          records: 0,
          bronzeRows: 0,
          rejects: 0,
          ingested: true,
          rejectedFile: f.unreadable,
        };
      const rejected = f.rejects.length;
      return {
        file: p.file.key,
        records: f.pre.records,
        bronzeRows: f.pre.records - rejected,
        rejects: rejected,
        ingested: true,
      };
    });
    for (const r of results.filter((x) => x.ingested))
      progress(
        r.rejectedFile === undefined
          ? `${source.name}: ${r.file}: ${r.bronzeRows} rows, ${r.rejects} rejected`
          : `${source.name}: ${r.file} rejected as a whole file: ${r.rejectedFile}`,
      );
    return results;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** The counts of an event that is not a load. */
const blankCounts = { records: null, bronzeRows: null, rejectedLines: null } as const;

interface StagedFile {
  readonly path: string;
  readonly pre: PrepassResult;
  /** Why the file is rejected whole: the pre-pass's reason, or a copy of a loaded file. */
  readonly unreadable: string | undefined;
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
