import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { lake, makeTempDir, removeDir } from "../helpers/cli.ts";

// The project commands end to end on a tiny hand-written drop: init, ingest, run, status.
describe("lake init / ingest / run / status", () => {
  let dir: string;
  let project: string;
  before(async () => {
    dir = await makeTempDir();
    project = join(dir, "shop");
    await mkdir(join(dir, "drops"));
    await writeFile(
      join(dir, "drops", "locations.csv"),
      'location_id,store_name,city,region,country,store_type\nL0001,Main St,Lyon,South,FR,flagship\nL0002,"Dock, 4",Nantes\n',
    );
  });
  after(() => removeDir(dir));

  it("init creates lake.json and the zones, and refuses to overwrite a project", async () => {
    const first = await lake("init", project);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(
      first.stdout,
      `Created ${project}/lake.json with sources sales, customers, products, locations and 8 models (models/, macros/, charts/).\nNext: lake ingest FILE... (or lake generate), then lake run.\n`,
    );
    const again = await lake("init", project);
    assert.deepEqual(again, {
      code: 2,
      stdout: "",
      stderr: `lake: ${project}/lake.json already exists; lake init never overwrites a project\n`,
    });
  });

  it("ingest lands a file under its source, once", async () => {
    const file = join(dir, "drops", "locations.csv");
    const first = await lake("ingest", file, "--project", project);
    assert.equal(first.stdout, `landed ${file} → landing/locations/locations.csv\n`);
    const again = await lake("ingest", file, "--project", project);
    assert.equal(again.stdout, `already landed ${file} → landing/locations/locations.csv\n`);
    const unknown = join(dir, "drops", "orders.csv");
    await writeFile(unknown, "x\n");
    const refused = await lake("ingest", unknown, "--project", project);
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      /^lake: orders\.csv matches no source of the project; sources and their file patterns: sales \(sales_transactions\*\.csv\)/,
    );
  });

  it("run loads bronze with rejects, a second run loads nothing, and status lists the tables", async () => {
    const run = await lake("run", "--project", project);
    assert.equal(run.code, 0, run.stderr);
    // step, time, rows in, written, quarantined (none for bronze), rejected, note
    assert.match(run.stdout, /^bronze\.locations +\d+\.\d s +2 +1 +1 +1 new file$/m);
    assert.match(run.stdout, /^bronze\.sales +\d+\.\d s +0 +0 +0 +0 new files$/m);
    const again = await lake("run", "--project", project);
    assert.match(again.stdout, /^bronze\.locations +\d+\.\d s +0 +0 +0 +0 new files$/m);
    assert.match(again.stdout, /^silver\.dim_location +\d+\.\d s +up to date$/m);
    const status = await lake("status", "--project", project, "--json");
    const { tables } = JSON.parse(status.stdout) as { tables: Array<Record<string, unknown>> };
    assert.deepEqual(
      tables.map((t) => [t.zone, t.table, t.version, t.rows]),
      [
        ["bronze", "locations", 0, 1],
        ["bronze", "locations_rejects", 0, 1],
        ["silver", "dim_location", 0, 1],
        ["silver", "dim_location_keys", 0, 1],
        ["silver", "dim_location_quarantine", 0, 0],
      ],
    );
  });

  it("refuses to land a file whose header is not the source's, naming the file and the columns", async () => {
    const file = join(dir, "drops", "products.csv");
    await writeFile(file, "product_id,name\nP1,x\n");
    const refused = await lake("ingest", file, "--project", project);
    assert.equal(refused.code, 2);
    assert.equal(
      refused.stderr,
      `lake: ${file} cannot be landed as a products file: its header does not match the source's columns: missing product_name, category, subcategory, brand, list_price, unit_cost; unexpected name. Expected: product_id, product_name, category, subcategory, brand, list_price, unit_cost\n`,
    );
  });

  it("records every run in the run log, a failed one with its error, and status shows the last", async () => {
    const failed = await lake("run", "--project", project, "--select", "dim_custmer");
    assert.equal(failed.code, 2);
    assert.match(
      failed.stderr,
      /^lake: --select dim_custmer: no source, model or zone is called dim_custmer; did you mean dim_customer\?/,
    );
    const status = await lake("status", "--project", project);
    assert.match(
      status.stdout,
      /^Last run \S+: failed at \S+ after \d+\.\d s: --select dim_custmer: no source, model or zone/m,
    );
    const runs = await lake("read", join(project, "lake", "_system", "runs"), "--format", "jsonl");
    const records = runs.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, string>);
    assert.deepEqual(records.map((r) => r.status).sort(), ["failed", "succeeded", "succeeded"]);
    const first = records.find(
      (r) => r.status === "succeeded" && JSON.parse(r.counts ?? "{}").bronze.locations.rows === 1,
    );
    assert.ok(first, "the first run recorded its bronze counts");
  });

  it("says how to create a project when there is none", async () => {
    const result = await lake("status", "--project", join(dir, "drops"));
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /no lake\.json here or in a parent folder; run "lake init" to create a project/,
    );
  });
});
