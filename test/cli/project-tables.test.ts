/**
 * The CLI inside a project: table commands take zone.table (with the nearest name for a typo), the
 * run log is the table _system.runs, `lake query -f`, the run summary with its expectations, --json
 * as one document for every command, exact values (a leading U+FEFF), and mistakes as one line.
 */
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { runCli } from "../../src/cli/run-cli.ts";
import { type CliResult, lake, makeTempDir, removeDir, writeBatches } from "../helpers/cli.ts";

const FIXTURES = fileURLToPath(new URL("../pipeline/fixtures/retail-mini/", import.meta.url));

describe("lake in a project: zone.table names, the run log, the run summary, --json", () => {
  let dir: string;
  let project: string;
  let firstRun: CliResult;
  const inProject = (...argv: string[]) => lake(...argv, "--project", project);
  before(async () => {
    dir = await makeTempDir();
    project = join(dir, "shop");
    await lake("init", project);
    const batch = ["customers.csv", "products.csv", "locations.csv", "sales_transactions_0001.csv"];
    await inProject("ingest", ...batch.map((f) => join(FIXTURES, f)));
    firstRun = await inProject("run");
  });
  after(() => removeDir(dir));

  it("lake run ends with each step's time and rows, and every expectation with its action and failing rows", () => {
    assert.equal(firstRun.code, 0, firstRun.stderr);
    const summary = firstRun.stdout.slice(firstRun.stdout.indexOf("\nRun ") + 1);
    assert.match(summary, /^Run \S+ succeeded in \d+\.\d s\.\n/);
    assert.match(summary, /^step +time +rows in +written +quarantined +rejected +note$/m);
    assert.match(summary, /^bronze\.sales +\d+\.\d s +8 +7 +1 +1 new file$/m);
    assert.match(summary, /^silver\.sales_enriched +\d+\.\d s +7 +2 +4 +incremental, 1 duplicates removed$/m);
    assert.match(summary, /^model +rule +action +failing rows$/m);
    assert.match(summary, /^silver\.sales_enriched +quantity_positive +quarantine +1$/m);
    assert.match(summary, /^silver\.sales_enriched +transaction_id_unique +warn +1$/m);
    assert.match(summary, /^silver\.dim_product +product_id_present +quarantine +0$/m);
  });

  it("lake run --json prints the same as one document: steps with seconds, expectations per model", async () => {
    const result = await inProject("run", "--json");
    assert.equal(result.code, 0, result.stderr);
    const doc = JSON.parse(result.stdout) as {
      runId: string;
      seconds: number;
      bronze: Array<{ source: string; seconds: number }>;
      models: Array<{ table: string; rebuilt: boolean; expectations: unknown[] }>;
    };
    assert.equal(typeof doc.seconds, "number");
    assert.deepEqual(
      doc.bronze.map((b) => [b.source, typeof b.seconds]),
      [
        ["sales", "number"],
        ["customers", "number"],
        ["products", "number"],
        ["locations", "number"],
      ],
    );
    assert.ok(
      doc.models.every((m) => !m.rebuilt && m.expectations.length === 0),
      "nothing new: up to date",
    );
  });

  it("table commands take zone.table of the project given by --project or found from the current folder", async () => {
    const described = JSON.parse((await inProject("describe", "silver.dim_product", "--json")).stdout) as {
      location: string;
      numRows: number;
    };
    assert.deepEqual(described, {
      ...described,
      location: `file://${project}/lake/silver/dim_product`,
      numRows: 2,
    });
    const cwd = process.cwd();
    process.chdir(join(project, "models"));
    try {
      const rows = await lake("read", "silver.dim_product", "--format", "csv", "--limit", "1");
      assert.equal(rows.code, 0, rows.stderr);
      assert.match(rows.stdout, /^product_key,/);
    } finally {
      process.chdir(cwd);
    }
    for (const command of ["history", "optimize", "vacuum --dry-run"]) {
      const [name, ...flags] = command.split(" ");
      const result = await inProject(name as string, "gold.customer_cohorts", ...flags, "--json");
      assert.equal(result.code, 0, `${command}: ${result.stderr}`);
      assert.equal(typeof JSON.parse(result.stdout), "object", command);
    }
  });

  it("an unknown table name exits 2 with the nearest table of the project", async () => {
    for (const argv of [
      ["describe", "silver.dim_prodcut"],
      ["query", "SELECT * FROM silver.dim_prodcut"],
    ]) {
      const result = await inProject(...(argv as [string, string]));
      assert.deepEqual(
        result,
        {
          code: 2,
          stdout: "",
          stderr: `lake: silver.dim_prodcut is not a table of the project in ${project}; did you mean silver.dim_product? ("lake status" lists its tables)\n`,
        },
        argv.join(" "),
      );
    }
  });

  it("a misspelt model in lake run --select exits 2 with the nearest model, and runs nothing", async () => {
    const result = await inProject("run", "--select", "sales_enrichd");
    assert.deepEqual(result, {
      code: 2,
      stdout: "",
      stderr:
        "lake: --select sales_enrichd: no source, model or zone is called sales_enrichd; did you mean sales_enriched?\n",
    });
  });

  it("the run log is the table _system.runs, for query and the table commands", async () => {
    const runs = await inProject(
      "query",
      "SELECT status, count(*) AS runs, bool_and(ended_at >= started_at) AS ordered FROM _system.runs GROUP BY ALL ORDER BY status",
      "--json",
    );
    assert.deepEqual(runs, {
      code: 0,
      // The two runs above, and the one --select refused (the run log records failed runs too).
      stdout:
        '{"ordered":true,"runs":"1","status":"failed"}\n{"ordered":true,"runs":"2","status":"succeeded"}\n',
      stderr: "",
    });
    const described = JSON.parse((await inProject("describe", "_system.runs", "--json")).stdout) as {
      numRows: number;
    };
    assert.equal(described.numRows, 3);
    const landed = await inProject(
      "query",
      "SELECT count(DISTINCT file) AS files FROM _system.landing_files",
      "--json",
    );
    assert.equal(landed.stdout, '{"files":"4"}\n', landed.stderr);
    const unknown = await inProject("query", "SELECT * FROM _system.run");
    assert.equal(unknown.code, 2);
    assert.match(
      unknown.stderr,
      /^lake: _system\.run is not a table of the project in .*; did you mean _system\.runs\?/,
    );
  });

  it("lake query -f FILE runs the SQL in the file; a missing file is one line, exit 2", async () => {
    const file = join(dir, "count.sql");
    await writeFile(file, "-- products\nSELECT count(*) AS n FROM silver.dim_product;\n");
    assert.deepEqual(await inProject("query", "-f", file, "--json", "--limit", "5"), {
      code: 0,
      stdout: '{"n":"2"}\n',
      stderr: "",
    });
    const missing = await inProject("query", "-f", join(dir, "nope.sql"));
    assert.deepEqual(missing, {
      code: 2,
      stdout: "",
      stderr: `lake: -f ${join(dir, "nope.sql")}: no such file\n`,
    });
    const both = await inProject("query", "SELECT 1", "-f", file);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /^lake: Give the SQL as an argument or with -f FILE, not both\./);
  });

  it("--json prints one parseable JSON document for every command that has it", async () => {
    const other = join(dir, "json-init");
    const drop = join(dir, "locations.csv");
    const drop2 = join(dir, "locations_2.csv");
    await writeFile(drop, "location_id,store_name,city,region,country,store_type\nL9,A,B,C,D,E\n");
    await writeFile(drop2, "location_id,store_name,city,region,country,store_type\nL8,A,B,C,D,E\n");
    const data = join(dir, "json-data");
    const commands: string[][] = [
      ["init", other, "--json"],
      ["ingest", drop, "--project", other, "--json"],
      ["run", "--project", other, "--json"],
      ["ingest", drop2, "--project", other, "--json"],
      ["run", "--project", other, "--json"],
      ["status", "--project", other, "--json"],
      ["files", "--project", other, "--json"],
      [
        "generate",
        "--rows",
        "200",
        "--customers",
        "20",
        "--products",
        "10",
        "--locations",
        "5",
        "--files",
        "1",
        "--out",
        data,
        "--json",
      ],
      ["storage", "status", "--project", other, "--json"],
      ["describe", "bronze.locations", "--project", other, "--json"],
      ["history", "bronze.locations", "--project", other, "--json"],
      ["optimize", "bronze.locations", "--project", other, "--json"],
      ["vacuum", "bronze.locations", "--dry-run", "--project", other, "--json"],
      ["restore", "bronze.locations", "--version", "0", "--project", other, "--json"],
    ];
    for (const argv of commands) {
      const result = await lake(...argv);
      assert.equal(result.code, 0, `${argv.join(" ")}: ${result.stderr}`);
      const doc: unknown = JSON.parse(result.stdout);
      assert.ok(doc !== null && typeof doc === "object", argv[0]);
    }
    const status = JSON.parse((await lake("status", "--project", other, "--json")).stdout) as Record<
      string,
      unknown
    >;
    assert.deepEqual(Object.keys(status), ["project", "lastRun", "running", "landingFiles", "tables"]);
    assert.deepEqual(Object.keys(status.lastRun as object), [
      "runId",
      "status",
      "startedAt",
      "endedAt",
      "seconds",
      "error",
    ]);
  });
});

