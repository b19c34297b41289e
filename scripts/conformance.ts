/**
 * `npm run conformance -- <corpus-dir> [table-name-filter]`: runs the Delta reader conformance
 * harness on a corpus folder, one line per table and check, then `N passed, M failed`.
 * Exits 1 when anything failed.
 */

import { DeltaContext } from "../src/engine/index.ts";
import { checkTable, corpusTables } from "../src/lake/conformance.ts";

const [corpusDir, filter] = process.argv.slice(2);
if (!corpusDir) {
  console.error("usage: npm run conformance -- <corpus-dir> [table-name-filter]");
  process.exit(2);
}
let passed = 0;
let failed = 0;
await DeltaContext.with(async (engine) => {
  for (const table of await corpusTables(corpusDir)) {
    if (filter && !table.includes(filter)) continue;
    for await (const result of checkTable(engine, corpusDir, table)) {
      if (result.passed) passed++;
      else failed++;
      console.log(`${result.passed ? "PASS" : "FAIL"} ${result.table} ${result.check}: ${result.detail}`);
    }
  }
});
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
