/**
 * Property tests of the Delta layer with fast-check: random sequences of appends, overwrites (whole
 * table and replacePartitions), deletes, compactions, vacuums (retention 0), restores and schema
 * evolution, by one to three writers (each its own DeltaContext), on tiny tables with a checkpoint
 * every 2 or 3 commits, are checked against an in-memory model (helpers/table-model.ts) at every
 * version: the rows and schema read by time travel (and the latest through a DuckDB view), the live
 * files and their stats, each commit's recorded operation and read version, the checkpoints.
 *
 * Concurrency is made deterministic: in a group of operations, all but the last start and are held
 * at their first commit put (their snapshot and data files are ready); the last runs to completion;
 * then the held ones are released in order, so each commits after the others or fails with
 * CommitConflictError. Whatever the conflict rules decide, the result must be that of some serial
 * order of the committed operations, and a blind append (or a compaction, or a replacePartitions
 * facing only appends elsewhere) must not fail.
 *
 * The default run is small (fixed seed, a few dozen runs); it reports how many commits, conflicts,
 * lost races and vacuumed versions it met, to show it was not vacuous. A longer campaign:
 *   PROPERTY_RUNS=500 PROPERTY_MAX_STEPS=12 PROPERTY_SEED=$RANDOM \
 *     node --import tsx --test test/engine/delta-properties.test.ts
 * A failure prints the seed and the shrunk path; replay it with PROPERTY_SEED=… PROPERTY_PATH=….
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import {
  CommitConflictError,
  commitKey,
  field,
  MissingDataFileError,
  padVersion,
  parseActions,
  readFileRows,
  restore,
  scanRows,
  struct,
  typeToString,
  vacuum,
} from "../../src/delta/index.ts";
import {
  createTableView,
  DeltaContext,
  deleteRows,
  optimizeTable,
  writeTable,
} from "../../src/engine/index.ts";
import { LocalStore, MemoryStore, type ObjectStore } from "../../src/storage/index.ts";
import { HoldingStore } from "../helpers/holding-store.ts";
import {
  applyChange,
  BASE_COLUMNS,
  canonicalRow,
  type ModelChange,
  type ModelColumn,
  type ModelRow,
  type ModelState,
  predicateSql,
  sortedRows,
  stateRows,
  TableModel,
} from "../helpers/table-model.ts";
import { type Op, type RowSpec, type Scenario, scenarioArbitrary } from "../helpers/table-scenarios.ts";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 40);
const MAX_STEPS = Number(process.env.PROPERTY_MAX_STEPS ?? 10);
const SEED = Number(process.env.PROPERTY_SEED ?? 20240612);
const PATH = process.env.PROPERTY_PATH;

describe("Delta tables under random operations by up to three writers", () => {
  let dir: string;
  let reader: DeltaContext;
  const writers: DeltaContext[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "lake-properties-"));
    const options = { threads: 1, cacheDirectory: join(dir, "cache") };
    reader = await DeltaContext.open(options);
    for (let i = 0; i < 3; i++) writers.push(await DeltaContext.open(options));
  });
  after(async () => {
    reader?.close();
    for (const ctx of writers) ctx.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("read at every version what the model holds, and commit only serializable histories", async (t) => {
    let runNumber = 0;
    await fc.assert(
      fc.asyncProperty(scenarioArbitrary(MAX_STEPS), async (scenario) => {
        const name = `run-${++runNumber}`;
        const store =
          scenario.store === "local"
            ? new LocalStore(join(dir, name))
            : new MemoryStore({ name: `properties-${process.pid}-${name}` });
        const run: Run = {
          scenario,
          store,
          model: new TableModel(scenario.partitionColumn),
          writers,
          reader,
          nextId: 1,
          log: [],
          commits: [],
        };
        try {
          await runScenario(run);
        } catch (error) {
          throw new Error(`${(error as Error).message}\nwhat happened:\n  ${run.log.join("\n  ")}`, {
            cause: error,
          });
        } finally {
          if (scenario.store === "local") await rm(join(dir, name), { recursive: true, force: true });
        }
      }),
      {
        numRuns: RUNS,
        seed: SEED,
        includeErrorInReport: true,
        ...(PATH === undefined ? {} : { path: PATH }),
      },
    );
    t.diagnostic([...tally].map(([what, n]) => `${what}: ${n}`).join(", "));
  });
});

/** How often each outcome happened over all runs, so a run shows the property was not vacuous. */
const tally = new Map<string, number>();

