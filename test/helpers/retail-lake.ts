/**
 * A retail lake built by the pipeline from the hand-written drop (test/pipeline/fixtures/retail-mini,
 * worked out in test/pipeline/retail-pipeline.test.ts) plus one returning customer
 * (test/lake/fixtures: C0000001, first seen in January, buys again in March), every file landed and
 * run at once, then a second run that finds nothing new. What reaches silver: January North Tools
 * 20.00 (C1) and West Electronics 22.95 (C3); March North Electronics 40.80 (C4) and 25.50 (C1),
 * West Tools 47.50 (C2). Chart and report tests count on it.
 */
import { fileURLToPath } from "node:url";
import { ingestFiles, runProject } from "../../src/lake/index.ts";
import { retailProject } from "./retail-project.ts";

const MINI = fileURLToPath(new URL("../pipeline/fixtures/retail-mini/", import.meta.url));
const RETURNING = fileURLToPath(new URL("../lake/fixtures/sales_transactions_0003.csv", import.meta.url));
const FILES = [
  ...[
    "customers.csv",
    "products.csv",
    "locations.csv",
    "sales_transactions_0001.csv",
    "customers_0002.csv",
    "sales_transactions_0002.csv",
  ].map((f) => `${MINI}${f}`),
  RETURNING,
];

/** Writes the retail template to `dir/name`, lands the drop, runs twice, and returns the project folder. */
export async function miniRetailLake(dir: string, name = "shop"): Promise<string> {
  const { root } = await retailProject(dir, name);
  await ingestFiles(root, FILES);
  await runProject(root);
  await runProject(root);
  return root;
}
