import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  type DeltaType,
  field,
  MapValue,
  type Row,
  restore,
  type StructType,
  scanRows,
  struct,
  vacuum,
} from "../../src/delta/index.ts";
import { DeltaContext, deleteRows, optimizeTable, writeTable } from "../../src/engine/index.ts";
import { canonicalJson } from "../../src/lake/index.ts";
import { LocalStore } from "../../src/storage/index.ts";
import { checkAdd, checkCommit } from "../helpers/log-checks.ts";

const mapType: DeltaType = { type: "map", keyType: "string", valueType: "long", valueContainsNull: true };
const schema: StructType = struct(
  field("id", "long"),
  field("s", "string"),
  field("i", "integer"),
  field("sh", "short"),
  field("b", "byte"),
  field("f", "float"),
  field("d", "double"),
  field("dec", "decimal(38,6)"),
  field("small_dec", "decimal(5,2)"),
  field("bo", "boolean"),
  field("bin", "binary"),
  field("dt", "date"),
  field("ts", "timestamp"),
  field("ntz", "timestamp_ntz"),
  field("st", struct(field("a", "long"), field("b", "string"))),
  field("arr", { type: "array", elementType: "integer", containsNull: true }),
  field("m", mapType),
  field("p_str", "string"),
  field("p_int", "integer"),
  field("p_date", "date"),
  field("p_ts", "timestamp"),
);
const PARTITIONS = ["p_str", "p_int", "p_date", "p_ts"];
const STRINGS = [null, "a b", "a/b", "100%", "k=v", "Müller/São Paulo", "", "plain"];

/** Deterministic rows of batch `batch`, covering nulls, extremes and every partition value above. */
function batchRows(batch: number, count = 3): Row[] {
  return Array.from({ length: count }, (_, k) => {
    const n = batch * 10 + k;
    const nulls = n % 7 === 3;
    return {
      id: BigInt(n),
      s: nulls ? null : `${"x".repeat(n % 40)}-${n}-é😈`,
      i: nulls ? null : n % 2 ? -2147483648 : 2147483647 - n,
      sh: nulls ? null : n % 2 ? -32768 : 32767,
      b: nulls ? null : n % 2 ? -128 : 127,
      f: nulls ? null : n % 5 === 0 ? Number.NaN : Math.fround(n / 3),
      d: nulls ? null : n % 6 === 0 ? Number.POSITIVE_INFINITY : -n / 7,
      dec: nulls ? null : `${n % 2 ? "-" : ""}${n + 1}12345678901234567890.123456`,
      small_dec: nulls ? null : `${n % 999}.5${n % 10}`,
      bo: nulls ? null : n % 2 === 0,
      bin: nulls ? null : new Uint8Array([n % 256, 0, 255]),
      dt: nulls ? null : -719162 + n * 3000,
      ts: nulls ? null : BigInt(n) * 86_400_000_123n + 123_456n,
      ntz: nulls ? null : BigInt(n) * 3_600_000_001n,
      st: nulls ? null : { a: BigInt(-n), b: n % 3 ? `s${n}` : null },
      arr: nulls ? null : [n, null, -n],
      m: nulls
        ? null
        : new MapValue([
            [`k${n}`, BigInt(n)],
            ["z", null],
          ]),
      p_str: STRINGS[n % STRINGS.length] ?? null,
      p_int: n % 4 === 0 ? null : n % 3,
      p_date: n % 5 === 0 ? null : 19000 + (n % 2),
      p_ts: n % 6 === 0 ? null : 1_704_103_200_000_000n + BigInt(n % 2) * 1_000_000n,
    };
  });
}

/** What Delta stores for a written row: an empty string partition value means null. */
const stored = (row: Row): Row => (row.p_str === "" ? { ...row, p_str: null } : row);
const lines = (rows: readonly Row[], s: StructType) =>
  rows
    .map((row) => canonicalJson(stored(row), s))
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

