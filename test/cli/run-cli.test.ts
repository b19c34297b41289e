import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { lake } from "../helpers/cli.ts";

// The dispatcher: help texts, and usage mistakes turned into exit code 2 with a message on stderr.
const COMMANDS = ["demo", "storage", "describe", "history", "read", "vacuum", "optimize", "restore", "serve"];

describe("lake (dispatcher)", () => {
  it("lake --help lists every command with its summary and exits 0", async () => {
    const result = await lake("--help");
    assert.equal(result.code, 0);
    assert.equal(result.stderr, "");
    assert.equal(
      result.stdout,
      [
        "Usage: lake <command> [options]",
        "",
        "Commands:",
        "  init       create a project from the retail template (sources, models, expectations)",
        "  ingest     put files into the landing zone (write-once)",
        "  files      landing files and their state; retry or set aside a rejected or changed file",
        "  run        run the pipeline: landing → bronze → silver → gold, incrementally",
        "  status     tables, versions, row counts and freshness of a project, and its last run",
        "  storage    create the zones' S3 buckets and keep their settings (versioning, lifecycle, ...)",
        "  query      SQL over the project's tables, with time travel (table@v3, table@2024-05-01T12:00:00Z)",
        "  chart      draw a chart of the marts (or of any query) as SVG or PNG",
        "  report     write a self-contained HTML report: key figures, charts, last run, data quality, lineage",
        "  generate   write the synthetic retail dataset (CSV with planted dirt) and its manifest",
        "  demo       generate retail data and run the whole pipeline on it",
        "  describe   schema, protocol, partitioning, files, size and rows of a table",
        "  history    the commit log of a table, newest first",
        "  read       print the rows of a table, optionally at an older version or timestamp",
        "  vacuum     delete files that no retained version of a table needs",
        "  optimize   compact small data files of a table",
        "  restore    make an old version of a table the current one",
        "  serve      the dashboard: tables, time travel, charts, quality, lineage, SQL (read-only)",
        "",
        'Run "lake <command> --help" or "lake help <command>" for the options of a command, "lake --version" for the version.',
        "",
      ].join("\n"),
    );
  });

  it("lake with no arguments, -h and help print the same overview as --help", async () => {
    const overview = (await lake("--help")).stdout;
    for (const argv of [[], ["-h"], ["help"]]) {
      const result = await lake(...argv);
      assert.equal(result.code, 0, `lake ${argv.join(" ")}`);
      assert.equal(result.stdout, overview, `lake ${argv.join(" ")}`);
    }
  });

  for (const name of COMMANDS) {
    it(`lake ${name} --help prints the usage of ${name} and exits 0`, async () => {
      const result = await lake(name, "--help");
      assert.equal(result.code, 0);
      assert.equal(result.stderr, "");
      assert.ok(result.stdout.startsWith(`Usage: lake ${name}`), result.stdout);
      assert.ok(result.stdout.endsWith("\n"));
    });
  }

  it("lake read --help prints the full usage of read, options included", async () => {
    const result = await lake("read", "--help");
    assert.equal(result.code, 0);
    assert.ok(
      result.stdout.startsWith(
        "Usage: lake read TABLE [--version N | --timestamp ISO] [--format jsonl|csv|table] [--limit N]\n",
      ),
    );
    for (const flag of [
      "--version N",
      "--timestamp ISO",
      "--format FORMAT",
      "--json",
      "--limit N",
      "--project DIR",
    ])
      assert.match(result.stdout, new RegExp(`^  ${flag} `, "m"), flag);
  });

  it("-h after a command prints its usage like --help", async () => {
    const result = await lake("history", "some/table", "-h");
    assert.equal(result.code, 0);
    assert.equal(result.stdout, (await lake("history", "--help")).stdout);
  });

  it("an unknown command exits 2 and names the command on stderr", async () => {
    const result = await lake("frobnicate", "x");
    assert.equal(result.code, 2);
    assert.equal(result.stdout, "");
    assert.equal(result.stderr, 'lake: Unknown command "frobnicate". Run "lake --help" for the list.\n');
  });

  it("a misspelt command exits 2 and suggests the nearest one", async () => {
    const result = await lake("staus");
    assert.equal(result.code, 2);
    assert.equal(
      result.stderr,
      'lake: Unknown command "staus". Did you mean "status"? Run "lake --help" for the list.\n',
    );
  });

  it("lake help CMD prints the usage of CMD, and lake --version the version", async () => {
    assert.equal((await lake("help", "run")).stdout, (await lake("run", "--help")).stdout);
    for (const flag of ["--version", "-V", "version"])
      assert.equal((await lake(flag)).stdout, "lake 0.1.0\n");
    const unknown = await lake("help", "rn");
    assert.deepEqual(
      [unknown.code, unknown.stderr],
      [2, 'lake: Unknown command "rn". Did you mean "run"? Run "lake --help" for the list.\n'],
    );
  });

  it("an unknown flag exits 2 and names the flag on stderr, followed by the command's usage", async () => {
    const result = await lake("describe", "some/table", "--bogus");
    assert.equal(result.code, 2);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, /^lake: Unknown option '--bogus'/);
    assert.ok(result.stderr.endsWith(`\n\n${(await lake("describe", "--help")).stdout}`), result.stderr);
  });

  it("a flag without its value exits 2 and names the flag", async () => {
    const result = await lake("read", "some/table", "--limit");
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^lake: Option '--limit <value>' argument missing\n/);
  });

  it("a missing table location exits 2 with the usage", async () => {
    const result = await lake("history");
    assert.equal(result.code, 2);
    assert.ok(
      result.stderr.startsWith(
        "lake: Missing TABLE (zone.table or a location).\n\nUsage: lake history TABLE",
      ),
    );
  });

  it("a second positional argument exits 2 naming it", async () => {
    const result = await lake("describe", "a", "b");
    assert.equal(result.code, 2);
    assert.ok(result.stderr.startsWith('lake: Unexpected argument "b".\n\nUsage: lake describe TABLE'));
  });

  it("an unsupported URI scheme exits 2 naming the location", async () => {
    const result = await lake("describe", "gs://bucket/table");
    assert.equal(result.code, 2);
    assert.equal(
      result.stderr,
      "lake: Unsupported location gs://bucket/table: use a local folder, a file:// URI or an s3://bucket/prefix location\n",
    );
  });
});
