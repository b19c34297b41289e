/**
 * Writing query results to a Delta table: create, append, or overwrite (the whole table or the
 * partitions matching given values), with schema enforcement (a mismatch fails naming the columns),
 * opt-in schema evolution (new nullable columns) and idempotence through the `txn` action.
 */
import { randomUUID } from "node:crypto";
import {
  type Action,
  type AddFile,
  type CommitOptions,
  checkWriterRules,
  commit,
  type DeltaValue,
  findField,
  InvalidOperationError,
  isPrimitive,
  type Metadata,
  type Protocol,
  parsePartitionValue,
  type ReadScope,
  type RemoveFile,
  type Row,
  removeAction,
  SchemaMismatchError,
  type Snapshot,
  type StructField,
  type StructType,
  serializeSchema,
  struct,
  TableNotFoundError,
  txnAction,
  typeToString,
} from "../delta/index.ts";
import type { ObjectStore } from "../storage/index.ts";
import { addActionFor, writeDataFiles } from "./data-file-writer.ts";
import { rowsRemovedActions } from "./delete-rows.ts";
import type { DeltaContext } from "./delta-context.ts";
import { sqlIdentifier } from "./duckdb-session.ts";
import { duckDbType } from "./duckdb-types.ts";
import { sourceSchema } from "./source-schema.ts";
import { uploadDataFiles } from "./upload.ts";
import { valuesSql } from "./values-sql.ts";

/** An application id and the version of it a write carries. */
export interface TxnId {
  readonly appId: string;
  readonly version: number;
}

/** Partition column → value. */
export type PartitionFilter = Readonly<Record<string, DeltaValue>>;

/** Rows to write: a DuckDB query, or JavaScript rows with their schema. */
export type WriteSource =
  | { readonly sql: string }
  | { readonly rows: readonly Row[]; readonly schema: StructType };

export interface WriteOptions {
  /** `append` (default) adds rows; `overwrite` replaces the table's rows (or the matching partitions'). */
  readonly mode?: "append" | "overwrite";
  /**
   * With `overwrite`: only the files whose partition values equal these are replaced; with a list,
   * the files matching any of them.
   */
  readonly replacePartitions?: PartitionFilter | readonly PartitionFilter[];
  /** Record another operation than WRITE (e.g. a MERGE built on an append). */
  readonly operation?: { readonly name: string; readonly parameters: Readonly<Record<string, unknown>> };
  /** The rows were computed from the table itself (a MERGE): concurrent appends then conflict. */
  readonly readsTable?: boolean;
  /** Partition columns when the write creates the table. */
  readonly partitionBy?: readonly string[];
  /**
   * With `append`: the table's rows matching this predicate (SQL over its columns) are removed in the
   * same commit, copy-on-write, as a MERGE that replaces matched rows does. Counted in `rowsRemoved`.
   */
  readonly removeRows?: string;
  /** Add source columns the table lacks as nullable columns (default: refuse them). */
  readonly mergeSchema?: boolean;
  /**
   * With a whole-table `overwrite`: the table takes the source's schema and `partitionBy`, as CREATE OR
   * REPLACE TABLE does, instead of enforcing its own. It keeps its id and its history.
   */
  readonly replaceTable?: boolean;
  /**
   * Idempotence: skip the write when the table already recorded this appId at this version or later
   * (with several, when it recorded all of them); they are recorded with the data.
   */
  readonly txn?: TxnId | readonly TxnId[];
  /**
   * Write even when the `txn` is already recorded (a deliberate rebuild, such as a full refresh);
   * the txn is still recorded. Default false.
   */
  readonly rewrite?: boolean;
  /** Table properties when the write creates the table. */
  readonly configuration?: Readonly<Record<string, string>>;
  /** A name for the table's metadata when the write creates it. */
  readonly tableName?: string;
  /** Roll over to a new data file past about this many bytes. */
  readonly targetFileSizeBytes?: number;
  readonly commitOptions?: CommitOptions;
  /**
   * The version the source was computed from, when it read the table (default: the latest, loaded
   * here). A commit after it that conflicts with what this write read fails the write.
   */
  readonly readSnapshot?: Snapshot;
}

