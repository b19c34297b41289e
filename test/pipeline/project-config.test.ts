import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { loadProject, matchesPattern, parseProject } from "../../src/pipeline/index.ts";

describe("project config", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "lake-config-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("resolves zones and the temp folder against the project folder, with defaults", () => {
    const project = parseProject({ name: "shop", zones: { gold: "/data/gold" } }, "/p/lake.json");
    assert.deepEqual(project.zones, {
      landing: "/p/lake/landing",
      bronze: "/p/lake/bronze",
      silver: "/p/lake/silver",
      gold: "/data/gold",
    });
    assert.deepEqual(project.engine, { tempDirectory: "/p/lake/.tmp" });
    assert.equal(project.name, "shop");
  });

  it("names the file and the field of every mistake", () => {
    const cases: Array<[unknown, string]> = [
      [[], "/p/lake.json: must be an object"],
      [{ zones: { bronze: 3 } }, "/p/lake.json: zones.bronze: must be a folder path"],
      [{ engine: { threads: 0 } }, "/p/lake.json: engine.threads: must be a whole number > 0"],
      [
        { engine: { memoryLimit: "lots" } },
        '/p/lake.json: engine.memoryLimit: must be a size like "2GB" or "512MB"',
      ],
      [
        { sources: { Sales: { files: "a.csv", columns: ["a"] } } },
        "/p/lake.json: sources.Sales: a source name is lower-case letters, digits and _ (it names a table)",
      ],
      [
        { sources: { s: { columns: ["a"] } } },
        "/p/lake.json: sources.s.files: must be a file-name pattern like sales*.csv",
      ],
      [
        { sources: { s: { files: "a.csv", columns: [] } } },
        "/p/lake.json: sources.s.columns: must be the non-empty list of the files' header columns",
      ],
      [
        { sources: { s: { files: "a.csv", columns: ["a", "A"] } } },
        "/p/lake.json: sources.s.columns: A appears twice",
      ],
      [
        { sources: { s: { files: "a.csv", columns: ["_x"] } } },
        "/p/lake.json: sources.s.columns: _x: names starting with _ are reserved for lineage columns",
      ],
    ];
    for (const [config, message] of cases) {
      assert.throws(() => parseProject(config, "/p/lake.json"), { name: "ProjectConfigError", message });
    }
  });

  it("finds lake.json in a parent folder, and says how to create one when there is none", async () => {
    await writeFile(join(dir, "lake.json"), JSON.stringify({ name: "found" }));
    await mkdir(join(dir, "sub", "deeper"), { recursive: true });
    assert.equal((await loadProject(join(dir, "sub", "deeper"))).name, "found");
    const empty = await mkdtemp(join(tmpdir(), "lake-noconfig-"));
    await assert.rejects(loadProject(empty), {
      message: `${join(empty, "lake.json")}: no lake.json here or in a parent folder; run "lake init" to create a project`,
    });
    await rm(empty, { recursive: true });
    await writeFile(join(dir, "lake.json"), "{ nope");
    await assert.rejects(loadProject(dir), {
      name: "ProjectConfigError",
      message: /lake\.json: not valid JSON/,
    });
  });

  it("matches file-name patterns with * and ? only", () => {
    assert.ok(matchesPattern("sales_transactions_0001.csv", "sales_transactions*.csv"));
    assert.ok(matchesPattern("a1.csv", "a?.csv"));
    assert.ok(!matchesPattern("sales.csv.bak", "sales*.csv"));
    assert.ok(!matchesPattern("salesXcsv", "sales.csv"));
  });
});
