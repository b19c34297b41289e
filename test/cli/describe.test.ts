import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  copyCorpusTable,
  corpusCommitTimes,
  expectedLines,
  lake,
  locationOf,
  makeTempDir,
  removeDir,
  setCommitMtimes,
} from "../helpers/cli.ts";
import { corpusTable } from "../helpers/corpus.ts";

// `lake describe` on corpus copies whose commit files carry their commitInfo times, so the
// "committed" instant (the latest commit file's mtime) is deterministic.
describe("lake describe", () => {
  let dir: string;
  let partitioned: string;
  let withDv: string;
  before(async () => {
    dir = await makeTempDir();
    partitioned = await copyCorpusTable("dat_basic_partitioned", dir);
    await setCommitMtimes(partitioned, await corpusCommitTimes("dat_basic_partitioned"));
    withDv = await copyCorpusTable("dat_deletion_vectors", dir);
    await setCommitMtimes(withDv, await corpusCommitTimes("dat_deletion_vectors"));
  });
  after(() => removeDir(dir));

  it("prints version, protocol, partition columns, files, rows and schema of a partitioned table", async () => {
    const result = await lake("describe", partitioned);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stdout,
      [
        `Table       ${locationOf(partitioned)}`,
        "Version     1 (committed 2024-04-02T20:56:51.623Z)",
        "Protocol    reader 1, writer 2",
        "Partitions  letter",
        "Files       6 (4.4 KiB)",
        "Rows        6",
        "Schema",
        "  letter: string",
        "  number: long",
        "  a_float: double",
        "",
      ].join("\n"),
    );
  });

  it("--json prints the same description as one JSON object", async () => {
    const result = await lake("describe", partitioned, "--json");
    assert.equal(result.code, 0, result.stderr);
    const d = JSON.parse(result.stdout) as Record<string, unknown>;
    assert.deepEqual(d, {
      location: locationOf(partitioned),
      version: 1,
      lastCommit: "2024-04-02T20:56:51.623Z",
      tableId: "0ff90ebd-7dd8-435b-873a-3b7f92d261b6",
      name: null,
      protocol: { minReaderVersion: 1, minWriterVersion: 2 },
      schema: {
        type: "struct",
        fields: [
          { name: "letter", type: "string", nullable: true, metadata: {} },
          { name: "number", type: "long", nullable: true, metadata: {} },
          { name: "a_float", type: "double", nullable: true, metadata: {} },
        ],
      },
      partitionColumns: ["letter"],
      configuration: {},
      numFiles: 6,
      sizeBytes: 4505,
      numRows: 6,
    });
  });

  it("counts rows net of deletion vectors (stats say 5, the DV deletes 4) and lists features and properties", async () => {
    const result = await lake("describe", withDv);
    assert.equal(result.code, 0, result.stderr);
    assert.equal((await expectedLines("dat_deletion_vectors", "latest.jsonl")).length, 1);
    assert.equal(
      result.stdout,
      [
        `Table       ${locationOf(withDv)}`,
        "Version     2 (committed 2024-04-02T20:58:29.344Z)",
        "Protocol    reader 3, writer 7 (features: deletionVectors)",
        "Partitions  (none)",
        "Files       1 (1006 B)",
        "Rows        1",
        "Schema",
        "  letter: string",
        "  int: long",
        "  date: date",
        "Properties",
        "  delta.enableDeletionVectors = true",
        "",
      ].join("\n"),
    );
  });

  for (const name of [
    "kd_basic-dv-with-checkpoint",
    "golden_log-replay-dv-key-cases",
    "drs_table-with-dv-small",
  ]) {
    it(`--json numRows of ${name} (deletion vectors) equals its expected row count`, async () => {
      const result = await lake("describe", corpusTable(name), "--json");
      assert.equal(result.code, 0, result.stderr);
      const { numRows } = JSON.parse(result.stdout) as { numRows: number | null };
      assert.equal(numRows, (await expectedLines(name, "latest.jsonl")).length);
    });
  }

  it("says the row count is unknown when some file has no stats", async () => {
    const result = await lake("describe", corpusTable("golden_time-travel-start-start20-start40"));
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /\nRows {8}unknown \(some files have no stats\)\n/);
    assert.match(result.stdout, /\nFiles {7}6 \(2\.6 KiB\)\n/);
  });

  it("a folder without a Delta table exits 1 with No Delta table at its location", async () => {
    const result = await lake("describe", `${dir}/nothing-here`);
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr,
      `lake: No Delta table at ${locationOf(`${dir}/nothing-here`)}: there is no _delta_log/ with commits\n`,
    );
  });
});