export interface WriteMetrics {
  /** The committed version; undefined when skipped. */
  readonly version: number | undefined;
  /** True when the `txn` showed this write was already committed. */
  readonly skipped: boolean;
  readonly filesAdded: number;
  readonly filesRemoved: number;
  readonly rowsWritten: number;
  /** Rows removed by `removeRows`. */
  readonly rowsRemoved: number;
  readonly bytesWritten: number;
}

/**
 * Writes `source` to the table in `store`, creating it when absent.
 * @throws SchemaMismatchError naming missing, extra or mistyped columns.
 * @throws UnsupportedFeatureError when the table needs a writer feature we do not implement.
 * @throws AppendOnlyTableError for an overwrite of a table with `delta.appendOnly=true`.
 * @throws CommitConflictError, CommitRetriesExhaustedError from the commit.
 */
export async function writeTable(
  ctx: DeltaContext,
  store: ObjectStore,
  source: WriteSource,
  options: WriteOptions = {},
): Promise<WriteMetrics> {
  const snapshot = options.readSnapshot ?? (await loadIfExists(ctx, store));
  const now = (options.commitOptions?.clock ?? Date.now)();
  const txns: readonly TxnId[] =
    options.txn === undefined ? [] : Array.isArray(options.txn) ? options.txn : [options.txn as TxnId];
  const overwrite = options.mode === "overwrite";
  if (snapshot) {
    // Checked before any data file is written; an overwrite removes data even when the table or the
    // replaced partitions hold no files yet (as Spark's overwrite of an append-only table fails).
    checkWriterRules(store.location, snapshot, {
      operation: overwrite ? "overwrite" : options.removeRows === undefined ? "append to" : "merge into",
      removesData: overwrite || options.removeRows !== undefined,
    });
    const done = txns.length > 0 && txns.every((t) => (snapshot.txn(t.appId)?.version ?? -1) >= t.version);
    if (done && !options.rewrite) {
      return {
        version: undefined,
        skipped: true,
        filesAdded: 0,
        filesRemoved: 0,
        rowsWritten: 0,
        rowsRemoved: 0,
        bytesWritten: 0,
      };
    }
  }
  const sourceSql = "sql" in source ? source.sql : valuesSql(source.rows, source.schema);
  const incoming = "sql" in source ? await sourceSchema(ctx.session, source.sql) : source.schema;
  const replacing = snapshot !== undefined && overwrite && options.replaceTable === true;
  if (replacing && options.replacePartitions !== undefined) {
    throw new Error("writeTable: replaceTable replaces the whole table; it cannot take replacePartitions");
  }
  const plan =
    snapshot && !replacing
      ? reconcileSchema(store.location, snapshot.schema, incoming, options.mergeSchema ?? false)
      : { schema: incoming, evolved: false };
  const partitionColumns = (replacing ? undefined : snapshot?.partitionColumns) ?? options.partitionBy ?? [];
  if (!snapshot || replacing) validatePartitionColumns(store.location, incoming, partitionColumns);
  for (const filter of [options.replacePartitions ?? []].flat()) {
    const wrong = Object.keys(filter).find((name) => !partitionColumns.includes(name));
    if (wrong !== undefined) {
      throw new InvalidOperationError(
        `Cannot replace partitions of ${store.location} by ${wrong}: it is not a partition column (partition columns: ${partitionColumns.join(", ") || "none"})`,
      );
    }
  }

  let rowsRemoved = 0;
  const rewritten: Action[] = [];
  const staged = await ctx.staging.withFolder("write", async (dir) => {
    if (snapshot && options.removeRows !== undefined && !overwrite) {
      const removal = await rowsRemovedActions(ctx, snapshot, store, options.removeRows, dir, now);
      rowsRemoved = removal.rowsDeleted;
      rewritten.push(...removal.actions);
    }
    const files = await writeDataFiles(
      ctx.session,
      alignedSql(sourceSql, incoming, plan.schema),
      {
        schema: plan.schema,
        partitionColumns,
        ...(options.targetFileSizeBytes === undefined
          ? {}
          : { targetFileSizeBytes: options.targetFileSizeBytes }),
      },
      dir,
    );
    await uploadDataFiles(store, files);
    return files;
  });
  const adds: AddFile[] = staged.map((file) => addActionFor(file, now));

  const matches = partitionMatcher(plan.schema, options.replacePartitions);
  const removes: RemoveFile[] =
    snapshot && overwrite
      ? snapshot
          .files()
          .filter((f) => matches(f.partitionValues))
          .map((f) => removeAction(f, now))
      : [];
  const actions: Action[] = [];
  if (!snapshot) {
    actions.push({ protocol: protocolFor(plan.schema) });
    actions.push({ metaData: newMetadata(plan.schema, partitionColumns, options, now) });
  } else if (plan.evolved) {
    actions.push({ metaData: { ...snapshot.metadata, schemaString: serializeSchema(plan.schema) } });
  } else if (
    replacing &&
    (serializeSchema(plan.schema) !== snapshot.metadata.schemaString ||
      JSON.stringify(partitionColumns) !== JSON.stringify(snapshot.partitionColumns))
  ) {
    const needed = protocolFor(plan.schema);
    if (needed.minWriterVersion > snapshot.protocol.minWriterVersion) actions.push({ protocol: needed });
    actions.push({
      metaData: { ...snapshot.metadata, schemaString: serializeSchema(plan.schema), partitionColumns },
    });
  }
  actions.push(...removes.map((remove) => ({ remove })), ...rewritten, ...adds.map((add) => ({ add })));
  for (const t of txns) actions.push(txnAction(t.appId, t.version, now));

  const readScope: ReadScope =
    options.readsTable || rewritten.length > 0 || (overwrite && !options.replacePartitions)
      ? { kind: "table" }
      : overwrite
        ? { kind: "partitions", matches }
        : { kind: "nothing" };
  const rowsWritten = staged.reduce((sum, f) => sum + f.numRecords, 0);
  const bytesWritten = staged.reduce((sum, f) => sum + f.size, 0);
  const result = await commit(
    store,
    ctx.parquet,
    snapshot,
    {
      operation: options.operation?.name ?? (snapshot ? "WRITE" : "CREATE TABLE AS SELECT"),
      operationParameters: options.operation?.parameters ?? {
        mode: overwrite ? "Overwrite" : "Append",
        partitionBy: JSON.stringify(partitionColumns),
        ...(options.replacePartitions
          ? { replacePartitions: JSON.stringify(options.replacePartitions, bigintJson) }
          : {}),
      },
      operationMetrics: {
        numFiles: String(adds.length),
        numOutputRows: String(rowsWritten),
        numOutputBytes: String(bytesWritten),
        numRemovedFiles: String(removes.length),
      },
      actions,
      readScope,
    },
    options.commitOptions,
  );
  return {
    version: result.version,
    skipped: false,
    filesAdded: adds.length,
    filesRemoved: removes.length + rewritten.filter((a) => "remove" in a).length,
    rowsWritten,
    rowsRemoved,
    bytesWritten,
  };
}