function count(what: string): void {
  tally.set(what, (tally.get(what) ?? 0) + 1);
}

/** One scenario being run: the table, its model, the contexts, and a log for failure messages. */
interface Run {
  readonly scenario: Scenario;
  readonly store: ObjectStore;
  readonly model: TableModel;
  readonly writers: readonly DeltaContext[];
  readonly reader: DeltaContext;
  nextId: number;
  readonly log: string[];
  /** Per version, what its commitInfo must say: operation and read version. */
  readonly commits: string[];
}

/** An operation ready to run: its plan against the state it reads, and how to re-plan it elsewhere. */
interface Prepared {
  readonly label: string;
  readonly op: Op;
  /** What its commitInfo must say: the operation (with the mode of a WRITE). */
  readonly operation: string;
  /** The change on the state it read; undefined when it commits nothing. */
  readonly change: ModelChange | undefined;
  /** The same operation planned against another state (for serial orders). */
  replan(state: ModelState): ModelChange | undefined;
  /** Runs it; the committed version, or undefined for no commit. */
  execute(ctx: DeltaContext, store: ObjectStore): Promise<number | undefined>;
}

async function runScenario(run: Run): Promise<void> {
  const { scenario, model } = run;
  const createRows = modelRows(run, scenario.create, BASE_COLUMNS);
  const create = model.planAppend(createRows);
  const schema = struct(...BASE_COLUMNS.map(deltaField));
  const created = await writeTable(
    run.writers[0] as DeltaContext,
    run.store,
    { rows: createRows, schema },
    {
      ...(scenario.partitionColumn ? { partitionBy: [scenario.partitionColumn] } : {}),
      configuration: { "delta.checkpointInterval": String(scenario.checkpointInterval) },
    },
  );
  run.log.push(`v0: create ${describeRows(createRows)}`);
  assert.equal(created.version, model.commit(create));
  run.commits.push("CREATE TABLE AS SELECT");

  for (const [index, group] of scenario.steps.entries()) {
    if (group.length === 1 && group[0]?.kind === "vacuum") await runVacuum(run, index);
    else await runGroup(run, group, index);
    await checkVersion(run, model.latest);
  }
  await checkEveryVersion(run);
}

async function runVacuum(run: Run, step: number): Promise<void> {
  const ctx = run.writers[step % run.scenario.writers] as DeltaContext;
  // A clock a minute ahead: every file not live now is past the (zero) retention, whatever its mtime.
  await vacuum(run.store, ctx.parquet, {
    retentionMs: 0,
    allowShortRetention: true,
    clock: () => Date.now() + 60_000,
  });
  run.commits.push(`VACUUM START read ${run.model.latest}`, `VACUUM END read ${run.model.latest + 1}`);
  run.model.vacuum();
  count("vacuums");
  run.log.push(`v${run.model.latest - 1}-v${run.model.latest}: vacuum (retention 0)`);
}

/**
 * Runs a group: all but the last operation are held at their first commit put, the last runs, then
 * the held ones are released in order. Checks each outcome against the model.
 */
