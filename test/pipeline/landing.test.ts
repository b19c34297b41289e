import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { landFiles, listLandingFiles, parseProject } from "../../src/pipeline/index.ts";

describe("the landing zone", () => {
  let dir: string;
  const project = () =>
    parseProject(
      {
        sources: {
          sales: { files: "sales*.csv", columns: ["id"] },
          customers: { files: "customers.csv", columns: ["id"] },
        },
      },
      join(dir, "lake.json"),
    );
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "lake-landing-"));
    await mkdir(join(dir, "in"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("files each drop under its source, and landing the same bytes again is a no-op", async () => {
    await writeFile(join(dir, "in", "sales_1.csv"), "id\n1\n");
    await writeFile(join(dir, "in", "customers.csv"), "id\n7\n");
    const first = await landFiles(project(), [
      join(dir, "in", "sales_1.csv"),
      join(dir, "in", "customers.csv"),
    ]);
    assert.deepEqual(
      first.map((f) => [f.key, f.copied]),
      [
        ["sales/sales_1.csv", true],
        ["customers/customers.csv", true],
      ],
    );
    const again = await landFiles(project(), [join(dir, "in", "sales_1.csv")]);
    assert.deepEqual(
      again.map((f) => f.copied),
      [false],
    );
    const sales = project().sources.find((s) => s.name === "sales");
    assert.ok(sales);
    assert.deepEqual(
      (await listLandingFiles(project(), sales)).map((f) => f.key),
      ["sales/sales_1.csv"],
    );
  });

  it("never overwrites a landed file: different bytes under a taken name are refused", async () => {
    await writeFile(join(dir, "in", "sales_1.csv"), "id\n2\n");
    await assert.rejects(landFiles(project(), [join(dir, "in", "sales_1.csv")]), {
      name: "LandingError",
      message:
        "landing/sales/sales_1.csv already exists with different content; landing is write-once: give the new file another name",
    });
    assert.equal(await readFile(join(project().zones.landing, "sales", "sales_1.csv"), "utf8"), "id\n1\n");
  });

  it("refuses a file that matches no source, listing the sources and patterns", async () => {
    await writeFile(join(dir, "in", "orders.csv"), "id\n1\n");
    await assert.rejects(landFiles(project(), [join(dir, "in", "orders.csv")]), {
      message:
        "orders.csv matches no source of the project; sources and their file patterns: sales (sales*.csv), customers (customers.csv)",
    });
  });
});
