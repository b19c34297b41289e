/**
 * Bad bytes in landing files, one case per input: every line ends up in bronze or in the rejects
 * table, whole, with its file, line and reason; a file that cannot be read as the source's CSV is
 * rejected as a whole; and nothing committed before changes. All cases land together after a good
 * file was ingested, and are read in one batch, as a drop of mixed files would be.
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Row, scanRows } from "../../src/delta/index.ts";
import { DeltaContext } from "../../src/engine/index.ts";
import {
  bronzeStores,
  type FileIngest,
  ingestSource,
  MAX_LINE_BYTES,
  type ProjectConfig,
  parseProject,
  RAW_KEPT_BYTES,
  readLandingLog,
} from "../../src/pipeline/index.ts";
import type { ObjectStore } from "../../src/storage/index.ts";

const HEADER = "id,name,qty\n";
const utf8 = (text: string) => Buffer.from(text, "utf8");

/** A case whose lines are judged one by one: what each data line becomes. */
interface LineCase {
  readonly name: string;
  readonly bytes: Buffer;
  /** Line number → the bronze row's columns, or the reject's error. */
  readonly bronze?: Record<number, readonly [string | null, string | null, string | null]>;
  readonly rejects?: Record<number, string>;
}

/** A case whose file is rejected as a whole, with this reason. */
interface FileCase {
  readonly name: string;
  readonly bytes: Buffer;
  readonly rejectedFile: string;
}