async function runGroup(run: Run, group: readonly Op[], step: number): Promise<void> {
  const { model } = run;
  const readVersion = model.latest;
  const read = model.state();
  const prepared = group.map((op, i) => prepare(run, op, read, `x${step}_${i}`));
  const solo = group.length === 1;
  const ctxOf = (i: number) => run.writers[solo ? step % run.scenario.writers : i] as DeltaContext;

  const held: Array<{ index: number; gate: HoldingStore; outcome: Promise<Outcome> }> = [];
  for (const [i, p] of prepared.slice(0, -1).entries()) {
    if (p === undefined) continue;
    const gate = new HoldingStore(run.store);
    const outcome = settle(p.execute(ctxOf(i), gate));
    await Promise.race([gate.reached, outcome]);
    held.push({ index: i, gate, outcome });
  }
  const winners: ModelChange[] = [];
  const committed: Prepared[] = [];
  const record = async (i: number, outcome: Outcome) => {
    const p = prepared[i];
    if (p === undefined) return;
    const tag = `writer ${i} (read v${readVersion})`;
    if ("error" in outcome) {
      if (!(outcome.error instanceof CommitConflictError)) throw outcome.error;
      run.log.push(`${tag}: ${p.label} → conflict: ${outcome.error.message}`);
      count("conflicts");
      assert.ok(
        !mustCommit(p, winners),
        `${p.label} by ${tag} must not conflict with the commits since: ${outcome.error.message}`,
      );
      return;
    }
    run.log.push(
      `${tag}: ${p.label} → ${outcome.version === undefined ? "no commit" : `v${outcome.version}`}`,
    );
    assert.equal(
      outcome.version === undefined,
      p.change === undefined,
      `${p.label}: the model expects ${p.change === undefined ? "no commit" : "a commit"}`,
    );
    if (p.change === undefined) {
      count("operations that committed nothing");
      return;
    }
    assert.equal(outcome.version, model.commit(p.change), `${p.label} commits the next version`);
    run.commits.push(`${p.operation} read ${readVersion}`);
    count(outcome.version === readVersion + 1 ? "commits" : "commits after losing a race");
    winners.push(p.change);
    committed.push(p);
    await checkVersion(run, model.latest);
  };

  const last = prepared.length - 1;
  try {
    await record(
      last,
      await settle(prepared[last]?.execute(ctxOf(last), run.store) ?? Promise.resolve(undefined)),
    );
    for (const h of held) {
      h.gate.release();
      await record(h.index, await h.outcome);
    }
  } finally {
    // After a failure, no held writer may go on using its context in the next run.
    for (const h of held) h.gate.release();
    await Promise.all(held.map((h) => h.outcome));
  }
  if (committed.length > 1) checkSerializable(run, read, committed, group);
}

/** Whether the operation must commit after `winners` (the conflict rules allow it whatever the level). */
function mustCommit(p: Prepared, winners: readonly ModelChange[]): boolean {
  if (winners.some((w) => w.schema !== undefined)) return false;
  switch (p.op.kind) {
    case "append":
      return true;
    case "optimize":
      return winners.every((w) => w.removes.size === 0);
    case "replacePartitions": {
      const parts = p.op.parts;
      return winners.every(
        (w) =>
          w.removes.size === 0 &&
          w.adds.every((f) => w.rearrangeOnly || !parts.some((value) => value === f.partition)),
      );
    }
    default:
      return false;
  }
}

/** The group's final rows and schema must be those of some serial order of its committed operations. */
function checkSerializable(
  run: Run,
  read: ModelState,
  committed: readonly Prepared[],
  group: readonly Op[],
): void {
  const actual = run.model.state();
  const want = JSON.stringify([actual.schema, stateRows(actual)]);
  for (const order of permutations(committed)) {
    let state = read;
    for (const p of order) {
      const change = p.replan(state);
      if (change !== undefined) state = applyChange(state, change);
    }
    if (JSON.stringify([state.schema, stateRows(state)]) === want) {
      count("racing groups checked");
      return;
    }
  }
  assert.fail(
    `the commits of ${JSON.stringify(group)} match no serial order: ${committed.map((p) => p.label).join(", ")}`,
  );
}

