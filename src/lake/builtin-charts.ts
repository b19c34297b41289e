/**
 * The charts every project has, drawn from the lake's own run log rather than from SQL a project
 * declares: what the expectations caught in each run, and how long each run took.
 */
import type { ModelCounts, RunRecord } from "../pipeline/index.ts";
import type { ChartData, ChartDesign } from "../report/index.ts";

/** A chart built into the lake: its design and how its rows come from the recorded runs. */
export interface BuiltinChart {
  readonly name: string;
  readonly design: ChartDesign;
  /** The chart's rows from the runs, oldest first. */
  data(runs: readonly RunRecord[]): ChartData;
}

/** A run's start as a label: runs minutes apart share a day, so the axis shows the time too. */
export function runLabel(run: RunRecord): string {
  return new Date(run.startedAt).toISOString().slice(0, 19).replace("T", " ");
}

/** The models a run built, by `zone.table`, with their counts. */
export function modelCounts(run: RunRecord): Readonly<Record<string, ModelCounts>> {
  return run.counts.models ?? {};
}

/** Every rule's failures in `run`: its table (`zone.model`), name, action and the rows that failed it. */
export function ruleFailures(
  run: RunRecord,
): Array<{ table: string; rule: string; action: string; failed: number }> {
  return Object.entries(modelCounts(run)).flatMap(([table, counts]) =>
    Object.entries(counts.expectations ?? {}).map(([rule, e]) => ({
      table,
      rule,
      action: e.action ?? "warn",
      failed: e.failed ?? 0,
    })),
  );
}

export const BUILTIN_CHARTS: readonly BuiltinChart[] = [
  {
    name: "data_quality",
    design: {
      title: "Data quality over runs",
      description: "Rows failing each expectation, per run (quarantined or warned)",
      mark: "bar",
      x: { field: "run", type: "ordinal", title: "Run started (UTC)" },
      y: { field: "rows", type: "quantitative", title: "Rows failing", format: "integer" },
      color: { field: "rule", type: "nominal", title: "Rule" },
    },
    data(runs) {
      const rows = runs.flatMap((run) =>
        ruleFailures(run)
          .filter((f) => f.failed > 0)
          .map((f) => ({
            run: runLabel(run),
            rule: `${f.table.replace(/^[a-z]+\./, "")}.${f.rule}`,
            action: f.action,
            rows: f.failed,
          })),
      );
      return { columns: ["run", "rule", "action", "rows"], rows };
    },
  },
  {
    name: "run_times",
    design: {
      title: "Run times",
      description: "How long each pipeline run took",
      mark: "bar",
      x: { field: "run", type: "ordinal", title: "Run started (UTC)" },
      y: { field: "seconds", type: "quantitative", title: "Seconds", format: ",.1f" },
      color: { field: "status", type: "nominal", title: "Status" },
    },
    data(runs) {
      const rows = runs.map((run) => ({
        run: runLabel(run),
        seconds: (run.endedAt - run.startedAt) / 1000,
        status: run.status,
      }));
      return { columns: ["run", "seconds", "status"], rows };
    },
  },
];
