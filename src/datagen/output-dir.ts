/**
 * Prepares the output folder: creates it, and clears the files an earlier run of the generator left
 * there (so a smaller split leaves no stale files behind), but refuses a folder holding anything else.
 */
import { mkdir, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { OutputDirError } from "./errors.ts";

/** Names the generator writes: the four tables (sales possibly split) and manifest.json. */
const DATASET_FILE = /^(?:customers|products|locations|sales_transactions(?:_\d{4})?)\.csv$|^manifest\.json$/;

/** Creates `dir` or empties it of dataset files; throws OutputDirError if it holds anything else. */
export async function prepareOutputDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const entries = (await readdir(dir)).sort();
  const foreign = entries.find((name) => !DATASET_FILE.test(name));
  if (foreign !== undefined) throw new OutputDirError(dir, foreign);
  await Promise.all(entries.map((name) => rm(join(dir, name), { force: true })));
}
