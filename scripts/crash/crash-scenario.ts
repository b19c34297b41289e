/**
 * The scenario every crash trial replays, and its clean, uninterrupted reference.
 *
 * A small generated project (`lake init`, `lake generate`) goes through: land the dimensions and all
 * sales files but the last, `lake run`, give two tables a checkpoint interval of 2, land the last
 * sales file, `lake run` (so the second run takes the incremental paths and writes checkpoints).
 * Maintenance trials continue from the end of it: `lake optimize` of `bronze/sales`, `lake vacuum` of
 * it, then `lake run` again, which must change nothing.
 *
 * The clean pass records, for every step a trial may kill, a copy of the project just before it,
 * the step's wall time and its filesystem events (commits, checkpoints, puts, deletes, in order), so
 * a trial can start at that step and aim at "right after the k-th commit".
 */
import { cp, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { commit } from "../../src/delta/index.ts";
import { DeltaContext } from "../../src/engine/index.ts";
import { ingestFiles } from "../../src/lake/index.ts";
import { loadProject, tableStore, type Zone } from "../../src/pipeline/index.ts";
import type { CrashEvent } from "./kill-after-commit.ts";
import { type Kill, type LakeOutcome, runLake, runLakeOk } from "./lake-process.ts";
import { readTableState, type TableState } from "./table-state.ts";

/** The size of the generated project. */
export interface ScenarioOptions {
  /** Sales rows (default 10,000). */
  readonly rows?: number;
  /** Sales files (default 3): all but the last land before the first run, the last before the second. */
  readonly files?: number;
  readonly customers?: number;
  readonly products?: number;
  readonly locations?: number;
}

/** One step of a scenario. */
export type Step =
  | { readonly kind: "ingest"; readonly files: readonly string[] }
  | { readonly kind: "run"; readonly label: string }
  /** Sets `delta.checkpointInterval` on the tables (a metadata commit), so later commits checkpoint. */
  | { readonly kind: "checkpoint-interval"; readonly tables: readonly TableRef[]; readonly interval: number }
  | { readonly kind: "optimize"; readonly table: TableRef }
  | { readonly kind: "vacuum"; readonly table: TableRef };

/** A table of the project. */
export interface TableRef {
  readonly zone: Zone;
  readonly table: string;
}

/** A filesystem event of a clean step, named by the table it belongs to (`silver.sales_enriched_quarantine`). */
export interface TracedEvent {
  readonly event: CrashEvent;
  readonly table: string;
  readonly path: string;
}

/** A step trials can kill, as the clean pass saw it. */
export interface KillableStep {
  /** `run 1`, `run 2`, `optimize bronze.sales`, `vacuum bronze.sales`. */
  readonly label: string;
  /** The project just before the step (copy it, never change it). */
  readonly before: string;
  /** The step itself and what follows it until the state is compared. */
  readonly steps: readonly Step[];
  readonly ms: number;
  /** The clean step's time after its first output line (its working time, start-up left out). */
  readonly workMs: number;
  readonly events: readonly TracedEvent[];
}

/** The prepared project, its reference state and the steps trials can kill. */
export interface PreparedScenario {
  /** The temporary folder holding everything; remove it with `disposeScenario`. */
  readonly root: string;
  readonly reference: TableState;
  readonly killable: readonly KillableStep[];
}

/** The tables maintenance trials work on and that get a small checkpoint interval. */
export const BRONZE_SALES: TableRef = { zone: "bronze", table: "sales" };
const CHECKPOINTED: readonly TableRef[] = [BRONZE_SALES, { zone: "silver", table: "sales_enriched" }];

/**
 * Generates the project, runs the scenario once without interruption (then optimize and vacuum),
 * and reads the reference state. @throws when any clean step fails
 */
export async function prepareScenario(options: ScenarioOptions = {}): Promise<PreparedScenario> {
  const root = await mkdtemp(join(tmpdir(), "lake-crash-"));
  try {
    const files = options.files ?? 3;
    const drops = join(root, "drops");
    await runLakeOk(["init", join(root, "template")]);
    await runLakeOk([
      "generate",
      ...["--rows", String(options.rows ?? 10_000), "--files", String(files)],
      ...["--customers", String(options.customers ?? 2_000), "--products", String(options.products ?? 300)],
      ...["--locations", String(options.locations ?? 40), "--workers", "0", "--out", drops],
    ]);
    const manifest = JSON.parse(await readFile(join(drops, "manifest.json"), "utf8")) as {
      files: Array<{ name: string; table: string }>;
    };
    const path = (f: { name: string }) => join(drops, f.name);
    const sales = manifest.files.filter((f) => f.table === "sales_transactions").map(path);
    const dimensions = manifest.files.filter((f) => f.table !== "sales_transactions").map(path);
    const scenario: Step[] = [
      { kind: "ingest", files: [...dimensions, ...sales.slice(0, -1)] },
      { kind: "run", label: "run 1" },
      { kind: "checkpoint-interval", tables: CHECKPOINTED, interval: 2 },
      { kind: "ingest", files: sales.slice(-1) },
      { kind: "run", label: "run 2" },
    ];
    const maintenance: Step[] = [
      { kind: "optimize", table: BRONZE_SALES },
      { kind: "vacuum", table: BRONZE_SALES },
    ];

    const project = join(root, "clean");
    await cp(join(root, "template"), project, { recursive: true });
    const killable: KillableStep[] = [];
    let reference: TableState | undefined;
    const all = [...scenario, ...maintenance];
    for (const [i, step] of all.entries()) {
      if (i === scenario.length) reference = await readTableState(project);
      if (step.kind !== "run" && step.kind !== "optimize" && step.kind !== "vacuum") {
        await runStep(project, step);
        continue;
      }
      const before = join(root, `before-${killable.length + 1}`);
      await cp(project, before, { recursive: true });
      const trace = join(root, `trace-${killable.length + 1}`);
      const outcome = await runStep(project, step, { traceFile: trace });
      const rest = i < scenario.length ? scenario.slice(i + 1) : [{ kind: "run", label: "run 3" } as const];
      killable.push({
        label: stepLabel(step),
        before,
        steps: [step, ...rest],
        ms: outcome?.ms ?? 0,
        workMs: (outcome?.ms ?? 0) - (outcome?.firstOutputMs ?? 0),
        events: await readTrace(trace),
      });
    }
    if (reference === undefined) throw new Error("the scenario has no steps");
    return { root, reference, killable };
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}

/** Removes everything `prepareScenario` made. */
export async function disposeScenario(prepared: PreparedScenario): Promise<void> {
  await rm(prepared.root, { recursive: true, force: true });
}

/** What a step is called in trial lines. */
export function stepLabel(step: Step): string {
  switch (step.kind) {
    case "run":
      return step.label;
    case "ingest":
      return `ingest ${step.files.map((f) => basename(f)).join(", ")}`;
    case "checkpoint-interval":
      return `checkpoint interval ${step.interval}`;
    case "optimize":
    case "vacuum":
      return `${step.kind} ${step.table.zone}.${step.table.table}`;
  }
}

/**
 * Runs one step on the project in `dir`; `lake` steps with the given kill and trace file.
 * Returns the `lake` process's outcome (undefined for the steps the harness does itself).
 * @throws when a step that is not killed fails
 */
export async function runStep(
  dir: string,
  step: Step,
  options: { readonly kill?: Kill; readonly traceFile?: string } = {},
): Promise<LakeOutcome | undefined> {
  // Landing only copies files: done in process, it spares a `lake` process per trial.
  if (step.kind === "ingest") {
    await ingestFiles(dir, step.files);
    return undefined;
  }
  const args = lakeArgs(dir, step);
  if (args === undefined) {
    if (step.kind === "checkpoint-interval") await setCheckpointInterval(dir, step.tables, step.interval);
    return undefined;
  }
  const outcome = await runLake(args, options);
  if (outcome.code !== 0 && !outcome.killed) {
    throw new Error(`${stepLabel(step)} exited ${outcome.code}: ${outcome.stderr.trim()}`);
  }
  return outcome;
}

/** The `lake` arguments of a step, or undefined for a step the harness does in process. */
export function lakeArgs(dir: string, step: Step): string[] | undefined {
  const tablePath = (t: TableRef) => join(dir, "lake", t.zone, t.table);
  switch (step.kind) {
    case "ingest":
      return ["ingest", ...step.files, "--project", dir];
    case "run":
      return ["run", "--project", dir];
    case "optimize":
      return ["optimize", tablePath(step.table)];
    case "vacuum":
      return ["vacuum", tablePath(step.table), "--retention-hours", "0", "--allow-short-retention"];
    case "checkpoint-interval":
      return undefined;
  }
}

/** Commits `delta.checkpointInterval` into the tables' metadata (what `ALTER TABLE SET TBLPROPERTIES` does). */
async function setCheckpointInterval(
  dir: string,
  tables: readonly TableRef[],
  interval: number,
): Promise<void> {
  const project = await loadProject(dir);
  await DeltaContext.with(async (ctx) => {
    for (const { zone, table } of tables) {
      const store = tableStore(project, zone, table);
      const snapshot = await ctx.snapshot(store);
      const configuration = {
        ...snapshot.metadata.configuration,
        "delta.checkpointInterval": String(interval),
      };
      await commit(store, ctx.parquet, snapshot, {
        operation: "SET TBLPROPERTIES",
        operationParameters: { properties: JSON.stringify({ "delta.checkpointInterval": String(interval) }) },
        actions: [{ metaData: { ...snapshot.metadata, configuration } }],
        readScope: { kind: "table" },
      });
    }
  });
}

/** The events a traced `lake` process wrote, each named by its table (`zone.table`). */
async function readTrace(file: string): Promise<TracedEvent[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return [];
  }
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const space = line.indexOf(" ");
      const event = line.slice(0, space) as CrashEvent;
      const path = line.slice(space + 1);
      return { event, path, table: tableOf(path) };
    });
}

/** `zone.table` for a path inside a table folder of the project (`.../lake/silver/x/...` → `silver.x`). */
function tableOf(path: string): string {
  const parts = path.split(/[\\/]/);
  const lake = parts.lastIndexOf("lake");
  if (lake >= 0 && lake + 2 < parts.length) return `${parts[lake + 1]}.${parts[lake + 2]}`;
  return basename(dirname(path));
}

/** Makes a fresh copy of the project state `from` at `to`. */
export async function copyProject(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  await cp(from, to, { recursive: true });
}
