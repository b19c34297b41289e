/**
 * The data-quality view of a project: each expectation with its action and how many rows failed it in
 * each recent run (from the run log), the lines bronze rejected per run, sample quarantined rows with
 * the rules they failed, and the landing files that were rejected whole.
 */
import type { DeltaContext } from "../engine/index.ts";
import { loadIfExists } from "../engine/index.ts";
import {
  type ExpectationAction,
  type LandingFileStatus,
  landingFileStatuses,
  listRuns,
  type ProjectConfig,
  projectTables,
  type RunRecord,
} from "../pipeline/index.ts";
import { modelCounts } from "./builtin-charts.ts";
import { projectTableStore } from "./open-table.ts";
import { type Json, rowValues } from "./row-format.ts";
import { tableRowBatches } from "./table-rows.ts";

/** A run as the quality view labels its counts. */
export interface RunLabel {
  readonly runId: string;
  readonly startedAt: number;
  readonly status: RunRecord["status"];
}

/** One expectation of a model and the rows that failed it per run (null: the run did not build it). */
export interface ExpectationCounts {
  readonly table: string;
  readonly rule: string;
  readonly action: ExpectationAction;
  readonly description: string;
  /** In the order of {@link QualityReport.runs}. */
  readonly failed: ReadonlyArray<number | null>;
}

/** Sample rows of a quarantine table. */
export interface QuarantineSample {
  readonly table: string;
  readonly columns: readonly string[];
  readonly rows: readonly Json[][];
}

/** Everything the data-quality page shows. */
export interface QualityReport {
  /** The recent runs, newest first. */
  readonly runs: readonly RunLabel[];
  readonly expectations: readonly ExpectationCounts[];
  /** Lines rejected into `bronze.<source>_rejects`, per source, in the order of `runs`. */
  readonly rejectedLines: ReadonlyArray<{
    readonly source: string;
    readonly rejected: ReadonlyArray<number | null>;
  }>;
  readonly quarantine: readonly QuarantineSample[];
  /** Landing files rejected whole or changed after loading, with the reason. */
  readonly rejectedFiles: readonly LandingFileStatus[];
}

/** The data-quality report of the project over its `runLimit` most recent runs. */
export async function qualityReport(
  ctx: DeltaContext,
  project: ProjectConfig,
  limits: { readonly runLimit: number; readonly sampleRows: number },
): Promise<QualityReport> {
  const runs = (await listRuns(ctx, project)).slice(0, limits.runLimit);
  const expectations = project.models.flatMap((model) =>
    model.expectations.map((rule) => {
      const table = `${model.zone}.${model.name}`;
      return {
        table,
        rule: rule.name,
        action: rule.action,
        description: rule.description,
        failed: runs.map((run) => modelCounts(run)[table]?.expectations?.[rule.name]?.failed ?? null),
      };
    }),
  );
  const rejectedLines = project.sources.map((source) => ({
    source: source.name,
    rejected: runs.map((run) => run.counts.bronze?.[source.name]?.rejects ?? null),
  }));
  const quarantine: QuarantineSample[] = [];
  for (const t of projectTables(project).filter((t) => t.role === "quarantine")) {
    const name = `${t.zone}.${t.table}`;
    const store = projectTableStore(project, name);
    const snapshot = await loadIfExists(ctx, store);
    if (snapshot === undefined) continue;
    const rows: Json[][] = [];
    for await (const batch of tableRowBatches(ctx, snapshot, store, limits.sampleRows))
      for (const row of batch) rows.push(rowValues(row, snapshot.schema));
    quarantine.push({ table: name, columns: snapshot.schema.fields.map((f) => f.name), rows });
  }
  const rejectedFiles = (await landingFileStatuses(ctx, project)).filter(
    (f) => f.state === "rejected" || f.state === "changed",
  );
  return {
    runs: runs.map(({ runId, startedAt, status }) => ({ runId, startedAt, status })),
    expectations,
    rejectedLines,
    quarantine,
    rejectedFiles,
  };
}
