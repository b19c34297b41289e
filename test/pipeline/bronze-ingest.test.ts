import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { type Row, scanRows } from "../../src/delta/index.ts";
import { DeltaContext } from "../../src/engine/index.ts";
import {
  bronzeStores,
  ingestSource,
  landFiles,
  type ProjectConfig,
  parseProject,
} from "../../src/pipeline/index.ts";
import type { ObjectStore } from "../../src/storage/index.ts";

const RUN = { runId: "run-1", startedAt: Date.parse("2026-01-02T03:04:05Z") };

describe("landing → bronze", () => {
  let dir: string;
  let project: ProjectConfig;
  let ctx: DeltaContext;
  const source = () => project.sources[0] ?? assert.fail("the project has a source");
  const rows = async (store: ObjectStore) => {
    const snapshot = await ctx.snapshot(store);
    const out: Row[] = [];
    for await (const row of scanRows(snapshot, store, ctx.parquet)) out.push(row);
    const order = (row: Row) => `${String(row._source_file)}:${String(row._source_row).padStart(12, "0")}`;
    return out.sort((a, b) => (order(a) < order(b) ? -1 : 1));
  };
  const drop = async (file: string, text: string) => {
    const path = join(dir, "incoming", file);
    await writeFile(path, text);
    await landFiles(project, [path]);
  };

  before(async () => {
    ctx = await DeltaContext.open({ threads: 1 });
  });
  after(() => ctx.close());
  beforeEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = await mkdtemp(join(tmpdir(), "lake-bronze-"));
    await mkdir(join(dir, "incoming"));
    project = parseProject(
      { sources: { sales: { files: "sales*.csv", columns: ["id", "name", "qty"] } } },
      join(dir, "lake.json"),
    );
  });

  it("loads a source whose columns are named like the scan's own (filename, staged, landing_key)", async () => {
    project = parseProject(
      { sources: { files: { files: "files*.csv", columns: ["filename", "staged", "landing_key"] } } },
      join(dir, "lake.json"),
    );
    await drop("files_1.csv", "filename,staged,landing_key\nreport.pdf,yes,k1\n");
    const [result] = await ingestSource(ctx, project, source(), RUN);
    assert.equal(result?.bronzeRows, 1);
    const [row] = await rows(bronzeStores(project, source()).bronze);
    assert.deepEqual(
      [row?.filename, row?.staged, row?.landing_key, row?._source_file],
      ["report.pdf", "yes", "k1", "files/files_1.csv"],
    );
  });

  it("keeps every good line as text with its file and line, and every malformed line with the reason", async () => {
    await drop(
      "sales_1.csv",
      '\uFEFFid,name,qty\r\n1,alpha,3\r\n2,"beta, b",4\r\n3,gamma\r\n4,"delta,5\r\n5,eps,6,extra\r\n6, zeta ,\r\n7,"eta ""q""",8\r\n\r\n',
    );
    const [result] = await ingestSource(ctx, project, source(), RUN);
    assert.deepEqual(result, {
      file: "sales/sales_1.csv",
      records: 7,
      bronzeRows: 4,
      rejects: 3,
      ingested: true,
    });
    const { bronze, rejects } = bronzeStores(project, source());
    const at = BigInt(RUN.startedAt) * 1000n;
    assert.deepEqual(await rows(bronze), [
      {
        id: "1",
        name: "alpha",
        qty: "3",
        _ingested_at: at,
        _source_file: "sales/sales_1.csv",
        _source_row: 2n,
      },
      {
        id: "2",
        name: "beta, b",
        qty: "4",
        _ingested_at: at,
        _source_file: "sales/sales_1.csv",
        _source_row: 3n,
      },
      {
        id: "6",
        name: " zeta ",
        qty: null,
        _ingested_at: at,
        _source_file: "sales/sales_1.csv",
        _source_row: 7n,
      },
      {
        id: "7",
        name: 'eta "q"',
        qty: "8",
        _ingested_at: at,
        _source_file: "sales/sales_1.csv",
        _source_row: 8n,
      },
    ]);
    assert.deepEqual(
      (await rows(rejects)).map((r) => [r._source_row, r.raw_line, r.error]),
      [
        [4n, "3,gamma", "wrong number of columns: expected 3, found 2"],
        [
          5n,
          '4,"delta,5',
          "unbalanced quote: a quoted field is not closed on its line (a field may not hold a line break)",
        ],
        [6n, "5,eps,6,extra", "wrong number of columns: expected 3, found 4"],
      ],
    );
  });

  it("counts a line with several missing columns as one reject", async () => {
    await drop("sales_1.csv", "id,name,qty\n1\n2,b,2\n");
    const [result] = await ingestSource(ctx, project, source(), RUN);
    assert.deepEqual(result, {
      file: "sales/sales_1.csv",
      records: 2,
      bronzeRows: 1,
      rejects: 1,
      ingested: true,
    });
    const { rejects } = bronzeStores(project, source());
    assert.deepEqual(
      (await rows(rejects)).map((r) => [r._source_row, r.raw_line, r.error]),
      [[2n, "1", "wrong number of columns: expected 3, found 1"]],
    );
  });

  it("ingests nothing on a second run, and only the new file when one arrives", async () => {
    await drop("sales_1.csv", "id,name,qty\n1,a,1\n");
    await ingestSource(ctx, project, source(), RUN);
    const again = await ingestSource(ctx, project, source(), RUN);
    assert.deepEqual(
      again.map((r) => r.ingested),
      [false],
    );
    await drop("sales_2.csv", "id,name,qty\n2,b,2\n3,c,3\n");
    const next = await ingestSource(ctx, project, source(), RUN);
    assert.deepEqual(
      next.map((r) => [r.file, r.ingested, r.bronzeRows]),
      [
        ["sales/sales_1.csv", false, 0],
        ["sales/sales_2.csv", true, 2],
      ],
    );
    const { bronze } = bronzeStores(project, source());
    assert.deepEqual(
      (await rows(bronze)).map((r) => r.id),
      ["1", "2", "3"],
    );
    assert.equal((await ctx.snapshot(bronze)).version, 1, "one commit per file");
  });

  it("loads the files that arrived together as one commit per table, recording each file", async () => {
    await drop("sales_1.csv", "id,name,qty\n1,a,1\n2,b\n");
    await drop("sales_2.csv", "id,name,qty\n3,c,3\n");
    const results = await ingestSource(ctx, project, source(), RUN);
    assert.deepEqual(
      results.map((r) => [r.file, r.bronzeRows, r.rejects]),
      [
        ["sales/sales_1.csv", 1, 1],
        ["sales/sales_2.csv", 1, 0],
      ],
    );
    const { bronze, rejects } = bronzeStores(project, source());
    for (const store of [bronze, rejects]) {
      const snapshot = await ctx.snapshot(store);
      assert.equal(snapshot.version, 0, "one commit");
      assert.deepEqual(
        snapshot
          .txns()
          .map((t) => t.appId)
          .sort(),
        ["medallion-lake/landing/sales/sales_1.csv", "medallion-lake/landing/sales/sales_2.csv"],
      );
    }
    assert.deepEqual(
      (await rows(bronze)).map((r) => [r._source_file, r._source_row]),
      [
        ["sales/sales_1.csv", 2n],
        ["sales/sales_2.csv", 2n],
      ],
    );
  });

  it("recovers the rejects of a file whose bronze commit landed before a crash, without duplicating bronze", async () => {
    await drop("sales_1.csv", "id,name,qty\n1,a,1\n2,b\n");
    await ingestSource(ctx, project, source(), RUN);
    const { bronze, rejects } = bronzeStores(project, source());
    await rm(join(project.zones.bronze, "sales_rejects"), { recursive: true }); // as if the run died before it
    const [rerun] = await ingestSource(ctx, project, source(), RUN);
    assert.deepEqual(rerun, {
      file: "sales/sales_1.csv",
      records: 2,
      bronzeRows: 1,
      rejects: 1,
      ingested: true,
    });
    assert.equal((await rows(bronze)).length, 1);
    assert.equal((await ctx.snapshot(bronze)).version, 0, "bronze was not written again");
    assert.deepEqual(
      (await rows(rejects)).map((r) => r.raw_line),
      ["2,b"],
    );
  });

  it("rejects a landed file whose header differs from the source's columns as a whole, naming the columns", async () => {
    await mkdir(join(project.zones.landing, "sales"), { recursive: true });
    await writeFile(join(project.zones.landing, "sales", "sales_1.csv"), "id,label,qty,extra\n1,a,1,x\n");
    const [result] = await ingestSource(ctx, project, source(), RUN);
    assert.deepEqual(result, {
      file: "sales/sales_1.csv",
      records: 0,
      bronzeRows: 0,
      rejects: 0,
      ingested: true,
      rejectedFile:
        "its header does not match the source's columns: missing name; unexpected label, extra. Expected: id, name, qty",
    });
    const { bronze } = bronzeStores(project, source());
    assert.equal((await rows(bronze)).length, 0);
    const [again] = await ingestSource(ctx, project, source(), RUN);
    assert.equal(again?.ingested, false, "a rejected file is not read again while it is unchanged");
  });
});