const longValue = "x".repeat(MAX_LINE_BYTES + 10);
const lineCases: LineCase[] = [
  {
    name: "a lone CR inside an unquoted value",
    bytes: utf8(`${HEADER}1,al\rpha,3\n2,ok,4\n`),
    rejects: { 2: "a carriage return (CR) that does not end the line at byte 5 of the line" },
    bronze: { 3: ["2", "ok", "4"] },
  },
  {
    name: "a lone CR inside a quoted value",
    bytes: utf8(`${HEADER}1,"a\rb",3\n`),
    rejects: { 2: "a carriage return (CR) that does not end the line at byte 5 of the line" },
  },
  {
    name: "a NUL byte in a value",
    bytes: utf8(`${HEADER}1,a\0b,3\n2,b,4\n`),
    rejects: { 2: "a NUL byte at byte 4 of the line" },
    bronze: { 3: ["2", "b", "4"] },
  },
  {
    name: "a NUL byte in a line that is also malformed",
    bytes: utf8(`${HEADER}1,"a\0b\n`),
    rejects: { 2: "a NUL byte at byte 5 of the line" },
  },
  {
    name: "a Latin-1 byte in a value",
    bytes: Buffer.concat([utf8(`${HEADER}1,caf`), Buffer.from([0xe9]), utf8(",3\n2,café,4\n")]),
    rejects: { 2: "not UTF-8 text (invalid bytes from byte 6 of the line)" },
    bronze: { 3: ["2", "café", "4"] },
  },
  {
    name: "an invalid UTF-8 continuation byte",
    bytes: Buffer.concat([utf8(`${HEADER}1,`), Buffer.from([0xc3, 0x28]), utf8(",3\n")]),
    rejects: { 2: "not UTF-8 text (invalid bytes from byte 3 of the line)" },
  },
  {
    name: "a UTF-16 surrogate encoded in UTF-8",
    bytes: Buffer.concat([utf8(`${HEADER}1,`), Buffer.from([0xed, 0xa0, 0x80]), utf8(",3\n")]),
    rejects: { 2: "not UTF-8 text (invalid bytes from byte 3 of the line)" },
  },
  {
    name: "emoji and accents (valid UTF-8)",
    bytes: utf8(`${HEADER}1,Zoë 🚀 東京,3\n`),
    bronze: { 2: ["1", "Zoë 🚀 東京", "3"] },
  },
  {
    name: "a U+FEFF inside a value",
    bytes: utf8(`${HEADER}1,\uFEFFname,3\n`),
    bronze: { 2: ["1", "\uFEFFname", "3"] },
  },
  {
    name: "two quoted fields holding line breaks",
    bytes: utf8(`${HEADER}1,"a\nb","c\nd",3\n2,after,4\n`),
    rejects: {
      2: "unbalanced quote: a quoted field is not closed on its line (a field may not hold a line break)",
      3: "a quote inside an unquoted field at byte 2 of the line",
      4: "a quote inside an unquoted field at byte 2 of the line",
    },
    bronze: { 5: ["2", "after", "4"] },
  },
  {
    name: "an unclosed quote at the end of the file",
    bytes: utf8(`${HEADER}1,"abc,3`),
    rejects: {
      2: "unbalanced quote: a quoted field is not closed on its line (a field may not hold a line break)",
    },
  },
  {
    name: "text after a closing quote",
    bytes: utf8(`${HEADER}1,"a"b,3\n`),
    rejects: { 2: "a quoted field is followed by text instead of a comma at byte 6 of the line" },
  },
  {
    name: "a quote inside an unquoted value",
    bytes: utf8(`${HEADER}1,a"b,3\n`),
    rejects: { 2: "a quote inside an unquoted field at byte 4 of the line" },
  },
  {
    name: "doubled quotes inside a quoted value",
    bytes: utf8(`${HEADER}1,"a ""b"" c",3\n`),
    bronze: { 2: ["1", 'a "b" c', "3"] },
  },
  {
    name: "a quoted comma and an empty quoted value",
    bytes: utf8(`${HEADER}1,"x, y",""\n`),
    bronze: { 2: ["1", "x, y", ""] },
  },
  {
    name: "one extra empty trailing field",
    bytes: utf8(`${HEADER}1,a,3,\n`),
    rejects: { 2: "wrong number of columns: expected 3, found 4" },
  },
  {
    name: "two extra empty trailing fields",
    bytes: utf8(`${HEADER}1,a,3,,\n`),
    rejects: { 2: "wrong number of columns: expected 3, found 5" },
  },
  {
    name: "an empty last value",
    bytes: utf8(`${HEADER}1,a,\n`),
    bronze: { 2: ["1", "a", null] },
  },
  {
    name: "a missing column",
    bytes: utf8(`${HEADER}1,a\n`),
    rejects: { 2: "wrong number of columns: expected 3, found 2" },
  },
  {
    name: "an extra column",
    bytes: utf8(`${HEADER}1,a,3,x\n`),
    rejects: { 2: "wrong number of columns: expected 3, found 4" },
  },
  {
    name: "a line of spaces",
    bytes: utf8(`${HEADER}   \n1,a,3\n`),
    rejects: { 2: "wrong number of columns: expected 3, found 1" },
    bronze: { 3: ["1", "a", "3"] },
  },
  {
    name: "blank lines between records",
    bytes: utf8(`${HEADER}\n1,a,3\r\n\r\n2,b,4\n\n`),
    bronze: { 3: ["1", "a", "3"], 5: ["2", "b", "4"] },
  },
  {
    name: "a tab-separated line",
    bytes: utf8(`${HEADER}1\ta\t3\n`),
    rejects: { 2: "wrong number of columns: expected 3, found 1" },
  },
  {
    name: "a line longer than one record may hold",
    bytes: utf8(`${HEADER}1,${longValue},3\n2,b,4\n`),
    rejects: {
      2: `the line has ${longValue.length + 4} bytes, more than the ${MAX_LINE_BYTES} one record may hold`,
    },
    bronze: { 3: ["2", "b", "4"] },
  },
  {
    name: "a line exactly as long as one record may hold",
    bytes: utf8(`${HEADER}1,${"w".repeat(MAX_LINE_BYTES - 4)},3\n`),
    bronze: { 2: ["1", "w".repeat(MAX_LINE_BYTES - 4), "3"] },
  },
  {
    name: "a 20 KB line with too many columns (longer than DuckDB quotes back)",
    bytes: utf8(`${HEADER}1,${"y".repeat(20_000)},3,4\n`),
    rejects: { 2: "wrong number of columns: expected 3, found 4" },
  },
  {
    name: "a 100 KB value",
    bytes: utf8(`${HEADER}1,${"z".repeat(100_000)},3\n`),
    bronze: { 2: ["1", "z".repeat(100_000), "3"] },
  },
  {
    name: "mixed CRLF and LF line ends",
    bytes: utf8(`id,name,qty\r\n1,a,3\n2,b,4\r\n`),
    bronze: { 2: ["1", "a", "3"], 3: ["2", "b", "4"] },
  },
  {
    name: "a last line without a line break",
    bytes: utf8(`${HEADER}1,a,3\n2,b,4`),
    bronze: { 2: ["1", "a", "3"], 3: ["2", "b", "4"] },
  },
  {
    name: "a header with a UTF-8 byte order mark, quotes and spaces",
    bytes: utf8(`\uFEFF"id", name ,qty\n1,a,3\n`),
    bronze: { 2: ["1", "a", "3"] },
  },
  {
    name: "a header and no data",
    bytes: utf8("id,name,qty"),
  },
];

