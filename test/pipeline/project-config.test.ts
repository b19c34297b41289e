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

  it("keeps s3:// zones as given, puts the run log beside an S3 gold zone, and defaults the bucket policy", () => {
    const project = parseProject(
      {
        zones: {
          landing: "s3://acme-landing/",
          bronze: "s3://acme-lake/bronze",
          silver: "lake/silver",
          gold: "s3://acme-gold",
        },
        storage: {
          s3: { region: "eu-central-1" },
          lifecycle: { gold: { glacierAfterDays: 365 }, bronze: { glacierAfterDays: null } },
        },
      },
      "/p/lake.json",
    );
    assert.deepEqual(project.zones, {
      landing: "s3://acme-landing",
      bronze: "s3://acme-lake/bronze",
      silver: "/p/lake/silver",
      gold: "s3://acme-gold",
    });
    assert.equal(project.systemDirectory, "s3://acme-gold/_system");
    assert.deepEqual(project.s3, { region: "eu-central-1" });
    assert.deepEqual(project.buckets, {
      lifecycle: {
        landing: { infrequentAccessAfterDays: 30, glacierAfterDays: 90 },
        bronze: { infrequentAccessAfterDays: 30 },
        silver: {},
        gold: { glacierAfterDays: 365 },
      },
      noncurrentVersionExpirationDays: 30,
      abortIncompleteUploadsAfterDays: 7,
    });
    assert.equal(parseProject({}, "/p/lake.json").systemDirectory, "/p/lake/_system");
  });

  it("names the file and the field of every mistake", () => {
    const cases: Array<[unknown, string]> = [
      [[], "/p/lake.json: must be an object"],
      [
        { zones: { bronze: 3 } },
        "/p/lake.json: zones.bronze: must be a folder path or an s3://bucket/prefix location",
      ],
      [
        { zones: { bronze: "gs://bucket/bronze" } },
        "/p/lake.json: zones.bronze: gs://bucket/bronze: only folders and s3:// locations are supported",
      ],
      [
        { zones: { bronze: "s3://Bad_Bucket" } },
        "/p/lake.json: zones.bronze: Not an S3 location: s3://Bad_Bucket (expected s3://bucket or s3://bucket/prefix)",
      ],
      [
        { storage: { lifecycle: { landing: { infrequentAccessAfterDays: 30, glacierAfterDays: 45 } } } },
        "/p/lake.json: storage.lifecycle.landing: glacierAfterDays must be at least infrequentAccessAfterDays + 30 (S3's minimum stay in Standard-IA)",
      ],
      [
        { storage: { abortIncompleteUploadsAfterDays: 0 } },
        "/p/lake.json: storage.abortIncompleteUploadsAfterDays: must be a whole number of days >= 1",
      ],
      [{ engine: { threads: 0 } }, "/p/lake.json: engine.threads: must be a whole number from 1 to 1024"],
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
