import assert from "node:assert/strict";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parseArgs } from "node:util";
import { CliError } from "../../src/cli/cli-error.ts";
import { generate } from "../../src/cli/commands/generate.ts";
import { makeTempDir, removeDir } from "./dataset-fixture.ts";

/** Runs `lake generate ...argv` as the dispatcher does: parseArgs, run, CliError to an exit code. */
async function lakeGenerate(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io = {
    stdout: (t: string) => {
      stdout += t;
    },
    stderr: (t: string) => {
      stderr += t;
    },
    drained: async () => {},
  };
  try {
    const parsed = parseArgs({ args: argv, options: generate.options, allowPositionals: true, strict: true });
    await generate.run(
      { values: parsed.values as Record<string, string>, positionals: parsed.positionals },
      io,
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    return { code: error.exitCode, stdout, stderr: `lake: ${error.message}\n` };
  }
}

const SMALL = ["--customers", "500", "--products", "100", "--locations", "20"];

describe("lake generate", () => {
  let dir: string;
  before(async () => {
    dir = await makeTempDir();
  });
  after(() => removeDir(dir));

  it("--rows 2000 writes a tiny dataset in well under two seconds and prints progress and a summary", async () => {
    const out = join(dir, "tiny");
    const started = performance.now();
    const result = await lakeGenerate("--rows", "2000", "--out", out, ...SMALL);
    const ms = performance.now() - started;
    assert.equal(result.code, 0, result.stderr);
    assert.ok(ms < 2_000, `took ${ms} ms`);
    const text = result.stdout.replace(/ in \d+\.\d s:/, " in T s:");
    const manifest = JSON.parse(await readFile(join(out, "manifest.json"), "utf8")) as {
      files: { name: string; bytes: number }[];
    };
    const mb = (name: string) =>
      `${((manifest.files.find((f) => f.name === name)?.bytes ?? 0) / 1e6).toFixed(1)} MB`;
    const total = (manifest.files.reduce((s, f) => s + f.bytes, 0) / 1e6).toFixed(1);
    assert.equal(
      text,
      [
        "customers: 500 rows",
        "products: 100 rows",
        "locations: 20 rows",
        "sales_transactions: 2,000 of 2,000 rows (100%)",
        "",
        `Wrote 4 files (${total} MB) to ${out} in T s:`,
        `  customers.csv                        500 rows ${mb("customers.csv").padStart(10)}`,
        `  products.csv                         100 rows ${mb("products.csv").padStart(10)}`,
        `  locations.csv                         20 rows ${mb("locations.csv").padStart(10)}`,
        `  sales_transactions.csv             2,000 rows ${mb("sales_transactions.csv").padStart(10)}   2021-01-02 .. 2024-12-31`,
        "Planted dirt in sales: 2 error rows (0.10 %) and 21 recoverable rows (1.05 %).",
        `Exact counts per kind: ${out}/manifest.json`,
        "",
      ].join("\n"),
    );
    assert.deepEqual((await readdir(out)).sort(), [
      "customers.csv",
      "locations.csv",
      "manifest.json",
      "products.csv",
      "sales_transactions.csv",
    ]);
  });

  it("prints sales progress at every tenth and lists a long split by its first and last files", async () => {
    const out = join(dir, "split");
    const result = await lakeGenerate("--rows", "1000000", "--files", "20", "--out", out, ...SMALL);
    assert.equal(result.code, 0, result.stderr);
    const progress = result.stdout.split("\n").filter((l) => l.startsWith("sales_transactions:"));
    assert.deepEqual(progress, [
      "sales_transactions: 100,000 of 1,000,000 rows (10%)",
      "sales_transactions: 200,000 of 1,000,000 rows (20%)",
      "sales_transactions: 300,000 of 1,000,000 rows (30%)",
      "sales_transactions: 400,000 of 1,000,000 rows (40%)",
      "sales_transactions: 500,000 of 1,000,000 rows (50%)",
      "sales_transactions: 600,000 of 1,000,000 rows (60%)",
      "sales_transactions: 700,000 of 1,000,000 rows (70%)",
      "sales_transactions: 800,000 of 1,000,000 rows (80%)",
      "sales_transactions: 900,000 of 1,000,000 rows (90%)",
      "sales_transactions: 1,000,000 of 1,000,000 rows (100%)",
    ]);
    const listed = result.stdout.match(/sales_transactions_\d{4}\.csv/g);
    assert.deepEqual(listed, [
      "sales_transactions_0001.csv",
      "sales_transactions_0002.csv",
      "sales_transactions_0003.csv",
      "sales_transactions_0019.csv",
      "sales_transactions_0020.csv",
    ]);
    assert.match(result.stdout, /\n {2}\.\.\. 15 more sales files\n/);
  });

  it("--rows 0 writes the dimensions and a sales file holding only its header", async () => {
    const out = join(dir, "empty");
    const result = await lakeGenerate("--rows", "0", "--out", out, ...SMALL);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /\n {2}sales_transactions\.csv {17}0 rows {5}0\.0 MB\n/);
    assert.equal(
      await readFile(join(out, "sales_transactions.csv"), "utf8"),
      "transaction_id,order_date,customer_id,product_id,location_id,quantity,unit_price,discount_pct,payment_method,channel\n",
    );
  });

  it("a second run into the same folder replaces the dataset and leaves no stale split files", async () => {
    const out = join(dir, "again");
    assert.equal((await lakeGenerate("--rows", "3000", "--files", "3", "--out", out, ...SMALL)).code, 0);
    assert.equal((await lakeGenerate("--rows", "3000", "--out", out, ...SMALL)).code, 0);
    assert.deepEqual((await readdir(out)).sort(), [
      "customers.csv",
      "locations.csv",
      "manifest.json",
      "products.csv",
      "sales_transactions.csv",
    ]);
  });

  it("refuses a folder holding anything it does not write, and leaves it alone", async () => {
    const out = join(dir, "foreign");
    assert.equal((await lakeGenerate("--rows", "10", "--out", out, ...SMALL)).code, 0);
    await writeFile(join(out, "notes.txt"), "mine");
    const result = await lakeGenerate("--rows", "10", "--out", out, ...SMALL);
    assert.deepEqual(result, {
      code: 2,
      stdout: "",
      stderr: `lake: Refusing to write the dataset into ${out}: it holds "notes.txt", which the generator does not write. Use an empty or new folder.\n`,
    });
    assert.equal(await readFile(join(out, "notes.txt"), "utf8"), "mine");
    assert.ok((await readdir(out)).includes("customers.csv"));
  });

  it("rejects flags out of range with what they accept", async () => {
    const out = join(dir, "never");
    const cases: [string[], string][] = [
      [["--rows", "abc"], '--rows must be a whole number >= 0, got "abc"'],
      [["--rows", "2000000000"], "--rows must be a whole number from 0 to 1,000,000,000, got 2000000000"],
      [["--files", "0"], "--files must be a whole number from 1 to 1,461, got 0"],
      [["--products", "5"], "--products must be a whole number from 8 to 90,000, got 5"],
      [["--customers", "9000001"], "--customers must be a whole number from 1 to 9,000,000, got 9000001"],
      [["--locations", "1"], "--locations must be a whole number from 2 to 9,999, got 1"],
      [["--seed", "4294967296"], "--seed must be a whole number from 0 to 4,294,967,295, got 4294967296"],
    ];
    for (const [flags, message] of cases) {
      const result = await lakeGenerate(...flags, "--out", out);
      assert.deepEqual(result, { code: 2, stdout: "", stderr: `lake: ${message}\n` }, flags.join(" "));
    }
    const extra = await lakeGenerate("somewhere", "--out", out);
    assert.equal(extra.stderr.split("\n")[0], 'lake: Unexpected argument "somewhere".');
    await assert.rejects(readdir(out), { code: "ENOENT" });
  });
});
