/** `lake status [--project DIR] [--json]` */
import { describeHolder, type LandingFileStatus, projectStatus, textTable } from "../../lake/index.ts";
import { JSON_OPTION, PROJECT_OPTION, projectFlag } from "../args.ts";
import type { Command } from "../command.ts";
import { printJson } from "../output.ts";

const usage = `Usage: lake status [--project DIR] [--json]

Shows the last recorded run (its status, when it ended and how long it took), the run that holds the
project now, if one does, the landing files (waiting, loaded, rejected, changed; "lake files" lists
them), and the project's tables in every zone with their version, files, rows and last commit.
Every run is in the table _system.runs: lake query "SELECT * FROM _system.runs".

Options:
  --project DIR   the project folder (default: the current folder or the nearest parent with lake.json)
  --json          one JSON document: {"project", "lastRun", "running", "landingFiles", "tables"}`;

type Status = Awaited<ReturnType<typeof projectStatus>>;

export const status: Command = {
  summary: "tables, versions, row counts and freshness of a project, and its last run",
  usage,
  options: { ...PROJECT_OPTION, ...JSON_OPTION },
  async run(args, io) {
    const status = await projectStatus(projectFlag(args));
    if (args.values.json) printJson(io, statusDocument(status));
    else io.stdout(statusText(status));
  },
};

/** The status as one JSON document; times are ISO-8601, durations in seconds. */
function statusDocument({ project, tables, lastRun, running, files }: Status): unknown {
  return {
    project: { name: project.name, root: project.root },
    lastRun:
      lastRun === undefined
        ? null
        : {
            runId: lastRun.runId,
            status: lastRun.status,
            startedAt: new Date(lastRun.startedAt).toISOString(),
            endedAt: new Date(lastRun.endedAt).toISOString(),
            seconds: (lastRun.endedAt - lastRun.startedAt) / 1000,
            error: lastRun.error,
          },
    running:
      running === undefined
        ? null
        : {
            ...running,
            startedAt: new Date(running.startedAt).toISOString(),
            renewedAt: new Date(running.renewedAt).toISOString(),
            expiresAt: new Date(running.expiresAt).toISOString(),
          },
    landingFiles: files,
    tables,
  };
}

// Sections in order: the project, its runs, the landing files, then the tables.
function statusText({ project, tables, lastRun, running, files }: Status): string {
  const lines = [`Project ${project.name} (${project.root})`];
  if (lastRun) {
    const took = ((lastRun.endedAt - lastRun.startedAt) / 1000).toFixed(1);
    lines.push(
      `Last run ${lastRun.runId}: ${lastRun.status} at ${new Date(lastRun.endedAt).toISOString()} after ${took} s${lastRun.error ? `: ${lastRun.error}` : ""}`,
    );
  } else lines.push('No run yet: "lake run" loads the landing zone.');
  if (running) {
    const expires = new Date(running.expiresAt).toISOString();
    lines.push(`Running now: ${describeHolder(running)}; its lease expires at ${expires} unless renewed`);
  }
  lines.push(...landingSummary(files));
  if (tables.length === 0) {
    lines.push('No tables yet: "lake ingest FILE..." then "lake run".');
  } else {
    const rows = tables.map((t) => [
      `${t.zone}.${t.table}`,
      t.version,
      t.files,
      t.rows ?? "unknown",
      t.lastCommit,
    ]);
    lines.push("", textTable(["table", "version", "files", "rows", "last commit"], rows));
  }
  return `${lines.join("\n")}\n`;
}

/** How many landing files wait, and each one that was rejected or changed, with why. */
function landingSummary(files: readonly LandingFileStatus[]): string[] {
  if (files.length === 0) return [];
  const count = (state: LandingFileStatus["state"]) => files.filter((f) => f.state === state).length;
  const counts = (["waiting", "ingested", "rejected", "changed", "set aside", "missing"] as const)
    .map((state) => [state, count(state)] as const)
    .filter(([, n]) => n > 0)
    .map(([state, n]) => `${n} ${state}`);
  const attention = files
    .filter((f) => f.state === "rejected" || f.state === "changed")
    .map((f) => `  ${f.file}: ${f.state}${f.last?.reason ? `: ${f.last.reason}` : ""}`);
  const hint = attention.length > 0 ? ["  (lake files retry FILE, or lake files set-aside FILE)"] : [];
  return [`Landing files: ${counts.join(", ")}`, ...attention, ...hint];
}