function prepare(run: Run, op: Op, read: ModelState, newColumn: string): Prepared | undefined {
  const { model } = run;
  const commitOptions = { sleep: async () => {} };
  const write = (
    label: string,
    rows: readonly ModelRow[],
    replan: (state: ModelState) => ModelChange | undefined,
    options: Parameters<typeof writeTable>[3],
    schema: readonly ModelColumn[] = read.schema,
  ): Prepared => ({
    label,
    op,
    operation: options?.mode === "overwrite" ? "WRITE Overwrite" : "WRITE Append",
    change: replan(read),
    replan,
    execute: async (ctx, store) =>
      (await writeTable(ctx, store, { rows, schema: struct(...schema.map(deltaField)) }, options)).version,
  });
  switch (op.kind) {
    case "append": {
      const rows = modelRows(run, op.rows, read.schema);
      return write(`append ${describeRows(rows)}`, rows, () => model.planAppend(rows), { commitOptions });
    }
    case "evolve": {
      const column: ModelColumn = { name: newColumn, type: "string", nullable: true };
      const schema = [...read.schema, column];
      const rows = modelRows(run, op.rows, schema);
      return write(
        `append with new column ${newColumn} ${describeRows(rows)}`,
        rows,
        (state) => model.planAppend(rows, [...state.schema.filter((c) => c.name !== newColumn), column]),
        { mergeSchema: true, commitOptions },
        schema,
      );
    }
    case "overwrite": {
      const rows = modelRows(run, op.rows, read.schema);
      return write(
        `overwrite with ${describeRows(rows)}`,
        rows,
        (state) => model.planOverwrite(state, rows),
        {
          mode: "overwrite",
          commitOptions,
        },
      );
    }
    case "replacePartitions": {
      const rows = modelRows(run, op.rows, read.schema);
      const parts = op.parts;
      return write(
        `overwrite partitions ${JSON.stringify(parts)} with ${describeRows(rows)}`,
        rows,
        (state) => model.planOverwrite(state, rows, parts),
        {
          mode: "overwrite",
          replacePartitions: parts.map((value) => ({ [run.scenario.partitionColumn ?? "part"]: value })),
          commitOptions,
        },
      );
    }
    case "delete": {
      const sql = predicateSql(op.predicate);
      const predicate = op.predicate;
      const replan = (state: ModelState) => model.planDelete(state, predicate);
      return {
        label: `delete where ${sql}`,
        op,
        operation: "DELETE",
        change: replan(read),
        replan,
        execute: async (ctx, store) => (await deleteRows(ctx, store, sql, commitOptions)).version,
      };
    }
    case "optimize": {
      const replan = (state: ModelState) => model.planOptimize(state);
      return {
        label: "optimize",
        op,
        operation: "OPTIMIZE",
        change: replan(read),
        replan,
        execute: async (ctx, store) => (await optimizeTable(ctx, store, { commitOptions })).version,
      };
    }
    case "restore": {
      const readVersion = model.latest;
      const candidates = [...Array(readVersion).keys()].filter((v) => model.readable(v));
      const target = candidates[op.pick % Math.max(candidates.length, 1)];
      if (target === undefined) return undefined;
      const replan = (state: ModelState) => model.planRestore(state, target);
      return {
        label: `restore to v${target}`,
        op,
        operation: "RESTORE",
        change: replan(read),
        replan,
        execute: async (ctx, store) => (await restore(store, ctx.parquet, target)).version,
      };
    }
    case "vacuum":
      throw new Error("a vacuum never runs in a group");
  }
}

/** Rows with fresh ids; extra (evolved) columns get a value derived from `val`. */
function modelRows(run: Run, specs: readonly RowSpec[], schema: readonly ModelColumn[]): ModelRow[] {
  return specs.map((spec) => {
    const row: Record<string, bigint | number | string | null> = {
      id: BigInt(run.nextId++),
      part: spec.part,
      val: spec.val,
    };
    for (const c of schema.slice(BASE_COLUMNS.length))
      row[c.name] = spec.val === null ? null : `${c.name}:${spec.val}`;
    return row;
  });
}

/** Compares what `version` reads (rows, schema, number of files) with the model. */
async function checkVersion(run: Run, version: number): Promise<void> {
  const expected = run.model.state(version);
  const snapshot = await run.reader.snapshot(run.store, { version });
  assert.deepEqual(
    snapshot.schema.fields.map((f) => `${f.name}:${typeToString(f.type)}:${f.nullable}`),
    expected.schema.map((c) => `${c.name}:${c.type}:${c.nullable}`),
    `schema of version ${version}`,
  );
  const rows: string[] = [];
  for await (const row of scanRows(snapshot, run.store, run.reader.parquet))
    rows.push(canonicalRow(expected.schema, row));
  assert.deepEqual(sortedRows(rows), stateRows(expected), `rows of version ${version}`);
  assert.equal(snapshot.numFiles, expected.files.length, `live files of version ${version}`);
  // Data skipping trusts each file's stats: they must describe its rows. (A partition column has none.)
  const nullable = run.scenario.partitionColumn === "val" ? "part" : "val";
  for (const add of snapshot.files()) {
    const fileRows = await readFileRows(snapshot, run.store, run.reader.parquet, add);
    const stats = JSON.parse(add.stats ?? "{}") as FileStats;
    const ids = fileRows.map((row) => Number(row.id));
    assert.deepEqual(
      [stats.numRecords, stats.minValues?.id, stats.maxValues?.id, stats.nullCount?.[nullable]],
      [
        fileRows.length,
        Math.min(...ids),
        Math.max(...ids),
        fileRows.filter((r) => r[nullable] === null).length,
      ],
      `stats (numRecords, id min and max, ${nullable} nulls) of ${add.path} in version ${version}`,
    );
  }
}

