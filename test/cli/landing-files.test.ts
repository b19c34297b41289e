import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { lake, makeTempDir, removeDir } from "../helpers/cli.ts";

// A bad file among good ones in a drop: the run goes on, says which file and why, and the user fixes,
// retries or sets it aside from the command line.
describe("lake files", () => {
  let dir: string;
  let project: string;
  let landing: string;
  const LOCATIONS = "location_id,store_name,city,region,country,store_type\n";
  before(async () => {
    dir = await makeTempDir();
    project = join(dir, "shop");
    assert.equal((await lake("init", project)).code, 0);
    landing = join(project, "lake", "landing", "locations");
    await mkdir(landing, { recursive: true });
    // Dropped straight into the landing zone, as an S3 upload would be: no check at lake ingest.
    await writeFile(join(landing, "locations_1.csv"), `${LOCATIONS}L1,Main,Lyon,South,FR,flagship\n`);
    await writeFile(join(landing, "locations_2.csv"), Buffer.from(`\uFEFF${LOCATIONS}`, "utf16le"));
    await writeFile(join(landing, "locations_3.csv"), "");
  });
  after(() => removeDir(dir));

  it("runs on past files that cannot be read, and names each one with the reason", async () => {
    const run = await lake("run", "--project", project, "--select", "bronze");
    assert.equal(run.code, 0, run.stderr);
    // step, time, rows in, written, quarantined (none for bronze), rejected lines, note
    assert.match(run.stdout, /^bronze\.locations +\d+\.\d s +1 +1 +0 +1 new file, 2 files rejected$/m);
    assert.match(
      run.stdout,
      /^Landing files that need attention \(lake files lists them all\):\n {2}locations\/locations_2\.csv was rejected: it is UTF-16LE, not UTF-8 text; save it as UTF-8\n {2}locations\/locations_3\.csv was rejected: it is empty: no header line$/m,
    );
  });

  it("lake status counts the landing files and names the rejected ones", async () => {
    const status = await lake("status", "--project", project);
    assert.match(
      status.stdout,
      /^Landing files: 1 ingested, 2 rejected\n {2}locations\/locations_2\.csv: rejected: it is UTF-16LE, not UTF-8 text; save it as UTF-8\n {2}locations\/locations_3\.csv: rejected: it is empty: no header line\n {2}\(lake files retry FILE, or lake files set-aside FILE\)$/m,
    );
  });

  it("lake files --json lists every file with its state as one document", async () => {
    const listed = await lake("files", "--project", project, "--json");
    assert.equal(listed.code, 0, listed.stderr);
    const { files } = JSON.parse(listed.stdout) as { files: Array<Record<string, unknown>> };
    assert.deepEqual(
      files.map((f) => [f.file, f.state, f.rows]),
      [
        ["locations/locations_1.csv", "ingested", 1],
        ["locations/locations_2.csv", "rejected", 0],
        ["locations/locations_3.csv", "rejected", 0],
      ],
    );
  });

  it("loads a rejected file that was fixed in place at the next run, and sets aside another", async () => {
    await writeFile(join(landing, "locations_2.csv"), `${LOCATIONS}L2,Dock,Nantes,West,FR,outlet\n`);
    const aside = await lake("files", "set-aside", "locations/locations_3.csv", "--project", project);
    assert.deepEqual(aside, {
      code: 0,
      stdout:
        "locations/locations_3.csv is set aside: moved to _set_aside/locations/locations_3.csv in the landing zone.\n",
      stderr: "",
    });
    const run = await lake("run", "--project", project, "--select", "bronze");
    assert.match(run.stdout, /^bronze\.locations +\d+\.\d s +1 +1 +0 +1 new file$/m);
    const listed = await lake("files", "--project", project);
    assert.match(listed.stdout, /locations\/locations_2\.csv +ingested +\d+ +1 +0/);
    assert.match(listed.stdout, /locations\/locations_3\.csv +set aside +moved to _set_aside/);
  });

  it("retries a loaded file on request and reloads it at the next run", async () => {
    const retry = await lake("files", "retry", "locations/locations_1.csv", "--project", project);
    assert.equal(retry.stdout, "locations/locations_1.csv will be loaded again by the next lake run.\n");
    const run = await lake("run", "--project", project, "--select", "bronze");
    assert.match(run.stdout, /^bronze\.locations +\d+\.\d s +1 +1 +0 +1 new file$/m);
    const count = await lake("query", "SELECT count(*) AS n FROM bronze.locations", "--project", project);
    assert.match(count.stdout, /\b2\b/, "2 rows: one per file, the retried file's row replaced");
  });

  it("names the nearest file for a misspelt one, and the usage for a wrong action, with exit 2", async () => {
    const typo = await lake("files", "retry", "locations/location_1.csv", "--project", project);
    assert.deepEqual(typo, {
      code: 2,
      stdout: "",
      stderr:
        "lake: no landing file locations/location_1.csv; did you mean locations/locations_1.csv? (files are named <source>/<file name>; lake files lists them)\n",
    });
    const wrong = await lake("files", "delete", "x", "--project", project);
    assert.equal(wrong.code, 2);
    assert.equal(
      wrong.stderr,
      "lake: lake files: unknown action delete; use list, retry FILE or set-aside FILE\n",
    );
  });
});
