import assert from "node:assert/strict";
import { it } from "node:test";
import { runCrashHarness } from "../../scripts/crash/crash-trials.ts";

const TRIALS = 20;
const SEED = Number(process.env.CRASH_SEED ?? 12);

// The reduced form of `npm run test:crash`: `lake run` (and optimize, vacuum, checkpoint writes)
// killed with SIGKILL at commit boundaries and at random moments, run again to completion, must end
// with exactly the tables of a clean run (see scripts/crash/crash-trials.ts for the trials).
it(`${TRIALS} crash trials (seed ${SEED}) end with the tables of a clean run`, {
  timeout: 600_000,
}, async (t) => {
  const result = await runCrashHarness({
    trials: TRIALS,
    seed: SEED,
    onLine: (line) => t.diagnostic(line),
  });
  const failed = result.results.filter((r) => !r.ok).map((r) => r.line);
  assert.deepEqual(failed, [], `${result.failed} of ${result.results.length} trials failed`);
  assert.equal(result.passed, TRIALS);
});
