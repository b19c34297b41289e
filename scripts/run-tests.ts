/**
 * Runs every `test/**\/*.test.ts` file with Node's test runner (Node 20's `--test` has no globs).
 * Extra arguments are passed to the runner, e.g. `npm run test:unit -- --test-name-pattern=vacuum`.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

const files = (readdirSync("test", { recursive: true }) as string[])
  .filter((file) => file.endsWith(".test.ts"))
  .map((file) => join("test", file))
  .sort();
const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", "--test-concurrency=2", ...process.argv.slice(2), ...files],
  { stdio: "inherit" },
);
process.exit(result.status ?? 1);