interface FileStats {
  readonly numRecords?: number;
  readonly minValues?: Readonly<Record<string, unknown>>;
  readonly maxValues?: Readonly<Record<string, unknown>>;
  readonly nullCount?: Readonly<Record<string, unknown>>;
}

/**
 * Every version: readable ones read as the model says, vacuumed ones refuse to read (or read their
 * own rows from the session's read cache); the latest also through a DuckDB view; a checkpoint at
 * every multiple of the interval, and `_last_checkpoint` naming the newest.
 */
async function checkEveryVersion(run: Run): Promise<void> {
  const { model, store, reader } = run;
  for (let version = 0; version <= model.latest; version++) {
    if (model.readable(version)) {
      await checkVersion(run, version);
      count("versions read");
    } else if (run.scenario.store === "local") {
      await assert.rejects(checkVersion(run, version), MissingDataFileError, `v${version} was vacuumed`);
      count("vacuumed versions refused");
    } else {
      // The session's read cache may still hold a copy of a vacuumed object it read before (it looks
      // an object's ETag up once per session): such a version may read, but only with its own rows.
      try {
        await checkVersion(run, version);
      } catch (error) {
        assert.ok(error instanceof MissingDataFileError, `v${version} was vacuumed: ${error}`);
      }
    }
  }
  for (let version = 0; version <= model.latest; version++) {
    const actions = parseActions(new TextDecoder().decode(await store.get(commitKey(version))));
    const info = actions.flatMap((a) => ("commitInfo" in a ? [a.commitInfo] : []))[0];
    const mode = info?.operation === "WRITE" ? ` ${info.operationParameters?.mode}` : "";
    const read = info?.readVersion === undefined ? "" : ` read ${info.readVersion}`;
    assert.equal(
      `${info?.operation}${mode}${read}`,
      run.commits[version],
      `commitInfo of version ${version}`,
    );
  }
  const snapshot = await reader.snapshot(store);
  const view = await createTableView(reader, store, "property_latest", { snapshot });
  const viewRows = (
    await reader.session.connection.runAndReadAll(`SELECT * FROM ${view}`)
  ).getRowObjectsJson();
  await reader.session.connection.run(`DROP VIEW ${view}`);
  const latest = model.state();
  assert.deepEqual(
    sortedRows(viewRows.map((row) => canonicalRow(latest.schema, row))),
    stateRows(latest),
    "rows of the latest version through a DuckDB view",
  );
  const interval = run.scenario.checkpointInterval;
  for (let version = interval; version <= model.latest; version += interval) {
    await store.head(`_delta_log/${padVersion(version)}.checkpoint.parquet`);
    count("checkpoints");
  }
  if (model.latest >= interval) {
    const hint = JSON.parse(new TextDecoder().decode(await store.get("_delta_log/_last_checkpoint")));
    assert.equal(hint.version, model.latest - (model.latest % interval), "_last_checkpoint");
  }
}

type Outcome = { readonly version: number | undefined } | { readonly error: unknown };

function settle(work: Promise<number | undefined>): Promise<Outcome> {
  return work.then(
    (version) => ({ version }),
    (error: unknown) => ({ error }),
  );
}

function deltaField(c: ModelColumn) {
  return field(c.name, c.type, c.nullable);
}

function describeRows(rows: readonly ModelRow[]): string {
  return `[${rows.map((r) => `${r.id}/${r.part}/${JSON.stringify(r.val)}`).join(" ")}]`;
}

function* permutations<T>(items: readonly T[]): Generator<T[]> {
  if (items.length <= 1) {
    yield [...items];
    return;
  }
  for (const [i, item] of items.entries())
    for (const rest of permutations([...items.slice(0, i), ...items.slice(i + 1)])) yield [item, ...rest];
}
