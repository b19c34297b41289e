/**
 * A retail lake built by the pipeline from the hand-written drop (test/pipeline/fixtures/retail-mini):
 * every file landed and run at once (January's and March's sales), then a second run that finds
 * nothing new. What each mart holds is worked out in test/pipeline/retail-pipeline.test.ts; chart
 * and report tests count on it.
 */
import { fileURLToPath } from "node:url";
import { ingestFiles, runProject } from "../../src/lake/index.ts";
import { retailProject } from "./retail-project.ts";

const FIXTURES = fileURLToPath(new URL("../pipeline/fixtures/retail-mini/", import.meta.url));
const FILES = [
  "customers.csv",
  "products.csv",
  "locations.csv",
  "sales_transactions_0001.csv",
  "customers_0002.csv",
  "sales_transactions_0002.csv",
];

/** Writes the retail template to `dir/name`, lands the drop, runs twice, and returns the project folder. */
export async function miniRetailLake(dir: string, name = "shop"): Promise<string> {
  const { root } = await retailProject(dir, name);
  await ingestFiles(
    root,
    FILES.map((f) => `${FIXTURES}${f}`),
  );
  await runProject(root);
  await runProject(root);
  return root;
}