const utf16 = (text: string, bom: boolean, be = false) => {
  const le = Buffer.from(text, "utf16le");
  const body = be ? Buffer.from(le).swap16() : le;
  return bom ? Buffer.concat([Buffer.from(be ? [0xfe, 0xff] : [0xff, 0xfe]), body]) : body;
};
const fileCases: FileCase[] = [
  { name: "an empty file", bytes: Buffer.alloc(0), rejectedFile: "it is empty: no header line" },
  {
    name: "a blank first line",
    bytes: utf8("\nid,name,qty\n1,a,3\n"),
    rejectedFile: "its first line is empty; expected the header id,name,qty",
  },
  {
    name: "a renamed column in the header",
    bytes: utf8("id,label,qty\n1,a,3\n"),
    rejectedFile:
      "its header does not match the source's columns: missing name; unexpected label. Expected: id, name, qty",
  },
  {
    name: "header columns in another order",
    bytes: utf8("name,id,qty\na,1,3\n"),
    rejectedFile:
      "its header does not match the source's columns: columns in another order (name, id, qty). Expected: id, name, qty",
  },
  {
    name: "a header with a trailing comma",
    bytes: utf8("id,name,qty,\n1,a,3,\n"),
    rejectedFile:
      'its header does not match the source\'s columns: unexpected "" (an empty name). Expected: id, name, qty',
  },
  {
    name: "no header (the first line is data)",
    bytes: utf8("1,a,3\n2,b,4\n"),
    rejectedFile:
      "its header does not match the source's columns: missing id, name, qty; unexpected 1, a, 3. Expected: id, name, qty",
  },
  {
    name: "UTF-16LE with a byte order mark",
    bytes: utf16(`${HEADER}1,a,3\n`, true),
    rejectedFile: "it is UTF-16LE, not UTF-8 text; save it as UTF-8",
  },
  {
    name: "UTF-16BE with a byte order mark",
    bytes: utf16(`${HEADER}1,a,3\n`, true, true),
    rejectedFile: "it is UTF-16BE, not UTF-8 text; save it as UTF-8",
  },
  {
    name: "UTF-16LE without a byte order mark",
    bytes: utf16(`${HEADER}1,a,3\n`, false),
    rejectedFile: "it holds NUL bytes: a binary file, or text in another encoding than UTF-8",
  },
  {
    name: "UTF-32LE with a byte order mark",
    bytes: Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), Buffer.from("i\0\0\0d\0\0\0")]),
    rejectedFile: "it is UTF-32LE, not UTF-8 text; save it as UTF-8",
  },
  {
    name: "a Latin-1 header",
    bytes: Buffer.concat([utf8("id,nam"), Buffer.from([0xe9]), utf8(",qty\n")]),
    rejectedFile: "its first line is not UTF-8 text; save the file as UTF-8",
  },
  {
    name: "a PNG image named .csv",
    bytes: Buffer.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52,
    ]),
    rejectedFile: "its first line is not UTF-8 text; save the file as UTF-8",
  },
  {
    name: "gzip-compressed CSV named .csv",
    bytes: Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x0a]),
    rejectedFile: "it holds NUL bytes: a binary file, or text in another encoding than UTF-8",
  },
  {
    name: "classic Mac line ends (CR only)",
    bytes: utf8("id,name,qty\r1,a,3\r2,b,4\r"),
    rejectedFile: "its lines end with a carriage return alone (CR); save it with LF or CRLF line ends",
  },
  {
    name: "no line break in the first 2 MiB",
    bytes: Buffer.alloc(MAX_LINE_BYTES + 100, "A"),
    rejectedFile: `no line break in its first ${MAX_LINE_BYTES + 100} bytes: not a CSV file`,
  },
];