/** The snapshot, or undefined when there is no table yet. */
export async function loadIfExists(ctx: DeltaContext, store: ObjectStore): Promise<Snapshot | undefined> {
  try {
    return await ctx.snapshot(store);
  } catch (error) {
    if (error instanceof TableNotFoundError) return undefined;
    throw error;
  }
}

/**
 * Checks the incoming columns against the table's; returns the schema to write with.
 * @throws SchemaMismatchError listing every problem.
 */
export function reconcileSchema(
  location: string,
  table: StructType,
  incoming: StructType,
  mergeSchema: boolean,
): { schema: StructType; evolved: boolean } {
  const problems: string[] = [];
  for (const f of table.fields) {
    const source = findField(incoming, f.name);
    if (source === undefined) {
      if (!f.nullable) problems.push(`missing non-nullable column ${f.name}`);
    } else if (JSON.stringify(source.type) !== JSON.stringify(f.type)) {
      problems.push(
        `column ${f.name} is ${typeToString(f.type)} in the table but ${typeToString(source.type)} in the data`,
      );
    }
  }
  const extra = incoming.fields.filter((f) => findField(table, f.name) === undefined);
  if (extra.length > 0 && !mergeSchema) {
    problems.push(
      `columns not in the table: ${extra.map((f) => f.name).join(", ")} (allow schema evolution to add them)`,
    );
  }
  if (problems.length > 0) throw new SchemaMismatchError(location, problems);
  if (extra.length === 0) return { schema: table, evolved: false };
  const added: StructField[] = extra.map((f) => ({ ...f, nullable: true }));
  return { schema: struct(...table.fields, ...added), evolved: true };
}

