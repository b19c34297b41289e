import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { loadProject, parseProject, templateConfig, writeProjectTemplate } from "../../src/pipeline/index.ts";
import { lake } from "../helpers/cli.ts";

// Every mistake in lake.json is refused when the project is loaded, with a message naming the setting.
const FILE = "/p/lake.json";
const MAIN = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));

/** The message parseProject refuses `config` with. */
function refusal(config: unknown): string {
  try {
    parseProject(config, FILE);
  } catch (error) {
    return (error as Error).message;
  }
  assert.fail(`accepted: ${JSON.stringify(config)}`);
}

/** The template's lake.json with `models` added to its own. */
async function templateWith(models: Record<string, unknown>): Promise<Record<string, unknown>> {
  const config = await templateConfig();
  return { ...config, models: { ...(config.models as object), ...models } };
}

const source = { files: "a*.csv", columns: ["a"] };

describe("lake.json: unknown and misspelt settings are refused with a suggestion", () => {
  const cases: Array<[string, unknown, string]> = [
    [
      'a top-level "expectation"',
      { expectation: { quantity_positive: { expect: "quantity > 0" } } },
      "expectation is not a setting; did you mean models.<model>.expectations?",
    ],
    [
      'a top-level "expectations" (they are declared per model)',
      { expectations: {} },
      "expectations is not a setting; did you mean models.<model>.expectations?",
    ],
    [
      "engine.memorylimit",
      { engine: { memorylimit: "2GB" } },
      "engine.memorylimit is not a setting; did you mean engine.memoryLimit?",
    ],
    [
      "sources.sales.delimiter",
      { sources: { sales: { ...source, delimiter: ";" } } },
      "sources.sales.delimiter is not a setting (sources.sales takes: files, columns)",
    ],
    [
      "a model's partition_by",
      { models: { m: { zone: "gold", partition_by: ["year"] } } },
      "models.m.partition_by is not a setting; did you mean models.m.partitionBy?",
    ],
    [
      "zones.silverr",
      { zones: { silverr: "lake/silver" } },
      "zones.silverr is not a setting; did you mean zones.silver?",
    ],
    [
      "an expectation's notNul",
      { models: { m: { zone: "gold", expectations: { r: { notNul: "a" } } } } },
      "models.m.expectations.r.notNul is not a setting; did you mean models.m.expectations.r.notNull?",
    ],
    [
      "storage.s3.secretAccessKey",
      { storage: { s3: { secretAccessKey: "x" } } },
      "storage.s3.secretAccessKey is not a setting (credentials never go in lake.json: use the AWS environment, a profile or an IAM role)",
    ],
  ];
  for (const [name, config, message] of cases) {
    it(name, () => assert.equal(refusal(config), `${FILE}: ${message}`));
  }

  it("an existsIn rule naming silver.dim_custmer", async () => {
    const config = await templateWith({
      sales_copy: {
        zone: "gold",
        expectations: {
          customer_exists: { existsIn: { column: "customer_id", model: "silver.dim_custmer" } },
        },
      },
    });
    assert.equal(
      refusal(config),
      `${FILE}: models.sales_copy.expectations.customer_exists.existsIn.model: silver.dim_custmer is not a table of this project; did you mean silver.dim_customer?`,
    );
  });

  it("an existsIn rule naming a model nothing like any table lists the zone's tables", () => {
    const config = {
      models: {
        dim: { zone: "silver", kind: "dimension", naturalKey: "id", surrogateKey: "key" },
        facts: {
          zone: "gold",
          expectations: { known: { existsIn: { column: "id", model: "silver.members" } } },
        },
      },
    };
    assert.equal(
      refusal(config),
      `${FILE}: models.facts.expectations.known.existsIn.model: silver.members is not a table of this project (silver has: dim, dim_keys)`,
    );
  });
});