describe("tables we write follow the Delta writer rules and read back exactly at every version", () => {
  let dir: string;
  let store: LocalStore;
  let ctx: DeltaContext;
  /** The rows every version must hold, with the schema in force at that version. */
  const expected = new Map<number, { rows: Row[]; schema: StructType }>();
  let current: Row[] = [];
  let currentSchema = schema;
  // Commit times follow the real clock (vacuum compares them with file modification times).
  let clock = Date.now();
  const commitOptions = { clock: () => (clock += 1000) };
  const record = (version: number | undefined) => {
    assert.notEqual(version, undefined);
    expected.set(version as number, { rows: [...current], schema: currentSchema });
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "lake-writer-"));
    store = new LocalStore(dir);
    ctx = await DeltaContext.open({ threads: 2 });
    // v0..v19: create and appends, every fifth one with an idempotent txn.
    for (let batch = 0; batch < 20; batch++) {
      const rows = batchRows(batch);
      const txn = batch % 5 === 0 ? { appId: "loader", version: batch } : undefined;
      const m = await writeTable(
        ctx,
        store,
        { rows, schema },
        { partitionBy: PARTITIONS, commitOptions, ...(txn ? { txn } : {}) },
      );
      current.push(...rows);
      record(m.version);
    }
    // A replayed batch with an already-recorded txn commits nothing.
    const replay = await writeTable(
      ctx,
      store,
      { rows: batchRows(15), schema },
      { txn: { appId: "loader", version: 15 }, commitOptions },
    );
    assert.equal(replay.skipped, true);
    // v20: overwrite the p_str = "a b" partitions.
    const replacement = batchRows(90, 2).map((row) => ({ ...row, p_str: "a b" }));
    const over = await writeTable(
      ctx,
      store,
      { rows: replacement, schema },
      { mode: "overwrite", replacePartitions: { p_str: "a b" }, commitOptions },
    );
    current = [...current.filter((row) => stored(row).p_str !== "a b"), ...replacement];
    record(over.version);
    // v21: schema evolution adds a nullable column.
    currentSchema = struct(...schema.fields, field("extra", "string"));
    const evolved = batchRows(91).map((row) => ({ ...row, extra: `e${String(row.id)}` }));
    const ev = await writeTable(
      ctx,
      store,
      { rows: evolved, schema: currentSchema },
      { mergeSchema: true, commitOptions },
    );
    current = [...current.map((row) => ({ ...row, extra: row.extra ?? null })), ...evolved];
    record(ev.version);
    // v22: delete by predicate (rewrites some files, drops others).
    const del = await deleteRows(ctx, store, "id % 4 = 1", commitOptions);
    current = current.filter((row) => (row.id as bigint) % 4n !== 1n);
    record(del.version);
    // v23..v24: more appends, then v25: compaction, rows unchanged.
    for (const batch of [92, 93]) {
      const rows = batchRows(batch).map((row) => ({ ...row, extra: null }));
      const m = await writeTable(ctx, store, { rows, schema: currentSchema }, { commitOptions });
      current.push(...rows);
      record(m.version);
    }
    const opt = await optimizeTable(ctx, store, { commitOptions });
    record(opt.version);
    // v26: restore to v19, schema and rows of then.
    const restored = await restore(store, ctx.parquet, 19, commitOptions.clock);
    const then = expected.get(19);
    assert.ok(then);
    current = [...then.rows];
    currentSchema = then.schema;
    record(restored.version);
  });
  after(async () => {
    ctx.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("commits at least 25 versions", () => assert.ok(expected.size >= 25, `${expected.size} versions`));

  it("reads back exactly what was written, at every version", async () => {
    for (const [version, want] of expected) {
      const snapshot = await ctx.snapshot(store, { version });
      assert.equal(
        JSON.stringify(snapshot.schema),
        JSON.stringify(want.schema),
        `schema at version ${version}`,
      );
      const got: Row[] = [];
      for await (const row of scanRows(snapshot, store, ctx.parquet)) got.push(row);
      assert.deepEqual(
        lines(got, snapshot.schema),
        lines(want.rows, want.schema),
        `rows at version ${version}`,
      );
    }
  });

  it("writes every commit and add by the checklist: fields, path encoding, partition values, stats", async () => {
    for (const version of expected.keys()) {
      const snapshot = await ctx.snapshot(store, { version });
      for (const action of await checkCommit(store, version)) {
        if ("add" in action)
          await checkAdd(ctx, store, action.add, snapshot.schema, snapshot.partitionColumns);
        if ("remove" in action) {
          const r = action.remove;
          assert.equal(typeof r.deletionTimestamp, "number");
          assert.equal(r.extendedFileMetadata, true);
          assert.ok(
            r.partitionValues && typeof r.size === "number",
            "removes carry partition values and size",
          );
        }
      }
    }
  });

  it("keeps special partition values intact: spaces, slashes, percent, equals, non-ASCII, null for empty", async () => {
    const snapshot = await ctx.snapshot(store, { version: 19 });
    const values = new Set(snapshot.files().map((f) => f.partitionValues.p_str ?? null));
    assert.deepEqual(
      [...values].sort(),
      [null, "100%", "Müller/São Paulo", "a b", "a/b", "k=v", "plain"].sort(),
    );
    const paths = snapshot.files().map((f) => f.path);
    assert.ok(
      paths.some((p) => p.startsWith("p_str=a%252Fb/")),
      "a/b is escaped in the directory, then URI-encoded",
    );
    assert.ok(paths.some((p) => p.startsWith("p_str=100%2525/")));
    assert.ok(paths.some((p) => p.startsWith("p_str=k%253Dv/")));
    assert.ok(paths.some((p) => p.startsWith("p_str=__HIVE_DEFAULT_PARTITION__/")));
  });

  it("writes a checkpoint every 10 commits and uses it", async () => {
    const names = await readdir(join(dir, "_delta_log"));
    assert.deepEqual(names.filter((n) => n.endsWith(".checkpoint.parquet")).sort(), [
      "00000000000000000010.checkpoint.parquet",
      "00000000000000000020.checkpoint.parquet",
    ]);
    const latest = await ctx.snapshot(store);
    assert.equal(latest.segment.checkpoint?.version, 20);
  });

  it("vacuums only files no retained version needs", async () => {
    const before = await vacuum(store, ctx.parquet, { dryRun: true, clock: () => clock + 8 * 86_400_000 });
    assert.ok(before.files.length > 0, "removed files older than the retention are listed");
    const done = await vacuum(store, ctx.parquet, { clock: () => clock + 8 * 86_400_000 });
    assert.deepEqual(done.files, before.files);
    const latest = await ctx.snapshot(store);
    const got: Row[] = [];
    for await (const row of scanRows(latest, store, ctx.parquet)) got.push(row);
    assert.deepEqual(
      lines(got, latest.schema),
      lines(current, currentSchema),
      "the latest version still reads",
    );
    const again = await vacuum(store, ctx.parquet, { dryRun: true, clock: () => clock + 8 * 86_400_000 });
    assert.deepEqual(again.files, []);
  });
});
