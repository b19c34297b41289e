/** What the lake report shows: everything the HTML writer needs, gathered by lake/. */

/** A key figure: a title and one value. */
export interface ReportFigure {
  readonly title: string;
  /** Numbers may arrive as text (decimals do); null when the query gave nothing. */
  readonly value: number | string | null;
  readonly format?: "currency" | "integer" | "number" | "percent";
  readonly description?: string;
}

/** A chart, drawn as SVG, or the reason it could not be drawn. */
export type ReportChart =
  | { readonly title: string; readonly description?: string; readonly svg: string; readonly rows: number }
  | { readonly title: string; readonly description?: string; readonly problem: string };

/** One table of the lake. */
export interface ReportTable {
  readonly zone: string;
  readonly table: string;
  readonly version: number;
  readonly rows: number | null;
  readonly files: number;
  readonly lastCommit: string;
}

/** One step of a run: a source's ingest or a model's build. */
export interface ReportStep {
  readonly step: string;
  readonly rows: number;
  /** Rows that failed a rule and went to quarantine, or lines rejected by bronze. */
  readonly setAside: number;
  readonly detail: string;
  readonly seconds?: number;
}

/** The last recorded run. */
export interface ReportRun {
  readonly runId: string;
  readonly status: string;
  readonly error: string | null;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly steps: readonly ReportStep[];
}

/** A rule's failures: in the last run and over every recorded run. */
export interface ReportRule {
  readonly table: string;
  readonly rule: string;
  readonly action: string;
  readonly description?: string;
  readonly lastRun: number;
  readonly allRuns: number;
}

/** A landing file the lake refused as a whole. */
export interface ReportRejectedFile {
  readonly file: string;
  readonly reason: string;
  readonly at: number;
}

/** The tables and what feeds what; node ids are `zone.table` (landing: `landing.<source>`). */
export interface ReportLineage {
  readonly nodes: ReadonlyArray<{ readonly id: string; readonly zone: string }>;
  readonly edges: ReadonlyArray<{ readonly from: string; readonly to: string }>;
}

/** Everything in one report. */
export interface ReportContent {
  readonly project: string;
  readonly generatedAt: number;
  readonly figures: readonly ReportFigure[];
  readonly charts: readonly ReportChart[];
  readonly tables: readonly ReportTable[];
  readonly lastRun?: ReportRun;
  /** Runs recorded in the run log. */
  readonly runs: number;
  readonly rules: readonly ReportRule[];
  readonly rejectedFiles: readonly ReportRejectedFile[];
  readonly lineage: ReportLineage;
}
