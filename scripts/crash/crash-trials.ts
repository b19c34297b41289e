/**
 * Crash trials, shared by `npm run test:crash` (scripts/crash/crash-harness.ts) and the reduced form
 * in `npm test` (test/pipeline/crash-recovery.test.ts).
 *
 * A trial copies the project as it was just before one step of the clean scenario, runs that step
 * and kills it with SIGKILL (right after its k-th Delta commit, checkpoint, data-file put or vacuum
 * delete, or at a random moment within the clean step's duration), runs `lake run` again until it
 * completes, plays the rest of the scenario, and compares every table with the clean reference. No
 * staging of the killed process may be left then.
 *
 * With `signal: "TERM"` the trials send SIGTERM to `lake run` at random moments instead: the run must
 * stop by itself (exit 143), record itself as interrupted and release its lease, so the next run
 * starts at once and completes the work.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { DeltaContext } from "../../src/engine/index.ts";
import { currentLeaseHolder, listRuns, loadProject, runLeaseStore } from "../../src/pipeline/index.ts";
import {
  copyProject,
  disposeScenario,
  type KillableStep,
  lakeArgs,
  type PreparedScenario,
  prepareScenario,
  runStep,
  type ScenarioOptions,
  type TracedEvent,
} from "./crash-scenario.ts";
import type { CrashEvent } from "./kill-after-commit.ts";
import { type Kill, type LakeOutcome, lastLine, runLake } from "./lake-process.ts";
import { leftBehindStaging } from "./left-behind.ts";
import { seededRandom, shuffled } from "./seeded-random.ts";
import { compareTableStates, describeMismatch, readTableState } from "./table-state.ts";

/** One planned trial: which clean step to kill, and when. */
export interface Trial {
  readonly number: number;
  readonly step: KillableStep;
  readonly kill: Kill;
  /** `kill after commit 5 of run 1 (silver.sales_enriched_quarantine)`, `random kill of run 2 at 1234 ms`. */
  readonly label: string;
}

/** How a trial ended. */
export interface TrialResult {
  readonly trial: Trial;
  readonly ok: boolean;
  /** The line the harness prints: `trial 7 kill after ...: ok` or `...: MISMATCH in ...`. */
  readonly line: string;
  /** The trial's project, kept when it failed and `keepFailed` was asked for. */
  readonly keptAt?: string;
  /** With SIGTERM: how long `lake run` took from the signal to its exit. */
  readonly stopMs?: number;
}

/** Options of a harness run. */
export interface CrashHarnessOptions extends ScenarioOptions {
  /** How many trials (at least 1). */
  readonly trials: number;
  readonly seed: number;
  /** Trials running at once (default 1). */
  readonly concurrency?: number;
  /**
   * Wait for a killed run's lease to expire for real (`--wait`) instead of re-running with the clock
   * ahead (default false: a 60 s lease per kill would make trials a minute longer each).
   */
  readonly realLeaseWait?: boolean;
  /** With `realLeaseWait`: how long a re-run may wait for the lease (default 90 s). */
  readonly leaseWaitMs?: number;
  /** How many times a re-run that fails for another reason is tried (default 3). */
  readonly reruns?: number;
  /** Keep the project of a failed trial (its path is printed). */
  readonly keepFailed?: boolean;
  /** `KILL` (default): SIGKILL at commit boundaries and random moments; `TERM`: SIGTERM to the runs at random moments. */
  readonly signal?: "KILL" | "TERM";
  /** Receives each line as soon as it is known (progress, then one per trial). */
  readonly onLine?: (line: string) => void;
}

/** The outcome of a harness run. */
export interface CrashHarnessResult {
  readonly results: readonly TrialResult[];
  readonly passed: number;
  readonly failed: number;
  /** The clean steps: what they did, how long they took. */
  readonly steps: ReadonlyArray<{ label: string; ms: number; commits: number; checkpoints: number }>;
}

const EVENT_NAMES: Readonly<Record<CrashEvent, string>> = {
  commit: "commit",
  checkpoint: "checkpoint",
  put: "data file put",
  delete: "vacuum delete",
};

