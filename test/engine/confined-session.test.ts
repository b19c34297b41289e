import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { field, struct } from "../../src/delta/index.ts";
import { createTableView, DeltaContext, streamReadOnlyQuery, writeTable } from "../../src/engine/index.ts";
import { LocalStore } from "../../src/storage/index.ts";

// A session confined to some folders (the dashboard's SQL console): DuckDB reads tables there, opens
// no other file, cannot be let out again, and runs only single SELECT statements through
// streamReadOnlyQuery.
describe("a DuckDB session with allowedDirectories", () => {
  let dir: string;
  let ctx: DeltaContext;
  const rows = async (sql: string) => {
    const result = await streamReadOnlyQuery(ctx, sql);
    const out: unknown[][] = [];
    for await (const chunk of result.yieldRowsJson()) out.push(...chunk);
    return out;
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "lake-confined-"));
    await mkdir(join(dir, "lake"));
    await writeFile(join(dir, "outside.csv"), "secret\n1\n");
    const writer = await DeltaContext.open({ threads: 1 });
    await writeTable(writer, new LocalStore(join(dir, "lake", "t")), {
      rows: [{ id: 1n }, { id: 2n }],
      schema: struct(field("id", "long")),
    });
    writer.close();
    ctx = await DeltaContext.open({
      threads: 1,
      allowedDirectories: [join(dir, "lake")],
      cacheDirectory: join(dir, "cache"),
    });
  });
  after(async () => {
    ctx.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("reads a table under an allowed folder through a view", async () => {
    const view = await createTableView(ctx, new LocalStore(join(dir, "lake", "t")), "t");
    assert.deepEqual(await rows(`SELECT sum(id)::INTEGER FROM ${view}`), [[3]]);
  });

  it("refuses to open a file outside the allowed folders, also by a path climbing out", async () => {
    for (const path of [join(dir, "outside.csv"), `${join(dir, "lake")}/../outside.csv`, "/etc/passwd"])
      await assert.rejects(rows(`SELECT * FROM read_csv('${path}')`), /Permission Error: Cannot access file/);
  });

  it("cannot be let out again", async () => {
    await assert.rejects(
      ctx.session.connection.run("SET enable_external_access = true"),
      /Cannot enable external access while database is running/,
    );
  });

  it("streamReadOnlyQuery runs one SELECT and refuses anything else, naming what it is", async () => {
    assert.deepEqual(await rows("WITH x AS (SELECT 41 AS n) SELECT n + 1 FROM x"), [[42]]);
    const refused: Array<[string, string]> = [
      // Inside an allowed folder DuckDB would write: the statement's kind is what refuses it.
      [
        `COPY (SELECT 1) TO '${join(dir, "lake", "x.csv")}'`,
        "this is a COPY statement, and only queries that read (SELECT) run here",
      ],
      ["CREATE TABLE y (a INT)", "this is a CREATE statement, and only queries that read (SELECT) run here"],
      ["SET threads = 1", "this is a SET statement, and only queries that read (SELECT) run here"],
      ["SELECT 1; SELECT 2", "this SQL has 2 statements; one query runs at a time"],
    ];
    for (const [sql, message] of refused)
      await assert.rejects(streamReadOnlyQuery(ctx, sql), { name: "NotReadOnlyError", message }, sql);
    await assert.rejects(stat(join(dir, "lake", "x.csv")), { code: "ENOENT" });
  });
});
