import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { DeltaContext } from "../../src/engine/index.ts";
import { checkTable, corpusTables, type PlaceTable } from "../../src/lake/conformance.ts";
import { S3Store } from "../../src/storage/index.ts";
import { CORPUS_DIR } from "../helpers/corpus.ts";
import { describeWithS3, emptyBucket } from "../helpers/s3.ts";

// The conformance corpus read from S3: each table uploaded under its own prefix of a bucket.
// Timestamp lookups are not checked here: they need commit files with the corpus's modification
// times, and S3 sets an object's Last-Modified itself (the local run checks them).
describeWithS3("Delta reader conformance on the shared corpus, read from S3", async (bucket) => {
  let engine: DeltaContext;
  before(async () => {
    engine = await DeltaContext.open({ threads: 2 });
  });
  after(() => engine.close());

  const placeOnS3: PlaceTable = async (tableDir) => {
    const prefix = `corpus/${randomUUID()}`;
    const store = new S3Store({ client: bucket.client, bucket: bucket.name, prefix });
    const files = (await readdir(tableDir, { recursive: true, withFileTypes: true })).filter((e) =>
      e.isFile(),
    );
    await Promise.all(
      files.map(async (file) => {
        const path = join(file.parentPath, file.name);
        await store.put(path.slice(tableDir.length + 1), await readFile(path));
      }),
    );
    return { store, cleanup: () => emptyBucket(bucket.client, bucket.name, `${prefix}/`) };
  };

  const tables = await corpusTables(CORPUS_DIR);
  it("finds all 32 corpus tables", () => assert.equal(tables.length, 32));
  for (const table of tables) {
    it(`reads ${table} from S3 exactly as expected at every version`, async () => {
      const failures: string[] = [];
      let checks = 0;
      for await (const result of checkTable(engine, CORPUS_DIR, table, placeOnS3)) {
        checks++;
        if (!result.passed) failures.push(`${result.check}: ${result.detail}`);
      }
      assert.ok(checks > 0, "the table has no checks");
      assert.deepEqual(failures, []);
    });
  }
});
