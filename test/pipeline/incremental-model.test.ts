/**
 * An incremental model of a project of one's own (not the retail template): a merge by uniqueKey
 * keeping the last row by a declared order, also against the rows already in the table, with a
 * quarantine rule; and an append-only model without a key.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { DeltaContext } from "../../src/engine/index.ts";
import { landFiles, type PipelineResult, parseProject, runPipeline } from "../../src/pipeline/index.ts";
import { projectTableRows } from "../helpers/project-tables.ts";

const HEADER = "id,value,seq";

describe("an incremental model of one's own", () => {
  let dir: string;
  let ctx: DeltaContext;
  let runs = 0;
  const project = (keep: "first" | "last", orderBy?: string[]) =>
    parseProject(
      {
        sources: { events: { files: "events*.csv", columns: ["id", "value", "seq"] } },
        models: {
          latest: {
            zone: "silver",
            kind: "incremental",
            uniqueKey: "id",
            keep,
            ...(orderBy ? { orderBy } : {}),
            query:
              "SELECT id, nullif(value, '') AS value, seq::INTEGER AS seq, _source_file, _source_row FROM stream(bronze.events)",
            expectations: { value_present: { notNull: "value", action: "quarantine" } },
          },
          log: {
            zone: "silver",
            kind: "incremental",
            query: "SELECT id, seq::INTEGER AS seq, _source_file, _source_row FROM stream(bronze.events)",
          },
        },
      },
      join(dir, `${keep}-${orderBy?.join("-") ?? "lineage"}`, "lake.json"),
    );
  const drop = async (p: ReturnType<typeof project>, name: string, lines: string[]) => {
    const path = join(dir, name);
    await writeFile(path, `${[HEADER, ...lines].join("\n")}\n`);
    await landFiles(p, [path]);
    return runPipeline(ctx, p, { runId: `run-${++runs}`, startedAt: Date.now() });
  };
  /** The table's rows as JSON without the lineage and run columns, sorted. */
  const rows = async (p: ReturnType<typeof project>, table: string) =>
    ((await projectTableRows(ctx, p))[table]?.rows ?? []).map((line) => {
      const row = JSON.parse(line) as Record<string, unknown>;
      for (const column of ["_run_id", "_source_file", "_source_row", "_ingested_at"]) delete row[column];
      return JSON.stringify(row);
    });
  const counts = (result: PipelineResult, table: string) => {
    const m = result.models.find((r) => r.table === table);
    return [m?.inputRows, m?.rows, m?.quarantined, m?.duplicatesRemoved];
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "lake-incremental-model-"));
    ctx = await DeltaContext.open({ threads: 1 });
  });
  after(async () => {
    ctx.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps the last row per key by the declared order, against the rows already in the table too", async () => {
    const p = project("last", ["seq"]);
    const first = await drop(p, "events_1.csv", ["1,a,1", "1,c,3", "1,b,2", "2,x,5", "3,,1"]);
    assert.deepEqual(counts(first, "silver.latest"), [5, 2, 1, 2]);
    assert.deepEqual(await rows(p, "silver.latest"), [
      '{"id":"1","seq":3,"value":"c"}',
      '{"id":"2","seq":5,"value":"x"}',
    ]);
    // id 1 at seq 2 is older than the row the table has (seq 3): it loses; id 2 at seq 6 replaces seq 5.
    const second = await drop(p, "events_2.csv", ["1,z,2", "2,y,6", "4,w,1"]);
    assert.deepEqual(counts(second, "silver.latest"), [3, 2, 0, 1]);
    assert.deepEqual(await rows(p, "silver.latest"), [
      '{"id":"1","seq":3,"value":"c"}',
      '{"id":"2","seq":6,"value":"y"}',
      '{"id":"4","seq":1,"value":"w"}',
    ]);
    assert.deepEqual(await rows(p, "silver.latest_quarantine"), [
      '{"failed_rules":["value_present"],"id":"3","seq":"1","value":null}',
    ]);
    assert.equal((await rows(p, "silver.log")).length, 8, "a model without a key appends every row");
  });

  it("keeps the first arrival per key by default: a row already in the table stays", async () => {
    const p = project("first");
    await drop(p, "events_1.csv", ["1,a,1", "1,b,2"]);
    const second = await drop(p, "events_2.csv", ["1,c,0", "5,e,1"]);
    assert.deepEqual(counts(second, "silver.latest"), [2, 1, 0, 1]);
    assert.deepEqual(await rows(p, "silver.latest"), [
      '{"id":"1","seq":1,"value":"a"}',
      '{"id":"5","seq":1,"value":"e"}',
    ]);
  });

  it("with keep last by arrival, a new row replaces the one in the table", async () => {
    const p = project("last");
    await drop(p, "events_1.csv", ["1,a,9"]);
    await drop(p, "events_2.csv", ["1,b,1"]);
    assert.deepEqual(await rows(p, "silver.latest"), ['{"id":"1","seq":1,"value":"b"}']);
  });
});