describe("lake.json: zones must not overlap", () => {
  const cases: Array<[string, unknown, string]> = [
    [
      "landing and bronze the same folder",
      { zones: { landing: "lake/data", bronze: "lake/data/" } },
      "zones.bronze: /p/lake/data is also zones.landing: zones must not overlap",
    ],
    [
      "silver inside bronze",
      { zones: { silver: "lake/bronze/silver" } },
      "zones.silver: /p/lake/bronze/silver is inside zones.bronze (/p/lake/bronze): zones must not overlap",
    ],
    [
      "bronze holding gold, given as ../ paths",
      { zones: { bronze: "data", gold: "data/x/../gold" } },
      "zones.gold: /p/data/gold is inside zones.bronze (/p/data): zones must not overlap",
    ],
    [
      "s3 prefixes: silver under bronze's prefix",
      { zones: { bronze: "s3://acme-lake/lake", silver: "s3://acme-lake/lake/silver" } },
      "zones.silver: s3://acme-lake/lake/silver is inside zones.bronze (s3://acme-lake/lake): zones must not overlap",
    ],
    [
      "s3 bucket root as landing and a prefix of that bucket as bronze",
      { zones: { landing: "s3://acme-lake/", bronze: "s3://acme-lake/bronze" } },
      "zones.bronze: s3://acme-lake/bronze is inside zones.landing (s3://acme-lake): zones must not overlap",
    ],
    [
      "engine.tempDirectory holding every zone",
      { engine: { tempDirectory: "lake" } },
      "engine.tempDirectory: /p/lake holds zones.landing (/p/lake/landing): engine.tempDirectory must be apart from the zones",
    ],
    [
      "engine.tempDirectory inside bronze",
      { engine: { tempDirectory: "lake/bronze/tmp" } },
      "engine.tempDirectory: /p/lake/bronze/tmp is inside zones.bronze (/p/lake/bronze): engine.tempDirectory must be apart from the zones",
    ],
    [
      "systemDirectory the same folder as gold",
      { systemDirectory: "lake/gold" },
      "systemDirectory: /p/lake/gold is also zones.gold: systemDirectory must be apart from the zones",
    ],
    [
      "systemDirectory inside gold in a folder a table could take",
      { systemDirectory: "lake/gold/runs" },
      "systemDirectory: /p/lake/gold/runs is inside zones.gold (/p/lake/gold), where a table could take its name: use a folder starting with _ (like /p/lake/gold/_system) or one outside the zones",
    ],
  ];
  for (const [name, config, message] of cases) {
    it(name, () => assert.equal(refusal(config), `${FILE}: ${message}`));
  }

  it("prefixes that only share a beginning (lake, lakehouse), and a system folder _runs inside gold, are apart", () => {
    const project = parseProject(
      {
        zones: { bronze: "s3://acme-lake/lake", silver: "s3://acme-lake/lakehouse", gold: "lake/gold" },
        systemDirectory: "lake/gold/_runs",
      },
      FILE,
    );
    assert.deepEqual(
      [project.zones.bronze, project.zones.silver, project.systemDirectory],
      ["s3://acme-lake/lake", "s3://acme-lake/lakehouse", "/p/lake/gold/_runs"],
    );
  });
});

describe("lake.json: reserved table names", () => {
  const cases: Array<[string, unknown, string]> = [
    [
      "a source named sales_rejects beside source sales",
      { sources: { sales: source, sales_rejects: source } },
      "sources.sales_rejects: bronze.sales_rejects is the rejects table of sources.sales; give sources.sales_rejects another name",
    ],
    [
      "a source named sales_rejects declared before source sales",
      { sources: { sales_rejects: source, sales: source } },
      "sources.sales_rejects: bronze.sales_rejects is the rejects table of sources.sales; give sources.sales_rejects another name",
    ],
    [
      "a source named _system",
      { sources: { _system: source } },
      "sources._system: names starting with _ are reserved for the lake's own tables (like _system)",
    ],
    [
      "a model named _runs",
      { models: { _runs: { zone: "gold" } } },
      "models._runs: names starting with _ are reserved for the lake's own tables (like _system)",
    ],
    [
      "a model named orders_quarantine",
      {
        models: {
          orders: { zone: "silver", expectations: { id: { notNull: "id", action: "quarantine" } } },
          orders_quarantine: { zone: "silver" },
        },
      },
      "models.orders_quarantine: names ending in _keys, _quarantine or _rejects belong to the tables a model keeps beside it",
    ],
  ];
  for (const [name, config, message] of cases) {
    it(name, () => assert.equal(refusal(config), `${FILE}: ${message}`));
  }

  it("a source and a silver model may share a name: they are different zones", () => {
    const project = parseProject({ sources: { sales: source }, models: { sales: { zone: "silver" } } }, FILE);
    assert.deepEqual(
      [project.sources[0]?.name, project.models[0]?.zone, project.models[0]?.name],
      ["sales", "silver", "sales"],
    );
  });
});

