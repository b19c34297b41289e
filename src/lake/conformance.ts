/**
 * The Delta reader conformance harness: reads every table and version of a corpus laid out like
 * `shared/delta-corpus` (see its README) and compares the rows with the expected canonical JSON
 * lines. Unreadable versions must fail with a Delta error, never return rows. Timestamp time travel is
 * checked where the corpus gives expected versions and the table's placement can set the commit
 * files' modification times (a local folder can; S3 cannot).
 */
import { cp, mkdtemp, readdir, readFile, rm, utimes } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { commitKey, DeltaError, scanRows, versionAtTimestamp } from "../delta/index.ts";
import type { DeltaContext } from "../engine/index.ts";
import { compareKeys, LocalStore, type ObjectStore } from "../storage/index.ts";
import { canonicalJson } from "./row-format.ts";

/** The outcome of one check: a table version, or a timestamp lookup. */
export interface ConformanceResult {
  readonly table: string;
  readonly check: string;
  readonly passed: boolean;
  readonly detail: string;
}

interface VersionExpectation {
  readonly readable: boolean;
  readonly rows?: number;
  readonly num_active_files?: number;
  readonly rows_file?: string;
  readonly error?: string;
}

interface TableMeta {
  readonly expected: { readonly per_version: Readonly<Record<string, VersionExpectation>> };
  readonly commit_file_mtimes_ms?: Readonly<Record<string, number>> | null;
  readonly timestamp_time_travel?: ReadonlyArray<{
    readonly timestamp_ms?: number;
    readonly timestamp?: string;
    readonly expected_version?: number;
  }> | null;
}

/** Where a corpus table is checked: a private copy the checks may change, in some store. */
export interface TablePlacement {
  readonly store: ObjectStore;
  /** Sets a commit file's modification time; absent where the store cannot (S3). */
  readonly setCommitTime?: (version: number, ms: number) => Promise<void>;
  cleanup(): Promise<void>;
}

/** Copies the table folder `tableDir` somewhere and returns the placement. */
export type PlaceTable = (tableDir: string) => Promise<TablePlacement>;

/** The default placement: a copy in a temporary local folder. */
export const placeLocally: PlaceTable = async (tableDir) => {
  const copy = await mkdtemp(join(tmpdir(), "lake-conformance-"));
  await cp(tableDir, copy, { recursive: true });
  return {
    store: new LocalStore(copy),
    setCommitTime: async (version, ms) => {
      const when = new Date(ms);
      await utimes(join(copy, commitKey(version)), when, when);
    },
    cleanup: () => rm(copy, { recursive: true, force: true }),
  };
};

/** Names of the corpus tables (folders with a meta.json), sorted. */
export async function corpusTables(corpusDir: string): Promise<string[]> {
  const entries = await readdir(corpusDir, { withFileTypes: true });
  const names: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const files = await readdir(join(corpusDir, entry.name));
    if (files.includes("meta.json") && files.includes("table")) names.push(entry.name);
  }
  return names.sort();
}

/**
 * Checks one corpus table on a private copy (the corpus stays untouched; `place` makes the copy) and
 * yields one result per version and per timestamp lookup.
 */
export async function* checkTable(
  ctx: DeltaContext,
  corpusDir: string,
  table: string,
  place: PlaceTable = placeLocally,
): AsyncGenerator<ConformanceResult> {
  const meta = JSON.parse(await readFile(join(corpusDir, table, "meta.json"), "utf8")) as TableMeta;
  const placement = await place(join(corpusDir, table, "table"));
  const { store, setCommitTime } = placement;
  try {
    const versions = Object.entries(meta.expected.per_version).sort((a, b) => Number(a[0]) - Number(b[0]));
    for (const [version, expectation] of versions) {
      const check = `v${version}`;
      try {
        const detail = await checkVersion(ctx, store, Number(version), expectation, join(corpusDir, table));
        yield { table, check, passed: detail.passed, detail: detail.message };
      } catch (error) {
        yield { table, check, passed: false, detail: `unexpected ${describe(error)}` };
      }
    }
    const mtimes = meta.commit_file_mtimes_ms;
    if (mtimes && meta.timestamp_time_travel && setCommitTime) {
      for (const [version, ms] of Object.entries(mtimes)) await setCommitTime(Number(version), ms);
      const latest = await ctx.snapshot(store);
      const earliest = Math.min(...Object.values(mtimes));
      for (const lookup of meta.timestamp_time_travel) {
        const ms = lookup.timestamp_ms ?? Date.parse(lookup.timestamp ?? "");
        const check = `timestamp ${new Date(ms).toISOString()}`;
        // Where the corpus gives no version (engines disagree), ours is documented in time-travel.ts:
        // before the first commit is an error, after the last commit is the latest version.
        const expected = lookup.expected_version ?? (ms < earliest ? "error" : latest.version);
        try {
          const found = await versionAtTimestamp(store, latest, ms);
          const passed = found === expected;
          yield { table, check, passed, detail: `version ${found}${passed ? "" : `, expected ${expected}`}` };
        } catch (error) {
          const passed = expected === "error" && error instanceof DeltaError;
          yield {
            table,
            check,
            passed,
            detail: passed ? `refused: ${describe(error)}` : `unexpected ${describe(error)}`,
          };
        }
      }
    }
  } finally {
    await placement.cleanup();
  }
}

async function checkVersion(
  ctx: DeltaContext,
  store: ObjectStore,
  version: number,
  expectation: VersionExpectation,
  tableDir: string,
): Promise<{ passed: boolean; message: string }> {
  if (!expectation.readable) {
    try {
      const snapshot = await ctx.snapshot(store, { version });
      let count = 0;
      for await (const _row of scanRows(snapshot, store, ctx.parquet)) count++;
      return { passed: false, message: `expected a clear error, but ${count} rows were returned` };
    } catch (error) {
      if (error instanceof DeltaError) return { passed: true, message: `refused: ${error.message}` };
      throw error;
    }
  }
  const snapshot = await ctx.snapshot(store, { version });
  const lines: string[] = [];
  for await (const row of scanRows(snapshot, store, ctx.parquet))
    lines.push(canonicalJson(row, snapshot.schema));
  lines.sort(compareKeys);
  const expected = (await readFile(join(tableDir, expectation.rows_file ?? ""), "utf8"))
    .split("\n")
    .filter((l) => l !== "");
  if (expectation.num_active_files !== undefined && snapshot.numFiles !== expectation.num_active_files) {
    return {
      passed: false,
      message: `${snapshot.numFiles} active files, expected ${expectation.num_active_files}`,
    };
  }
  const firstDiff = lines.findIndex((line, i) => line !== expected[i]);
  if (lines.length !== expected.length || firstDiff !== -1) {
    const at = firstDiff === -1 ? Math.min(lines.length, expected.length) : firstDiff;
    return {
      passed: false,
      message: `${lines.length} rows, expected ${expected.length}; first difference at sorted row ${at}:\n    got      ${lines[at] ?? "(none)"}\n    expected ${expected[at] ?? "(none)"}`,
    };
  }
  return { passed: true, message: `${lines.length} rows` };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
