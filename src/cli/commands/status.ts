/** `lake status [--project DIR] [--json]` */
import { describeHolder, type LandingFileStatus, projectStatus, textTable } from "../../lake/index.ts";
import type { Command } from "../command.ts";

const usage = `Usage: lake status [--project DIR] [--json]

Lists the project's tables in every zone with their version, files, rows and last commit, the last
recorded run, and the run that holds the project now, if one does.

Options:
  --project DIR   the project folder (default: the current folder or the nearest parent with lake.json)
  --json          one JSON object per table and line`;

export const status: Command = {
  summary: "tables, versions, row counts and freshness of a project",
  usage,
  options: { project: { type: "string" }, json: { type: "boolean" } },
  async run(args, io) {
    const { project, tables, lastRun, running, files } = await projectStatus(
      typeof args.values.project === "string" ? args.values.project : ".",
    );
    if (args.values.json) {
      for (const table of tables) io.stdout(`${JSON.stringify(table)}\n`);
      return;
    }
    io.stdout(`Project ${project.name} (${project.root})\n`);
    if (lastRun) {
      const when = new Date(lastRun.endedAt).toISOString();
      io.stdout(
        `Last run ${lastRun.runId}: ${lastRun.status} at ${when}${lastRun.error ? `: ${lastRun.error}` : ""}\n`,
      );
    }
    if (running) {
      const expires = new Date(running.expiresAt).toISOString();
      io.stdout(`Running now: ${describeHolder(running)}; its lease expires at ${expires} unless renewed\n`);
    }
    io.stdout(landingSummary(files));
    if (tables.length === 0) {
      io.stdout('No tables yet: "lake ingest FILE..." then "lake run".\n');
      return;
    }
    const rows = tables.map((t) => [
      `${t.zone}.${t.table}`,
      t.version,
      t.files,
      t.rows ?? "unknown",
      t.lastCommit,
    ]);
    io.stdout(`${textTable(["table", "version", "files", "rows", "last commit"], rows)}\n`);
  },
};

/** How many landing files wait, and each one that was rejected or changed, with why. */
function landingSummary(files: readonly LandingFileStatus[]): string {
  if (files.length === 0) return "";
  const count = (state: LandingFileStatus["state"]) => files.filter((f) => f.state === state).length;
  const counts = (["waiting", "ingested", "rejected", "changed", "set aside", "missing"] as const)
    .map((state) => [state, count(state)] as const)
    .filter(([, n]) => n > 0)
    .map(([state, n]) => `${n} ${state}`);
  const attention = files
    .filter((f) => f.state === "rejected" || f.state === "changed")
    .map((f) => `  ${f.file}: ${f.state}${f.last?.reason ? `: ${f.last.reason}` : ""}\n`);
  const hint = attention.length > 0 ? "  (lake files retry FILE, or lake files set-aside FILE)\n" : "";
  return `Landing files: ${counts.join(", ")}\n${attention.join("")}${hint}`;
}
