import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  copyCorpusTable,
  corpusCommitTimes,
  lake,
  locationOf,
  makeTempDir,
  removeDir,
  setCommitMtimes,
} from "../helpers/cli.ts";
import { corpusTable } from "../helpers/corpus.ts";

// `lake history` on a copy of the time-travel golden table whose commit files carry the mtimes its
// generator gave them (commit times come from the files), so every line is deterministic.
const TABLE = "golden_time-travel-start-start20-start40";
const HEADER = [
  "version  timestamp                 operation  files  parameters                            engine",
  "-------  ------------------------  ---------  -----  ------------------------------------  ------",
];
const PARAMETERS = '{"mode":"Append","partitionBy":"[]"}';

describe("lake history", () => {
  let dir: string;
  let table: string;
  before(async () => {
    dir = await makeTempDir();
    table = await copyCorpusTable(TABLE, dir);
    await setCommitMtimes(table, await corpusCommitTimes(TABLE));
  });
  after(() => removeDir(dir));

  it("lists every version newest first with its time, operation, file counts and parameters", async () => {
    const result = await lake("history", table);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stdout,
      [
        ...HEADER,
        `2        2018-10-24T21:54:18.000Z  WRITE      +2 -0  ${PARAMETERS}`,
        `1        2018-10-24T21:34:18.000Z  WRITE      +2 -0  ${PARAMETERS}`,
        `0        2018-10-24T21:14:18.000Z  WRITE      +2 -0  ${PARAMETERS}`,
        "",
      ].join("\n"),
    );
  });

  it("--limit 1 shows only the newest commit", async () => {
    const result = await lake("history", table, "--limit", "1");
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stdout,
      [...HEADER, `2        2018-10-24T21:54:18.000Z  WRITE      +2 -0  ${PARAMETERS}`, ""].join("\n"),
    );
  });

  it("--json prints one JSON document with the table and its commits, newest first, with ISO timestamps", async () => {
    const result = await lake("history", table, "--json");
    assert.equal(result.code, 0, result.stderr);
    const { table: location, commits: entries } = JSON.parse(result.stdout) as {
      table: string;
      commits: unknown[];
    };
    assert.equal(location, locationOf(table));
    const entry = (version: number, minute: string) => ({
      version,
      timestamp: `2018-10-24T21:${minute}:18.000Z`,
      operation: "WRITE",
      operationParameters: { mode: "Append", partitionBy: "[]" },
      ...(version > 0 ? { readVersion: version - 1 } : {}),
      isBlindAppend: true,
      adds: 2,
      removes: 0,
    });
    assert.deepEqual(entries, [entry(2, "54"), entry(1, "34"), entry(0, "14")]);
  });

  it("--json --limit 1 prints one commit", async () => {
    const result = await lake("history", table, "--json", "--limit", "1");
    assert.equal(result.code, 0, result.stderr);
    const { commits } = JSON.parse(result.stdout) as { commits: Array<{ version: number }> };
    assert.deepEqual(
      commits.map((c) => c.version),
      [2],
    );
  });

  it("shows the engine and the operations of a Spark-written table", async () => {
    const result = await lake("history", corpusTable("dat_basic_partitioned"), "--json");
    assert.equal(result.code, 0, result.stderr);
    const entries = (
      JSON.parse(result.stdout) as {
        commits: Array<{ version: number; operationParameters: unknown; engineInfo: string }>;
      }
    ).commits;
    assert.deepEqual(
      entries.map((e) => [e.version, e.operationParameters, e.engineInfo]),
      [
        [1, { mode: "Append", partitionBy: '["letter"]' }, "Apache-Spark/3.5.1 Delta-Lake/3.1.0"],
        [0, { mode: "ErrorIfExists", partitionBy: '["letter"]' }, "Apache-Spark/3.5.1 Delta-Lake/3.1.0"],
      ],
    );
  });

  it("--limit abc exits 2 naming the flag", async () => {
    const result = await lake("history", table, "--limit", "abc");
    assert.equal(result.code, 2);
    assert.equal(result.stderr, 'lake: --limit must be a whole number >= 0, got "abc"\n');
  });
});
