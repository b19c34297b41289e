/**
 * A synthetic but realistic Delta log, generated as text: version 0 creates a table partitioned by
 * `year`/`month` (protocol 1/2 + metaData), every commit appends `filesPerCommit` files with
 * Hive-style paths, partition values and stats shaped like ours, and every fourth commit also
 * removes two earlier files, so the log holds tombstones. Deterministic for a given shape; the data
 * files themselves do not exist.
 */

/** The shape of the log to generate. */
export interface LogShape {
  readonly commits: number;
  readonly filesPerCommit: number;
}

/** Time of commit 0; commits are one minute apart (10,000 commits span just under 7 days). */
export const FIRST_COMMIT_MS = Date.UTC(2026, 0, 1);
const COMMIT_SPACING_MS = 60_000;
/** Every this many commits, a commit also removes {@link REMOVES_PER_COMMIT} live files. */
const REMOVE_EVERY = 4;
const REMOVES_PER_COMMIT = 2;
const PARTITION_MONTHS = 24;

const SCHEMA = {
  type: "struct",
  fields: [
    ["sale_id", "long"],
    ["sale_date", "date"],
    ["region", "string"],
    ["product_id", "string"],
    ["quantity", "integer"],
    ["unit_price", "decimal(10,2)"],
    ["year", "integer"],
    ["month", "integer"],
  ].map(([name, type]) => ({ name, type, nullable: true, metadata: {} })),
};

/** The commit timestamp of `version`, ms. */
export function commitTime(version: number): number {
  return FIRST_COMMIT_MS + version * COMMIT_SPACING_MS;
}

interface LiveFile {
  readonly path: string;
  readonly year: string;
  readonly month: string;
  readonly size: number;
}

/** Yields the newline-delimited JSON of commits 0, 1, ... of `shape`, in order. */
export function* commitTexts(shape: LogShape): Generator<string> {
  const random = mulberry32(shape.commits * 1_000 + shape.filesPerCommit);
  const live: LiveFile[] = [];
  let nextPart = 0;
  for (let version = 0; version < shape.commits; version++) {
    const now = commitTime(version);
    const lines: string[] = [];
    const removes =
      version % REMOVE_EVERY === REMOVE_EVERY - 1 ? Math.min(REMOVES_PER_COMMIT, live.length) : 0;
    lines.push(JSON.stringify({ commitInfo: commitInfo(version, now, shape.filesPerCommit, removes) }));
    if (version === 0) lines.push(...tableHeader(now));
    for (let i = 0; i < removes; i++) {
      const file = takeRandom(live, random);
      lines.push(JSON.stringify({ remove: removeAction(file, now) }));
    }
    const month = Math.floor((version * PARTITION_MONTHS) / shape.commits);
    for (let i = 0; i < shape.filesPerCommit; i++) {
      const file = newFile(nextPart++, month, random);
      live.push(file);
      lines.push(`{"add":${addJson(file, now, nextPart, random)}}`);
    }
    yield `${lines.join("\n")}\n`;
  }
}

function tableHeader(now: number): string[] {
  const metaData = {
    id: "5f1c0e6a-0b4e-4d1a-9a57-bench0000000",
    name: "bench_sales",
    format: { provider: "parquet", options: {} },
    schemaString: JSON.stringify(SCHEMA),
    partitionColumns: ["year", "month"],
    configuration: {},
    createdTime: now,
  };
  return [
    JSON.stringify({ protocol: { minReaderVersion: 1, minWriterVersion: 2 } }),
    JSON.stringify({ metaData }),
  ];
}

function commitInfo(version: number, now: number, adds: number, removes: number): Record<string, unknown> {
  return {
    timestamp: now,
    operation: version === 0 ? "CREATE TABLE AS SELECT" : removes > 0 ? "MERGE" : "WRITE",
    operationParameters: { mode: "Append", partitionBy: '["year","month"]' },
    operationMetrics: { numFiles: String(adds), numRemovedFiles: String(removes) },
    ...(version === 0 ? {} : { readVersion: version - 1 }),
    isolationLevel: "WriteSerializable",
    isBlindAppend: removes === 0,
    engineInfo: "medallion-lake/0.1.0",
    txnId: `00000000-0000-4000-8000-${String(version).padStart(12, "0")}`,
  };
}

function newFile(part: number, monthIndex: number, random: () => number): LiveFile {
  const year = String(2024 + Math.floor(monthIndex / 12));
  const month = String((monthIndex % 12) + 1);
  const name = `part-${String(part % 100_000).padStart(5, "0")}-${uuid(random)}-c000.zstd.parquet`;
  return {
    path: `year=${year}/month=${month}/${name}`,
    year,
    month,
    size: 80_000 + Math.floor(random() * 40_000),
  };
}

/** The add action's JSON, written by hand (setup speed); the stats string is shaped like buildStats'. */
function addJson(file: LiveFile, now: number, salt: number, random: () => number): string {
  const records = 2_000 + Math.floor(random() * 3_000);
  const day = (d: number) => `${file.year}-${file.month.padStart(2, "0")}-${String(d).padStart(2, "0")}`;
  const stats =
    `{"numRecords":${records},` +
    `"minValues":{"sale_id":${salt * 5_000},"sale_date":"${day(1)}","region":"east","product_id":"P0000","quantity":1,"unit_price":2.50},` +
    `"maxValues":{"sale_id":${salt * 5_000 + records - 1},"sale_date":"${day(28)}","region":"west","product_id":"P0096","quantity":5,"unit_price":102.49},` +
    `"nullCount":{"sale_id":0,"sale_date":0,"region":0,"product_id":${Math.floor(random() * 3)},"quantity":0,"unit_price":0}}`;
  return JSON.stringify({
    path: file.path,
    partitionValues: { year: file.year, month: file.month },
    size: file.size,
    modificationTime: now,
    dataChange: true,
    stats,
  });
}

function removeAction(file: LiveFile, now: number): Record<string, unknown> {
  return {
    path: file.path,
    deletionTimestamp: now,
    dataChange: true,
    extendedFileMetadata: true,
    partitionValues: { year: file.year, month: file.month },
    size: file.size,
  };
}

/** Removes and returns a random element (swap with the last; order of `items` is not kept). */
function takeRandom<T>(items: T[], random: () => number): T {
  const i = Math.floor(random() * items.length);
  const item = items[i] as T;
  items[i] = items[items.length - 1] as T;
  items.pop();
  return item;
}

function uuid(random: () => number): string {
  let hex = "";
  for (let i = 0; i < 4; i++)
    hex += Math.floor(random() * 2 ** 32)
      .toString(16)
      .padStart(8, "0");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/** A small seeded PRNG (mulberry32): the same shape always gives the same log. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