describe("lake.json: engine limits and thread counts", () => {
  const cases: Array<[string, unknown, string]> = [
    [
      'memoryLimit "0GB"',
      { engine: { memoryLimit: "0GB" } },
      'engine.memoryLimit: 0GB is too little: the engine needs at least 128MB (e.g. "2GB")',
    ],
    [
      'memoryLimit "100MB"',
      { engine: { memoryLimit: "100MB" } },
      'engine.memoryLimit: 100MB is too little: the engine needs at least 128MB (e.g. "2GB")',
    ],
    [
      'memoryLimit "2GBs"',
      { engine: { memoryLimit: "2GBs" } },
      'engine.memoryLimit: must be a size like "2GB" or "512MB"',
    ],
    [
      'memoryLimit "80%"',
      { engine: { memoryLimit: "80%" } },
      'engine.memoryLimit: must be a size like "2GB" or "512MB"',
    ],
    [
      "memoryLimit 2048 (a number)",
      { engine: { memoryLimit: 2048 } },
      'engine.memoryLimit: must be a size like "2GB" or "512MB"',
    ],
    ["threads 0", { engine: { threads: 0 } }, "engine.threads: must be a whole number from 1 to 1024"],
    ["threads 1.5", { engine: { threads: 1.5 } }, "engine.threads: must be a whole number from 1 to 1024"],
    ["threads 5000", { engine: { threads: 5000 } }, "engine.threads: must be a whole number from 1 to 1024"],
    [
      'threads "4" (a string)',
      { engine: { threads: "4" } },
      "engine.threads: must be a whole number from 1 to 1024",
    ],
    [
      "tempDirectory s3://acme-lake/tmp",
      { engine: { tempDirectory: "s3://acme-lake/tmp" } },
      "engine.tempDirectory: s3://acme-lake/tmp: must be a local folder (the engine spills and stages files there)",
    ],
    ["name 3", { name: 3 }, "name: must be a non-empty string"],
  ];
  for (const [name, config, message] of cases) {
    it(name, () => assert.equal(refusal(config), `${FILE}: ${message}`));
  }

  it('memoryLimit "128MB", "0.5GiB" and "2 gb" and threads 1024 are accepted', () => {
    for (const memoryLimit of ["128MB", "0.5GiB", "2 gb"]) {
      assert.equal(
        parseProject({ engine: { memoryLimit, threads: 1024 } }, FILE).engine.memoryLimit,
        memoryLimit,
      );
    }
  });
});

describe("lake.json on disk: keys given twice, folders that are files", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "lake-config-files-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  /** A project folder `name` with `config` as lake.json and `files` (relative paths) as files. */
  const projectWith = async (name: string, config: unknown, files: readonly string[] = []) => {
    const root = join(dir, name);
    for (const file of files) {
      await mkdir(join(root, file, ".."), { recursive: true });
      await writeFile(join(root, file), "not a folder\n");
    }
    await mkdir(root, { recursive: true });
    await writeFile(join(root, "lake.json"), JSON.stringify(config));
    return root;
  };

  it("engine.tempDirectory that is a file", async () => {
    const root = await projectWith("temp-file", {}, ["lake/.tmp"]);
    await assert.rejects(loadProject(root), {
      message: `${join(root, "lake.json")}: engine.tempDirectory: ${join(root, "lake/.tmp")} is a file, not a folder`,
    });
  });

  it("zones.bronze under a file", async () => {
    const root = await projectWith("zone-under-file", { zones: { bronze: "data.csv/bronze" } }, ["data.csv"]);
    await assert.rejects(loadProject(root), {
      message: `${join(root, "lake.json")}: zones.bronze: ${join(root, "data.csv/bronze")}: ${join(root, "data.csv")} is a file, not a folder`,
    });
  });

  it("systemDirectory that is a file", async () => {
    const root = await projectWith("system-file", {}, ["lake/_system"]);
    await assert.rejects(loadProject(root), {
      message: `${join(root, "lake.json")}: systemDirectory: ${join(root, "lake/_system")} is a file, not a folder`,
    });
  });

  it("a model declared twice", async () => {
    const root = join(dir, "twice");
    await mkdir(root);
    const text = [
      "{",
      '  "models": {',
      '    "totals": { "zone": "gold", "query": "SELECT 1 AS one" },',
      '    "other": { "zone": "gold", "query": "SELECT 2 AS two" },',
      '    "totals": { "zone": "gold", "query": "SELECT 3 AS three" }',
      "  }",
      "}",
    ].join("\n");
    await writeFile(join(root, "lake.json"), text);
    await assert.rejects(loadProject(root), {
      message: `${join(root, "lake.json")}:5: models.totals: given twice (also on line 3); JSON keeps only the last, so keep one`,
    });
  });

  it('two engine objects (after "zone" in two models and a key holding a quote, which are no duplicates)', async () => {
    const root = join(dir, "engine-twice");
    await mkdir(root);
    const text =
      '{"models": {"a\\"b": {"zone": "gold", "query": "SELECT \\"engine\\""}, "c": {"zone": "gold"}},\n' +
      '"engine": {"threads": 2},\n"engine": {"threads": 4}}';
    await writeFile(join(root, "lake.json"), text);
    await assert.rejects(loadProject(root), {
      message: `${join(root, "lake.json")}:3: engine: given twice (also on line 2); JSON keeps only the last, so keep one`,
    });
  });

  it("folders that do not exist yet are fine: a run creates them", async () => {
    const root = await projectWith("missing-folders", { zones: { landing: "drops/in" } });
    assert.equal((await loadProject(root)).zones.landing, join(root, "drops/in"));
  });
});