describe("lake read and lake query keep values exact", () => {
  let dir: string;
  before(async () => {
    dir = await makeTempDir();
    await lake("init", join(dir, "p"));
    await writeBatches(join(dir, "bom"), [{ sql: "SELECT chr(65279) || 'x' AS s, 'y' || chr(65279) AS t" }]);
  });
  after(() => removeDir(dir));

  it("a value starting with U+FEFF (a byte order mark) keeps it in read and query, in every format", async () => {
    assert.equal((await lake("read", join(dir, "bom"))).stdout, '{"s":"\uFEFFx","t":"y\uFEFF"}\n');
    assert.equal((await lake("read", join(dir, "bom"), "--format", "csv")).stdout, "s,t\n\uFEFFx,y\uFEFF\n");
    const query = await lake("query", "SELECT chr(65279) || 'x' AS s", "--project", join(dir, "p"), "--json");
    assert.equal(query.stdout, '{"s":"\uFEFFx"}\n');
  });
});

describe("mistakes are one line, bugs a stack trace and a request to report", () => {
  it("lake ingest of a missing file: one line naming it, exit 2, no stack trace", async () => {
    const dir = await makeTempDir();
    try {
      await lake("init", dir);
      const missing = join(dir, "sales_transactions_missing.csv");
      const result = await lake("ingest", missing, "--project", dir);
      assert.deepEqual(result, { code: 2, stdout: "", stderr: `lake: ${missing}: no such file or folder\n` });
    } finally {
      await removeDir(dir);
    }
  });

  it("a misspelt flag exits 2 with the nearest flag of the command", async () => {
    const result = await lake("read", "some/table", "--fromat", "csv");
    assert.equal(result.code, 2);
    assert.ok(
      result.stderr.startsWith("lake: Unknown option '--fromat'. Did you mean --format?\n\nUsage: lake read"),
    );
  });

  it("a bad flag value exits 2 naming the flag and the value", async () => {
    assert.deepEqual(await lake("query", "SELECT 1", "--format", "xml"), {
      code: 2,
      stdout: "",
      stderr: 'lake: --format must be one of jsonl, csv, table, got "xml"\n',
    });
  });

  it("a table command outside any project, given zone.table, says how to create one", async () => {
    const dir = await makeTempDir();
    try {
      const result = await lake("describe", "silver.x", "--project", dir);
      assert.equal(result.code, 2);
      assert.match(
        result.stderr,
        /no lake\.json here or in a parent folder; run "lake init" to create a project\n$/,
      );
    } finally {
      await removeDir(dir);
    }
  });

  it("an error no layer turned into a message prints its stack and asks for a report, exit 70", async () => {
    let stderr = "";
    const code = await runCli(["--version"], {
      stdout: () => {
        throw new TypeError("boom");
      },
      stderr: (text) => {
        stderr += text;
      },
      drained: async () => {},
    });
    assert.equal(code, 70);
    assert.match(stderr, /^TypeError: boom\n {4}at /);
    assert.match(
      stderr,
      /\n\nlake: this is a bug in lake 0\.1\.0, not a mistake of yours\. Please report it with the command you ran and the output above\.\n$/,
    );
  });
});
