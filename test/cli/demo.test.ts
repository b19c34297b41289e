import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { lakeCommand } from "../../src/cli/invocation.ts";
import { lake, makeTempDir, removeDir } from "../helpers/cli.ts";

const REPOSITORY = fileURLToPath(new URL("../../", import.meta.url)).replace(/\/$/, "");

// `lake demo`: generate, land, run the whole pipeline, land one more file, run incrementally.
describe("lake demo", () => {
  let dir: string;
  before(async () => {
    dir = await makeTempDir();
  });
  after(() => removeDir(dir));

  it("runs the pipeline on generated data, then incrementally on the last file, and reports every layer", async () => {
    const demoDir = join(dir, "demo");
    const result = await lake("demo", "--rows", "5000", "--dir", demoDir);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, "");
    const out = result.stdout;
    assert.match(out, /^Generating 5,000 sales rows with customers, products and locations\.\.\.$/m);
    assert.match(out, /^Landed 12 files; running landing → bronze → silver → gold\.\.\.$/m);
    assert.match(
      out,
      /^Landed sales_transactions_0010\.csv; running again \(only the new file is processed\)\.\.\.$/m,
    );
    assert.match(out, /^ {2}sales: reading sales\/sales_transactions_0010\.csv$/m);
    assert.match(
      out,
      /^silver\.sales_enriched +1 +\d+ +\d+$/m,
      "two versions of sales_enriched: full run, then incremental",
    );
    assert.match(out, /^gold\.monthly_sales_summary +1 /m);
    assert.match(out, /^Revenue by region \(gold\.regional_performance\):$/m);
    assert.match(out, new RegExp(`^Report: ${join(demoDir, "report", "report.html")}$`, "m"));
    const report = await readFile(join(demoDir, "report", "report.html"), "utf8");
    assert.equal((report.match(/<svg [^>]*class="marks"/g) ?? []).length, 7, "every chart is drawn");
    const manifest = JSON.parse(await readFile(join(demoDir, "data", "manifest.json"), "utf8")) as {
      sales: { rows: number; errorRows: number };
    };
    const status = await lake("status", "--project", demoDir, "--json");
    const { tables } = JSON.parse(status.stdout) as { tables: Array<{ table: string; rows: number }> };
    const silver = tables.find((t) => t.table === "sales_enriched");
    assert.equal(
      silver?.rows,
      manifest.sales.rows - manifest.sales.errorRows,
      "every sale that is not planted dirt reaches silver",
    );
    // The hints run from any folder: here, from the temp folder, outside the repository.
    const hints = out
      .slice(out.indexOf("Explore it:\n") + "Explore it:\n".length)
      .trim()
      .split("\n")
      .map((line) => line.trim());
    assert.equal(hints.length, 5);
    for (const hint of hints) assert.ok(hint.startsWith(`npm --prefix ${REPOSITORY} run lake -- `), hint);
    const [statusHint = ""] = hints;
    assert.ok(statusHint.endsWith(`status --project ${demoDir}`), statusHint);
    const { stdout } = await promisify(execFile)("sh", ["-c", statusHint], { cwd: dir });
    assert.match(stdout, /^gold\.monthly_sales_summary +1 /m);
  });

  it("hints name lake as the user ran it: npx lake under npx, plain lake when installed, the npm script from a checkout", () => {
    assert.equal(
      lakeCommand({ npm_command: "exec" }, "/p/node_modules/medallion-lake/dist/cli/main.js"),
      "npx lake",
    );
    assert.equal(lakeCommand({}, "/usr/local/lib/node_modules/medallion-lake/dist/cli/main.js"), "lake");
    assert.equal(
      lakeCommand({}, join(REPOSITORY, "src/cli/main.ts")),
      `npm --prefix ${REPOSITORY} run lake --`,
    );
  });

  it("replaces an earlier demo in the same folder", async () => {
    const demoDir = join(dir, "again");
    const once = await lake("demo", "--rows", "1000", "--dir", demoDir);
    const twice = await lake("demo", "--rows", "1000", "--dir", demoDir);
    assert.equal(twice.code, 0, twice.stderr);
    // Times differ from one run to the next: the summary line and each model's duration.
    const strip = (text: string) => text.replace(/Generated in .*\n/, "").replace(/, \d+\.\d s/g, "");
    assert.equal(strip(twice.stdout), strip(once.stdout));
  });

  it("refuses a folder that holds something other than a demo, and leaves it untouched", async () => {
    const demoDir = join(dir, "precious");
    await mkdir(demoDir, { recursive: true });
    await writeFile(join(demoDir, "notes.txt"), "keep me");
    const result = await lake("demo", "--rows", "100", "--dir", demoDir);
    assert.deepEqual(result, {
      code: 2,
      stdout: "",
      stderr: `lake: ${demoDir} is not empty and holds no earlier demo; choose another --dir for the demo\n`,
    });
    assert.equal(await readFile(join(demoDir, "notes.txt"), "utf8"), "keep me");
  });

  it("--rows abc exits 2 naming the flag", async () => {
    const result = await lake("demo", "--rows", "abc", "--dir", join(dir, "never"));
    assert.deepEqual(result, {
      code: 2,
      stdout: "",
      stderr: 'lake: --rows must be a whole number >= 0, got "abc"\n',
    });
  });
});
