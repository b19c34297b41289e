/**
 * Live data files of a snapshot as DuckDB relations: each file's Parquet columns plus its partition
 * values (from the log) as typed literal columns, so row-level operations can filter and rewrite them.
 */
import { type AddFile, dataFileKey, partitionRow, type Snapshot } from "../delta/index.ts";
import type { ObjectStore } from "../storage/index.ts";
import { type DuckDbSession, parquetScan, sqlIdentifier } from "./duckdb-session.ts";
import { type LocalFile, localFile } from "./local-files.ts";
import { sqlLiteral } from "./values-sql.ts";

/**
 * A SELECT over `files` (all of one partition or not) yielding the table's columns in schema order.
 * The caller releases the local files afterwards.
 */
export async function filesRelation(
  session: DuckDbSession,
  snapshot: Snapshot,
  store: ObjectStore,
  files: readonly AddFile[],
): Promise<{ sql: string; locals: LocalFile[] }> {
  const locals: LocalFile[] = [];
  const parts: string[] = [];
  for (const file of files) {
    const local = await localFile(store, dataFileKey(snapshot, file.path));
    locals.push(local);
    const partitions = partitionRow(snapshot, file);
    const source = parquetScan(local.path);
    // Files written before a column was added lack it: such columns read as null.
    const present = new Set(
      (await session.connection.runAndReadAll(`SELECT * FROM ${source} LIMIT 0`)).columnNames(),
    );
    const columns = snapshot.schema.fields.map((f) => {
      const value =
        f.name in partitions ? (partitions[f.name] ?? null) : present.has(f.name) ? undefined : null;
      return value === undefined
        ? sqlIdentifier(f.name)
        : `${sqlLiteral(value, f.type)} AS ${sqlIdentifier(f.name)}`;
    });
    parts.push(`SELECT ${columns.join(", ")} FROM ${source}`);
  }
  return { sql: parts.join(" UNION ALL BY NAME "), locals };
}

/** Releases local copies made by {@link filesRelation}. */
export async function releaseAll(locals: readonly LocalFile[]): Promise<void> {
  await Promise.all(locals.map((local) => local.release()));
}
