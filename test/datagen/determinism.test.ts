import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { generateInto, makeTempDir, removeDir } from "./dataset-fixture.ts";

// 150,000 rows make two chunks, one per worker of two, the second partial.
const OPTIONS = { rows: 150_000, seed: 7, files: 3 };

describe("determinism", () => {
  let parent: string;
  before(async () => {
    parent = await makeTempDir();
  });
  after(() => removeDir(parent));

  it("one worker, two workers, no worker and a second run write byte-identical files", async () => {
    const one = await generateInto(parent, "one", { ...OPTIONS, workers: 1 });
    const two = await generateInto(parent, "two", { ...OPTIONS, workers: 2 });
    const none = await generateInto(parent, "none", { ...OPTIONS, workers: 0 });
    const again = await generateInto(parent, "again", { ...OPTIONS, workers: 2 });
    const names = (await readdir(one.dir)).sort();
    assert.deepEqual(names, [
      "customers.csv",
      "locations.csv",
      "manifest.json",
      "products.csv",
      "sales_transactions_0001.csv",
      "sales_transactions_0002.csv",
      "sales_transactions_0003.csv",
    ]);
    for (const other of [two, none, again]) {
      assert.deepEqual((await readdir(other.dir)).sort(), names);
      for (const name of names) {
        const expected = await readFile(join(one.dir, name));
        assert.ok(expected.equals(await readFile(join(other.dir, name))), `${other.dir}/${name} differs`);
      }
    }
  });

  it("another seed gives other sales, customers and products", async () => {
    const seven = await generateInto(parent, "seed-7", { rows: 1_000, seed: 7, workers: 0 });
    const eight = await generateInto(parent, "seed-8", { rows: 1_000, seed: 8, workers: 0 });
    for (const name of ["sales_transactions.csv", "customers.csv", "products.csv", "locations.csv"]) {
      const a = await readFile(join(seven.dir, name));
      assert.ok(!a.equals(await readFile(join(eight.dir, name))), `${name} is the same for seeds 7 and 8`);
    }
    assert.equal(eight.manifest.seed, 8);
  });
});