describe("bad landing files", () => {
  let dir: string;
  let project: ProjectConfig;
  let ctx: DeltaContext;
  let results: Map<string, FileIngest>;
  let bronzeRows: Row[];
  let rejectRows: Row[];
  let baselineVersion: number;
  const file = (i: number, kind: string) => `sales/sales_${kind}_${String(i).padStart(2, "0")}.csv`;
  const rows = async (store: ObjectStore) => {
    const out: Row[] = [];
    for await (const row of scanRows(await ctx.snapshot(store), store, ctx.parquet)) out.push(row);
    return out;
  };
  const land = async (key: string, bytes: Buffer) => {
    await mkdir(join(project.zones.landing, "sales"), { recursive: true });
    await writeFile(join(project.zones.landing, key), bytes);
  };

  before(async () => {
    ctx = await DeltaContext.open({ threads: 1 });
    dir = await mkdtemp(join(tmpdir(), "lake-bad-files-"));
    project = parseProject(
      { sources: { sales: { files: "sales*.csv", columns: ["id", "name", "qty"] } } },
      join(dir, "lake.json"),
    );
    await land("sales/sales_0_baseline.csv", utf8(`${HEADER}1,base,1\n2,base,2\n`));
    await ingestSource(ctx, project, project.sources[0] as never, { runId: "run-1", startedAt: 1 });
    baselineVersion = (await ctx.snapshot(bronzeStores(project, project.sources[0] as never).bronze)).version;
    for (const [i, c] of lineCases.entries()) await land(file(i, "line"), c.bytes);
    for (const [i, c] of fileCases.entries()) await land(file(i, "whole"), c.bytes);
    const ingested = await ingestSource(ctx, project, project.sources[0] as never, {
      runId: "run-2",
      startedAt: 2,
    });
    results = new Map(ingested.map((r) => [r.file, r]));
    const { bronze, rejects } = bronzeStores(project, project.sources[0] as never);
    bronzeRows = await rows(bronze);
    rejectRows = await rows(rejects);
  });
  after(async () => {
    await ctx.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps the rows committed before the bad files, and commits the batch once", async () => {
    const base = bronzeRows.filter((r) => r._source_file === "sales/sales_0_baseline.csv");
    assert.deepEqual(
      base.map((r) => [r.id, r.name, r.qty, r._ingested_at]),
      [
        ["1", "base", "1", 1000n],
        ["2", "base", "2", 1000n],
      ],
    );
    const { bronze } = bronzeStores(project, project.sources[0] as never);
    assert.equal((await ctx.snapshot(bronze)).version, baselineVersion + 1);
  });

  for (const [i, c] of lineCases.entries()) {
    it(`line by line: ${c.name}`, () => {
      const key = file(i, "line");
      const lines = splitLines(c.bytes);
      const bronze = bronzeRows.filter((r) => r._source_file === key);
      const rejects = rejectRows.filter((r) => r._source_file === key);
      assert.deepEqual(
        Object.fromEntries(bronze.map((r) => [Number(r._source_row), [r.id, r.name, r.qty]])),
        c.bronze ?? {},
      );
      assert.deepEqual(
        Object.fromEntries(rejects.map((r) => [Number(r._source_row), r.error])),
        c.rejects ?? {},
      );
      for (const r of rejects) {
        const raw = lines[Number(r._source_row) - 1] ?? assert.fail(`no line ${r._source_row}`);
        // Whole and exact: the text, or the bytes when they are not UTF-8.
        if (r.raw_bytes === null) assert.equal(r.raw_line, raw.toString("utf8"));
        else assert.deepEqual(Buffer.from(r.raw_bytes as Uint8Array), raw);
      }
      const records = lines.slice(1).filter((l) => l.length > 0).length;
      assert.equal(bronze.length + rejects.length, records, "landing lines = bronze rows + rejected lines");
      assert.deepEqual(results.get(key), {
        file: key,
        records,
        bronzeRows: bronze.length,
        rejects: rejects.length,
        ingested: true,
      });
    });
  }

  for (const [i, c] of fileCases.entries()) {
    it(`whole file: ${c.name}`, async () => {
      const key = file(i, "whole");
      assert.equal(results.get(key)?.rejectedFile, c.rejectedFile);
      assert.equal(bronzeRows.filter((r) => r._source_file === key).length, 0);
      assert.equal(rejectRows.filter((r) => r._source_file === key).length, 0);
      const state = (await readLandingLog(ctx, project)).latest.get(key);
      assert.deepEqual(
        [state?.event, state?.reason, state?.size],
        ["rejected", c.rejectedFile, c.bytes.length],
      );
    });
  }

  it("keeps the first 64 MiB of a line too long for any value (a binary tail with no line break)", async () => {
    const tail = Buffer.alloc(RAW_KEPT_BYTES + 1000, 0x41);
    await land("sales/sales_tail.csv", Buffer.concat([utf8(`${HEADER}1,a,1\n`), tail, utf8("\n2,b,2\n")]));
    const run = await ingestSource(ctx, project, project.sources[0] as never, {
      runId: "run-tail",
      startedAt: 4,
    });
    const result = run.find((r) => r.file === "sales/sales_tail.csv");
    assert.deepEqual([result?.records, result?.bronzeRows, result?.rejects], [3, 2, 1]);
    const { rejects } = bronzeStores(project, project.sources[0] as never);
    const [reject] = (await rows(rejects)).filter((r) => r._source_file === "sales/sales_tail.csv");
    assert.equal(
      reject?.error,
      `the line has ${tail.length} bytes, more than the ${MAX_LINE_BYTES} one record may hold; its first ${RAW_KEPT_BYTES} bytes are kept here`,
    );
    assert.equal(String(reject?.raw_line).length, RAW_KEPT_BYTES);
    assert.equal(reject?._source_row, 3n);
  });

  it("refuses a second copy of a loaded file's content under another name", async () => {
    await land("sales/sales_copy.csv", utf8(`${HEADER}1,base,1\n2,base,2\n`));
    const [copy] = (
      await ingestSource(ctx, project, project.sources[0] as never, { runId: "run-3", startedAt: 3 })
    ).filter((r) => r.ingested);
    assert.deepEqual(copy, {
      file: "sales/sales_copy.csv",
      records: 0,
      bronzeRows: 0,
      rejects: 0,
      ingested: true,
      rejectedFile:
        "it has the same content as sales/sales_0_baseline.csv, which is already loaded; `lake files retry sales/sales_copy.csv` loads it anyway",
    });
  });
});

/** The physical lines of a file (LF-separated, a CR before the LF dropped), as bytes. */
function splitLines(bytes: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let nl = bytes.indexOf(0x0a); nl !== -1; nl = bytes.indexOf(0x0a, start)) {
    lines.push(bytes.subarray(start, nl > start && bytes[nl - 1] === 0x0d ? nl - 1 : nl));
    start = nl + 1;
  }
  if (start < bytes.length) lines.push(bytes.subarray(start));
  return lines;
}