describe("models' SQL may read only the project's tables", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "lake-config-sql-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("bronze.salez in a model's SQL file: lake run exits 2 naming the file, the line and bronze.sales", async () => {
    const root = join(dir, "salez-file");
    await mkdir(root);
    await writeProjectTemplate(root, "salez", (config) => ({
      ...config,
      models: {
        ...(config.models as object),
        sales_count: { zone: "gold", sqlFile: "models/gold/sales_count.sql" },
      },
    }));
    await writeFile(
      join(root, "models/gold/sales_count.sql"),
      "-- how many sales\nSELECT count(*) AS sales\nFROM bronze.salez\n",
    );
    const result = await lake("run", "--project", root);
    assert.deepEqual(result, {
      code: 2,
      stdout: "",
      stderr: `lake: ${join(root, "models/gold/sales_count.sql")}:3: gold.sales_count reads bronze.salez, not a table of this project; did you mean bronze.sales?\n`,
    });
  });

  it("silver.sales_enrichd in a model's inline query", async () => {
    const root = join(dir, "inline");
    await mkdir(root);
    await writeProjectTemplate(root, "inline", (config) => ({
      ...config,
      models: {
        ...(config.models as object),
        totals: { zone: "gold", query: "SELECT sum(quantity) FROM silver.sales_enrichd" },
      },
    }));
    const result = await lake("run", "--project", root);
    assert.equal(result.code, 2);
    assert.equal(
      result.stderr,
      `lake: ${join(root, "lake.json")}: models.totals.query: reads silver.sales_enrichd, not a table of this project; did you mean silver.sales_enriched?\n`,
    );
  });
});

describe("config mistakes through the lake command: exit 2, one line, no stack trace", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "lake-config-cli-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  /** Runs `lake status` in a real process on a project whose lake.json is `config`. */
  const status = async (name: string, config: unknown) => {
    const root = join(dir, name);
    await mkdir(root);
    await writeFile(join(root, "lake.json"), JSON.stringify(config));
    const child = spawnSync(process.execPath, ["--import", "tsx", MAIN, "status", "--project", root], {
      encoding: "utf8",
    });
    return { root, code: child.status, stdout: child.stdout, stderr: child.stderr };
  };

  it("lake status with engine.memorylimit", async () => {
    const { root, ...result } = await status("memorylimit", { engine: { memorylimit: "2GB" } });
    assert.deepEqual(result, {
      code: 2,
      stdout: "",
      stderr: `lake: ${join(root, "lake.json")}: engine.memorylimit is not a setting; did you mean engine.memoryLimit?\n`,
    });
  });

  it("lake status with landing and bronze the same folder", async () => {
    const { root, ...result } = await status("same-zones", { zones: { landing: "data", bronze: "data" } });
    assert.deepEqual(result, {
      code: 2,
      stdout: "",
      stderr: `lake: ${join(root, "lake.json")}: zones.bronze: ${join(root, "data")} is also zones.landing: zones must not overlap\n`,
    });
  });

  it('lake status with memoryLimit "0GB"', async () => {
    const { root, ...result } = await status("no-memory", { engine: { memoryLimit: "0GB" } });
    assert.deepEqual(result, {
      code: 2,
      stdout: "",
      stderr: `lake: ${join(root, "lake.json")}: engine.memoryLimit: 0GB is too little: the engine needs at least 128MB (e.g. "2GB")\n`,
    });
  });
});
