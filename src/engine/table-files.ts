/**
 * Live data files of a snapshot as DuckDB relations: each file's Parquet columns plus its partition
 * values (from the log) as typed literal columns, so row-level operations can filter and rewrite them.
 */
import {
  type AddFile,
  dataFileKey,
  partitionRow,
  type Snapshot,
  UnsupportedFeatureError,
} from "../delta/index.ts";
import type { ObjectStore } from "../storage/index.ts";
import type { DeltaContext } from "./delta-context.ts";
import { parquetScan, sqlIdentifier, sqlString } from "./duckdb-session.ts";
import { duckDbType } from "./duckdb-types.ts";
import { type LocalFile, localFile } from "./local-files.ts";
import { mapLimit } from "./map-limit.ts";
import { sqlLiteral } from "./values-sql.ts";

/**
 * A SELECT over `files` (all of one partition or not) yielding the table's columns in schema order.
 * The caller releases the local files afterwards.
 */
export async function filesRelation(
  ctx: DeltaContext,
  snapshot: Snapshot,
  store: ObjectStore,
  files: readonly AddFile[],
): Promise<{ sql: string; locals: LocalFile[] }> {
  const locals: LocalFile[] = [];
  const parts: string[] = [];
  for (const file of files) {
    const local = await localFile(store, dataFileKey(snapshot, file.path), ctx.readCache);
    locals.push(local);
    const partitions = partitionRow(snapshot, file);
    const source = parquetScan(local.path);
    // Files written before a column was added lack it: such columns read as null.
    const present = new Set(
      (await ctx.session.connection.runAndReadAll(`SELECT * FROM ${source} LIMIT 0`)).columnNames(),
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

/**
 * Creates (or replaces) the temporary view `name` over the snapshot's live files (the latest snapshot
 * when none is given; only `files` when given) and returns its quoted name. With `schema`, the view
 * is a regular view `schema.name` of the session's in-memory database instead of a temporary one.
 * A table with no files gives an empty view with the table's columns. Views read local files in
 * place, and the read cache's copies of remote ones (pinned while the context is open).
 */
export async function createTableView(
  ctx: DeltaContext,
  store: ObjectStore,
  name: string,
  options: {
    readonly snapshot?: Snapshot;
    readonly files?: readonly AddFile[];
    readonly schema?: string;
  } = {},
): Promise<string> {
  const snap = options.snapshot ?? (await ctx.snapshot(store));
  const files = options.files ?? snap.files();
  if (files.some((f) => f.deletionVector)) {
    // A view would return the deleted rows too: refuse rather than return wrong rows.
    throw new UnsupportedFeatureError(store.location, "deletionVectors (in a SQL view)", "read");
  }
  const empty = snap.schema.fields.map(
    (f) => `CAST(NULL AS ${duckDbType(f.type)}) AS ${sqlIdentifier(f.name)}`,
  );
  let body: string;
  if (files.length === 0) {
    body = `SELECT ${empty.join(", ")} WHERE false`;
  } else if (snap.partitionColumns.length === 0 && snap.columnMappingMode === "none") {
    // One multi-file scan (parallel, columns pruned across files). The empty typed branch makes
    // every table column exist even if no file has it; union_by_name fills the gaps with NULL.
    // Partitioned tables need per-file partition literals: filesRelation below.
    const paths = await mapLimit(files, 8, async (f) =>
      sqlString((await localFile(store, dataFileKey(snap, f.path), ctx.readCache)).path),
    );
    const scan = `read_parquet([${paths.join(", ")}], hive_partitioning = false, union_by_name = true)`;
    const columns = snap.schema.fields.map((f) => sqlIdentifier(f.name)).join(", ");
    body = `SELECT ${columns} FROM (SELECT ${empty.join(", ")} WHERE false UNION ALL BY NAME SELECT * FROM ${scan})`;
  } else {
    body = (await filesRelation(ctx, snap, store, files)).sql;
  }
  if (options.schema === undefined) {
    await ctx.session.connection.run(`CREATE OR REPLACE TEMP VIEW ${sqlIdentifier(name)} AS ${body}`);
    return sqlIdentifier(name);
  }
  const qualified = `${sqlIdentifier(options.schema)}.${sqlIdentifier(name)}`;
  await ctx.session.connection.run(
    `CREATE SCHEMA IF NOT EXISTS ${sqlIdentifier(options.schema)}; CREATE OR REPLACE VIEW ${qualified} AS ${body}`,
  );
  return qualified;
}

/** Releases local copies made by {@link filesRelation}. */
export async function releaseAll(locals: readonly LocalFile[]): Promise<void> {
  await Promise.all(locals.map((local) => local.release()));
}