/** Prepares the scenario, runs the planned trials, and removes what it made. */
export async function runCrashHarness(options: CrashHarnessOptions): Promise<CrashHarnessResult> {
  const say = options.onLine ?? (() => {});
  const started = performance.now();
  const prepared = await prepareScenario(options);
  try {
    const steps = prepared.killable.map((s) => ({
      label: s.label,
      ms: Math.round(s.ms),
      commits: s.events.filter((e) => e.event === "commit").length,
      checkpoints: s.events.filter((e) => e.event === "checkpoint").length,
    }));
    say(
      `prepared in ${seconds(performance.now() - started)}: ${steps
        .map((s) => `${s.label} ${seconds(s.ms)}, ${s.commits} commits, ${s.checkpoints} checkpoints`)
        .join("; ")}`,
    );
    const trials =
      options.signal === "TERM"
        ? planTermTrials(prepared, options.trials, options.seed)
        : planTrials(prepared, options.trials, options.seed);
    const results: TrialResult[] = new Array(trials.length);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < trials.length; i = next++) {
        const trial = trials[i] as Trial;
        const result = await runTrial(prepared, trial, options);
        results[i] = result;
        say(result.line);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 1) }, worker));
    const failed = results.filter((r) => !r.ok).length;
    return { results, passed: results.length - failed, failed, steps };
  } finally {
    await disposeScenario(prepared);
  }
}

/**
 * The trials: every commit boundary of every killable step (`lake run` 1 and 2, optimize, vacuum),
 * every checkpoint write, every data-file put of optimize and delete of vacuum, one unkilled control
 * each for optimize and vacuum, then random-moment kills of the runs and of optimize for the rest.
 * With fewer trials than that list, a seeded sample of it fills three quarters of them and random
 * kills the rest.
 */
export function planTrials(prepared: PreparedScenario, count: number, seed: number): Trial[] {
  const random = seededRandom(seed);
  const boundaries: Array<Omit<Trial, "number">> = [];
  for (const step of prepared.killable) {
    const isRun = step.label.startsWith("run");
    const kinds: CrashEvent[] = isRun ? ["commit", "checkpoint"] : ["put", "commit", "checkpoint", "delete"];
    for (const event of kinds) {
      const events = step.events.filter((e) => e.event === event);
      events.forEach((e, i) => {
        boundaries.push({
          step,
          kill: { kind: "event", event, at: i + 1 },
          label: eventLabel(step, e, i + 1),
        });
      });
    }
    if (!isRun)
      boundaries.push({ step, kill: { kind: "none" }, label: `${step.label}, not killed (control)` });
  }
  const chosen =
    count >= boundaries.length
      ? boundaries
      : shuffled(boundaries, random)
          .slice(0, Math.ceil((count * 3) / 4))
          .sort((a, b) => boundaries.indexOf(a) - boundaries.indexOf(b));
  const randomTargets = prepared.killable.filter((s) => !s.label.startsWith("vacuum"));
  const randomKills: Array<Omit<Trial, "number">> = [];
  while (chosen.length + randomKills.length < count) {
    // The runs twice as often as optimize: they are what the pipeline must survive.
    const weighted = randomTargets.flatMap((s) => (s.label.startsWith("run") ? [s, s] : [s]));
    const step = weighted[Math.floor(random() * weighted.length)] as KillableStep;
    const ms = Math.round(random() * step.ms);
    randomKills.push({
      step,
      kill: { kind: "timer", ms },
      label: `random kill of ${step.label} at ${ms} ms`,
    });
  }
  return [...chosen, ...randomKills].map((t, i) => ({ ...t, number: i + 1 }));
}

/**
 * SIGTERM trials: `lake run` 1 and 2 alternately, each sent SIGTERM at a seeded random moment within
 * the clean run's working time (counted from the run's first output line).
 */
export function planTermTrials(prepared: PreparedScenario, count: number, seed: number): Trial[] {
  const random = seededRandom(seed);
  const runs = prepared.killable.filter((s) => s.label.startsWith("run"));
  return Array.from({ length: count }, (_, i) => {
    const step = runs[i % runs.length] as KillableStep;
    const ms = Math.round(random() * step.workMs);
    return { number: i + 1, step, kill: { kind: "term", ms }, label: `SIGTERM to ${step.label} at ${ms} ms` };
  });
}

