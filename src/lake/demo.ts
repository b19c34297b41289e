/**
 * The end-to-end demo until the medallion pipeline exists: writes a small partitioned Delta table of
 * synthetic sales, appends, deletes, compacts and vacuums it, then reads it back at the latest and the
 * first version. Every step is a real commit a Spark or delta-rs reader can open.
 */
import { readdir, rm } from "node:fs/promises";
import { resolve } from "node:path";
import { scanRows } from "../delta/index.ts";
import { DeltaContext, deleteRows, optimizeTable, writeTable } from "../engine/index.ts";
import { LocalStore } from "../storage/index.ts";
import { LakeUsageError } from "./errors.ts";

export interface DemoSummary {
  readonly tablePath: string;
  readonly version: number;
  readonly rowsNow: number;
  readonly rowsAtVersion0: number;
  readonly steps: readonly string[];
}

/** SQL for `rows` synthetic sales, ids starting at `firstId`, deterministic. */
function salesSql(firstId: number, rows: number): string {
  return `SELECT (${firstId} + i)::BIGINT AS sale_id,
      DATE '2024-01-01' + CAST(i % 366 AS INTEGER) AS sale_date,
      ['north', 'south', 'east', 'west'][1 + (i % 4)] AS region,
      'P' || lpad(CAST(i % 97 AS VARCHAR), 4, '0') AS product_id,
      CAST(1 + i % 5 AS INTEGER) AS quantity,
      CAST(round(2.5 + (i * 7919 % 10000) / 100.0, 2) AS DECIMAL(10,2)) AS unit_price
    FROM range(${rows}) t(i)`;
}

/**
 * Deletes the table of an earlier demo run, and nothing else: a folder at `tablePath` that is not a
 * Delta table is refused rather than deleted.
 * @throws LakeUsageError when `tablePath` exists and holds something other than a Delta table.
 */
async function removePreviousDemo(tablePath: string): Promise<void> {
  const entries = await readdir(tablePath).catch(() => undefined);
  if (entries === undefined || entries.length === 0) return;
  if (!entries.includes("_delta_log")) {
    throw new LakeUsageError(
      `${tablePath} exists and is not a Delta table; choose another --dir for the demo`,
    );
  }
  await rm(tablePath, { recursive: true, force: true });
}

/**
 * Runs the demo in `dir` (its `sales` table replaced if an earlier demo left one) with `rows` rows per batch; `progress` receives one
 * line per step.
 */
export async function runDemo(
  dir: string,
  rows: number,
  progress: (line: string) => void,
): Promise<DemoSummary> {
  const tablePath = resolve(dir, "sales");
  await removePreviousDemo(tablePath);
  const store = new LocalStore(tablePath);
  const steps: string[] = [];
  const step = (line: string) => {
    steps.push(line);
    progress(line);
  };
  const at = (version: number | undefined) => (version === undefined ? "no commit" : `v${version}`);
  return DeltaContext.with(async (ctx) => {
    const created = await writeTable(
      ctx,
      store,
      { sql: salesSql(0, rows) },
      { partitionBy: ["region"], tableName: "sales" },
    );
    step(
      `v${created.version}: created ${tablePath} with ${created.rowsWritten} rows in ${created.filesAdded} files`,
    );
    for (let batch = 1; batch <= 3; batch++) {
      const appended = await writeTable(
        ctx,
        store,
        { sql: salesSql(batch * rows, rows) },
        { txn: { appId: "demo", version: batch } },
      );
      step(`${at(appended.version)}: appended batch ${batch}, ${appended.rowsWritten} rows`);
    }
    const again = await writeTable(
      ctx,
      store,
      { sql: salesSql(3 * rows, rows) },
      { txn: { appId: "demo", version: 3 } },
    );
    step(
      `batch 3 again: ${again.skipped ? "skipped, already committed (idempotent txn)" : "written twice!"}`,
    );
    const deleted = await deleteRows(ctx, store, "quantity = 5");
    step(`${at(deleted.version)}: deleted ${deleted.rowsDeleted} rows where quantity = 5`);
    const optimized = await optimizeTable(ctx, store);
    step(`${at(optimized.version)}: compacted ${optimized.filesRemoved} files into ${optimized.filesAdded}`);
    const latest = await ctx.snapshot(store);
    const first = await ctx.snapshot(store, { version: 0 });
    let rowsNow = 0;
    for await (const _row of scanRows(latest, store, ctx.parquet)) rowsNow++;
    let rowsAtVersion0 = 0;
    for await (const _row of scanRows(first, store, ctx.parquet)) rowsAtVersion0++;
    step(
      `read back: ${rowsNow} rows at version ${latest.version}, ${rowsAtVersion0} rows at version 0 (time travel)`,
    );
    return { tablePath, version: latest.version, rowsNow, rowsAtVersion0, steps };
  });
}
