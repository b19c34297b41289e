/**
 * Runs the `lake` CLI in-process with its output captured, and prepares the tables CLI tests work on:
 * temporary directories, copies of corpus tables (the corpus itself is read-only), commit mtimes, and
 * small tables written with the library.
 */
import { cp, mkdtemp, readdir, readFile, rm, utimes } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { runCli } from "../../src/cli/run-cli.ts";
import type { WriteOptions } from "../../src/engine/index.ts";
import { DeltaContext, storeForLocation, writeTable } from "../../src/lake/index.ts";
import { CORPUS_DIR, corpusTable } from "./corpus.ts";

/** What one `lake` invocation returned and printed. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `lake ...argv` in this process and captures stdout and stderr. */
export async function lake(...argv: string[]): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    drained: async () => {},
  });
  return { code, stdout, stderr };
}

/** A fresh empty directory under the OS temp folder; remove it with `removeDir`. */
export function makeTempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "lake-cli-test-"));
}

/** Removes a directory made by `makeTempDir`. */
export function removeDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}

/** Copies the corpus table `name` to `dir/name` and returns the copy's path. */
export async function copyCorpusTable(name: string, dir: string): Promise<string> {
  const target = join(dir, name);
  await cp(corpusTable(name), target, { recursive: true });
  return target;
}

/** The `file://` location the CLI prints for the table folder `path`. */
export function locationOf(path: string): string {
  return pathToFileURL(path).href;
}

/** The lines of a corpus table's `expected/<file>` (e.g. `latest.jsonl`, `v0.jsonl`). */
export async function expectedLines(name: string, file: string): Promise<string[]> {
  return lines(await readFile(join(CORPUS_DIR, name, "expected", file), "utf8"));
}

/** The non-empty lines of `text`, sorted by their UTF-8 bytes as the corpus sorts them. */
export function sortedLines(text: string): string[] {
  return lines(text).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

/** Sets the mtime of each commit file `version -> ms` of the table at `tablePath`. */
export async function setCommitMtimes(
  tablePath: string,
  mtimes: Readonly<Record<string, number>>,
): Promise<void> {
  for (const [version, ms] of Object.entries(mtimes)) {
    const file = join(tablePath, "_delta_log", `${version.padStart(20, "0")}.json`);
    // utimes takes seconds as a double: aim at the middle of the millisecond so that rounding
    // cannot land just below it (stores read mtimes truncated to whole milliseconds).
    const seconds = (ms + 0.5) / 1000;
    await utimes(file, seconds, seconds);
  }
}

/**
 * The commit times (version -> ms) to give a corpus table's commit files: its meta.json's
 * `commit_file_mtimes_ms` (what timestamp time travel expects), else its commitInfo timestamps.
 */
export async function corpusCommitTimes(name: string): Promise<Record<string, number>> {
  const meta = JSON.parse(await readFile(join(CORPUS_DIR, name, "meta.json"), "utf8")) as {
    commit_file_mtimes_ms?: Record<string, number>;
    commitInfo_timestamps_ms?: Record<string, number>;
  };
  const times = meta.commit_file_mtimes_ms ?? meta.commitInfo_timestamps_ms;
  if (times === undefined) throw new Error(`${name}/meta.json records no commit times`);
  return times;
}

/** Keys (`/`-separated paths) of the Parquet data files under `tablePath`, `_delta_log/` excluded, sorted. */
export async function dataFiles(tablePath: string): Promise<string[]> {
  const entries = await readdir(tablePath, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(".parquet"))
    .map((e) => relative(tablePath, join(e.parentPath, e.name)).split(sep).join("/"))
    .filter((key) => !key.startsWith("_delta_log/"))
    .sort();
}

/** One write of `writeBatches`: a DuckDB query and the write's options. */
export interface Batch {
  readonly sql: string;
  readonly options?: WriteOptions;
}

/** Writes the batches to the table at `tablePath` in order (the first creates it), in one session. */
export async function writeBatches(tablePath: string, batches: readonly Batch[]): Promise<void> {
  const store = storeForLocation(tablePath);
  await DeltaContext.with(async (ctx) => {
    for (const batch of batches) await writeTable(ctx, store, { sql: batch.sql }, batch.options);
  });
}

function lines(text: string): string[] {
  return text.split("\n").filter((line) => line !== "");
}