/** Runs one trial in a fresh copy of the project. Never throws: a harness error is a failed trial. */
export async function runTrial(
  prepared: PreparedScenario,
  trial: Trial,
  options: Pick<CrashHarnessOptions, "leaseWaitMs" | "realLeaseWait" | "reruns" | "keepFailed"> = {},
): Promise<TrialResult> {
  const dir = await mkdtemp(join(prepared.root, `trial-${trial.number}-`));
  const project = join(dir, "project");
  const notes: string[] = [];
  let stopMs: number | undefined;
  const finish = async (ok: boolean, verdict: string): Promise<TrialResult> => {
    const keep = !ok && options.keepFailed === true;
    if (!keep) await rm(dir, { recursive: true, force: true });
    const note = notes.length > 0 ? ` [${notes.join("; ")}]` : "";
    const line = `trial ${trial.number} ${trial.label}: ${verdict}${note}${keep ? ` (kept at ${project})` : ""}`;
    return {
      trial,
      ok,
      line,
      ...(keep ? { keptAt: project } : {}),
      ...(stopMs === undefined ? {} : { stopMs }),
    };
  };
  try {
    await copyProject(trial.step.before, project);
    const [first, ...rest] = trial.step.steps;
    if (first === undefined) throw new Error(`${trial.step.label} has no steps`);
    const args = lakeArgs(project, first);
    if (args === undefined) throw new Error(`a trial cannot kill the step "${first.kind}"`);
    const killed = await runLake(args, { kill: trial.kill });
    if (trial.kill.kind === "term") {
      stopMs = killed.stopMs;
      const stopped = await checkStopped(project, killed);
      if (stopped !== undefined) return await finish(false, `FAILED: ${stopped}`);
      notes.push(
        killed.stopMs === undefined
          ? `finished before the signal (exit ${killed.code})`
          : `stopped ${Math.round(killed.stopMs)} ms after SIGTERM`,
      );
    } else if (trial.kill.kind !== "none") {
      if (killed.killed) notes.push(`killed after ${Math.round(killed.ms)} ms`);
      else notes.push(`finished before the kill (exit ${killed.code})`);
    }
    if (!killed.killed && killed.code !== 0 && trial.kill.kind !== "term")
      notes.push(`${trial.step.label} exited ${killed.code}: ${lastLine(killed)}`);
    // A killed `lake run` is run again until it completes; a killed optimize or vacuum is not
    // repeated: the next step of the scenario (a `lake run`) must cope with what it left.
    if (first.kind === "run") {
      const completed = await completeRun(project, options, notes);
      if (!completed.ok) return await finish(false, `FAILED: ${completed.error}`);
    }
    for (const step of rest) {
      if (step.kind === "run") {
        const completed = await completeRun(project, options, notes);
        if (!completed.ok) return await finish(false, `FAILED: ${step.label}: ${completed.error}`);
      } else await runStep(project, step);
    }
    const mismatches = compareTableStates(prepared.reference, await readTableState(project));
    if (mismatches.length > 0) {
      return await finish(false, `MISMATCH in ${mismatches.map((m) => describeMismatch(m)).join("; ")}`);
    }
    // Recovery means the next run succeeds: a re-run that failed before one completed fails the trial,
    // even when the tables end up right.
    const rerunFailed = notes.some((note) => /^re-run \d/.test(note));
    if (rerunFailed)
      return await finish(false, "FAILED: a re-run failed before one completed (then the tables matched)");
    // A run stopped by SIGTERM releases its lease: the next one must not have had to wait for it.
    if (trial.kill.kind === "term" && notes.some((note) => note.startsWith("lease of the killed run held")))
      return await finish(false, "FAILED: the interrupted run did not release its lease");
    const left = await leftBehindStaging(project);
    if (left.length > 0) return await finish(false, `FAILED: staging left behind: ${left.join(", ")}`);
    return await finish(true, "ok");
  } catch (error) {
    return await finish(false, `FAILED: harness error: ${(error as Error).message}`);
  }
}

