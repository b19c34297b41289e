/**
 * What `lake run` prints when a run ends: one line per step (a source's bronze load, a model) with
 * its time and rows, every expectation a model checked with its action and failing rows, and the
 * landing files that need attention (rejected whole, or changed after they were loaded).
 */
import { type Json, type PipelineResult, textTable } from "../lake/index.ts";

/** The summary of `result`, a run that took `seconds`, as text ending in a newline. */
export function runSummary(result: PipelineResult, seconds: number): string {
  const steps: Json[][] = [
    ...result.bronze.map(({ source, files, seconds: took }) => {
      const loaded = files.filter((f) => f.ingested && f.rejectedFile === undefined);
      const refused = files.filter((f) => f.rejectedFile !== undefined).length;
      const sum = (pick: (f: (typeof loaded)[number]) => number) => loaded.reduce((t, f) => t + pick(f), 0);
      return [
        `bronze.${source}`,
        time(took),
        sum((f) => f.records),
        sum((f) => f.bronzeRows),
        "",
        sum((f) => f.rejects),
        `${plural(loaded.length, "new file")}${refused > 0 ? `, ${plural(refused, "file")} rejected` : ""}`,
      ];
    }),
    ...result.models.map((m) => [
      m.table,
      m.seconds === undefined ? "" : time(m.seconds),
      m.rebuilt ? m.inputRows : "",
      m.rebuilt ? m.rows : "",
      m.rebuilt ? m.quarantined : "",
      "",
      modelNote(m),
    ]),
  ];
  const expectations = result.models.flatMap((m) =>
    m.expectations.map((e) => [m.table, e.name, e.action, e.failed]),
  );
  const lines = [
    `Run ${result.runId} succeeded in ${time(seconds)}.`,
    textTable(["step", "time", "rows in", "written", "quarantined", "rejected", "note"], steps),
  ];
  if (expectations.length > 0)
    lines.push("", "Expectations:", textTable(["model", "rule", "action", "failing rows"], expectations));
  const attention = result.bronze.flatMap(({ files }) =>
    files.flatMap((f) =>
      f.rejectedFile !== undefined
        ? [`  ${f.file} was rejected: ${f.rejectedFile}`]
        : f.notice !== undefined
          ? [`  ${f.file} ${f.notice}`]
          : [],
    ),
  );
  if (attention.length > 0)
    lines.push("", "Landing files that need attention (lake files lists them all):", ...attention);
  return `${lines.join("\n")}\n`;
}

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? "" : "s"}`;
}

function modelNote(m: PipelineResult["models"][number]): string {
  if (m.waitingFor) return `waiting for ${m.waitingFor}`;
  if (!m.rebuilt) return "up to date";
  const notes: string[] = [m.kind];
  if (m.partitions !== undefined) notes.push(`${m.partitions} partitions`);
  if (m.newKeys !== undefined) notes.push(`${m.newKeys} new keys`);
  if (m.duplicatesRemoved > 0)
    notes.push(`${m.duplicatesRemoved} ${m.kind === "dimension" ? "superseded" : "duplicates removed"}`);
  if (m.retried > 0) notes.push(`${m.retried} released from quarantine`);
  if (m.reason) notes.push(`rebuilt in full: ${m.reason}`);
  return notes.join(", ");
}

function time(seconds: number): string {
  return `${seconds.toFixed(1)} s`;
}