/** The source re-selected in table column order, with nulls for table columns the data lacks. */
function alignedSql(sourceSql: string, incoming: StructType, schema: StructType): string {
  const columns = schema.fields.map((f) => {
    const source = findField(incoming, f.name);
    return source
      ? `${sqlIdentifier(source.name)} AS ${sqlIdentifier(f.name)}`
      : `CAST(NULL AS ${duckDbType(f.type)}) AS ${sqlIdentifier(f.name)}`;
  });
  return `SELECT ${columns.join(", ")} FROM (${sourceSql})`;
}

function validatePartitionColumns(location: string, schema: StructType, columns: readonly string[]): void {
  const problems = columns.flatMap((name) => {
    const f = schema.fields.find((candidate) => candidate.name === name);
    if (f === undefined) return [`partition column ${name} is not a column of the data`];
    if (!isPrimitive(f.type))
      return [`partition column ${name} must have a primitive type, not ${typeToString(f.type)}`];
    return [];
  });
  if (problems.length > 0) throw new SchemaMismatchError(location, problems);
}

function partitionMatcher(
  schema: StructType,
  wanted: PartitionFilter | readonly PartitionFilter[] | undefined,
) {
  const filters: readonly PartitionFilter[] | undefined =
    wanted === undefined ? undefined : Array.isArray(wanted) ? wanted : [wanted as PartitionFilter];
  return (values: Readonly<Record<string, string | null>>): boolean => {
    if (filters === undefined) return true;
    return filters.some((filter) =>
      Object.entries(filter).every(([name, value]) => {
        const f = schema.fields.find((candidate) => candidate.name === name);
        if (f === undefined || !isPrimitive(f.type)) return false;
        const actual = parsePartitionValue(values[name], f.type);
        return JSON.stringify(actual, bigintJson) === JSON.stringify(value, bigintJson);
      }),
    );
  };
}

/** Protocol 1/2 unless a type needs a table feature (timestamp_ntz needs 3/7). */
function protocolFor(schema: StructType): Protocol {
  if (!serializeSchema(schema).includes('"timestamp_ntz"'))
    return { minReaderVersion: 1, minWriterVersion: 2 };
  return {
    minReaderVersion: 3,
    minWriterVersion: 7,
    readerFeatures: ["timestampNtz"],
    writerFeatures: ["timestampNtz", "appendOnly", "invariants"],
  };
}

function newMetadata(
  schema: StructType,
  partitionColumns: readonly string[],
  options: WriteOptions,
  now: number,
): Metadata {
  return {
    id: randomUUID(),
    ...(options.tableName === undefined ? {} : { name: options.tableName }),
    format: { provider: "parquet", options: {} },
    schemaString: serializeSchema(schema),
    partitionColumns: [...partitionColumns],
    configuration: { ...(options.configuration ?? {}) },
    createdTime: now,
  };
}

function bigintJson(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}