/**
 * Why a run sent SIGTERM did not stop as it must, or undefined when it did: exit 143 with the run
 * recorded as interrupted and the lease released (or exit 0 when it finished before the signal).
 */
async function checkStopped(project: string, outcome: LakeOutcome): Promise<string | undefined> {
  if (outcome.code === 0) return undefined;
  if (outcome.code !== 143) return `SIGTERM: exited ${outcome.code ?? "by a signal"}: ${lastLine(outcome)}`;
  if (!/interrupted by SIGTERM/.test(outcome.stderr))
    return `SIGTERM: exit 143 without saying so: ${lastLine(outcome)}`;
  const config = await loadProject(project);
  const holder = await currentLeaseHolder(runLeaseStore(config));
  if (holder !== undefined) return `SIGTERM: the lease is still held by run ${holder.runId}`;
  const [last] = await DeltaContext.with((ctx) => listRuns(ctx, config), { threads: 1 });
  if (last?.status !== "interrupted")
    return `SIGTERM: the run log's last run is ${last?.status ?? "missing"}, not interrupted`;
  return undefined;
}

/** How far ahead a re-run's clock goes to find the killed run's lease expired (the lease lasts 60 s). */
const LEASE_SKIP_MS = 120_000;

/**
 * Runs `lake run` until it exits 0. A run refused because the killed run still holds the project's
 * lease is run again with its clock `LEASE_SKIP_MS` ahead (as if it started after the lease expired),
 * or, with `realLeaseWait`, with `--wait` (else polled every 5 s) for up to `leaseWaitMs`. Any other
 * failure is noted and the run tried again, up to `reruns` times.
 */
async function completeRun(
  project: string,
  options: Pick<CrashHarnessOptions, "leaseWaitMs" | "reruns" | "realLeaseWait">,
  notes: string[],
): Promise<{ ok: true } | { ok: false; error: string }> {
  const leaseWaitMs = options.leaseWaitMs ?? 90_000;
  const reruns = options.reruns ?? 3;
  let failures = 0;
  let clockOffsetMs = 0;
  let wait: string[] = [];
  let leaseWaitStarted: number | undefined;
  for (;;) {
    const outcome: LakeOutcome = await runLake(["run", "--project", project, ...wait], { clockOffsetMs });
    if (outcome.code === 0) {
      if (leaseWaitStarted !== undefined) {
        notes.push(`waited ${seconds(performance.now() - leaseWaitStarted)} for the killed run's lease`);
      }
      return { ok: true };
    }
    const message = lastLine(outcome);
    if (/holds the project/i.test(message)) {
      if (options.realLeaseWait !== true) {
        if (clockOffsetMs > 0)
          return { ok: false, error: `the lease is held even ${seconds(clockOffsetMs)} later: ${message}` };
        clockOffsetMs = LEASE_SKIP_MS;
        notes.push(`lease of the killed run held: re-run with the clock ${seconds(LEASE_SKIP_MS)} ahead`);
        continue;
      }
      leaseWaitStarted ??= performance.now();
      if (performance.now() - leaseWaitStarted > leaseWaitMs) {
        return {
          ok: false,
          error: `the killed run's lease was still held after ${seconds(leaseWaitMs)}: ${message}`,
        };
      }
      if (await runHasWait()) wait = ["--wait", String(Math.ceil(leaseWaitMs / 1000))];
      else await new Promise((resolve) => setTimeout(resolve, 5_000));
      continue;
    }
    failures += 1;
    notes.push(`re-run ${failures} exited ${outcome.code ?? "by a signal"}: ${message}`);
    if (failures >= reruns) return { ok: false, error: `lake run failed ${failures} times: ${message}` };
  }
}

let hasWait: Promise<boolean> | undefined;

/** Whether this checkout's `lake run` has `--wait` (asked once per process). */
function runHasWait(): Promise<boolean> {
  hasWait ??= runLake(["run", "--help"]).then((outcome) => outcome.stdout.includes("--wait"));
  return hasWait;
}

function eventLabel(step: KillableStep, event: TracedEvent, at: number): string {
  return `kill after ${EVENT_NAMES[event.event]} ${at} of ${step.label} (${event.table})`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
