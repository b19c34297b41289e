/** `lake files [list | retry FILE | set-aside FILE] [--project DIR] [--json]` */
import {
  type LandingFileStatus,
  listLandingFiles,
  retryFile,
  setAsideFile,
  textTable,
} from "../../lake/index.ts";
import { JSON_OPTION, PROJECT_OPTION, projectFlag } from "../args.ts";
import { CliError } from "../cli-error.ts";
import type { Command } from "../command.ts";
import { printJson } from "../output.ts";

const usage = `Usage: lake files [list] [--project DIR] [--json]
       lake files retry FILE [--project DIR] [--json]
       lake files set-aside FILE [--project DIR] [--json]

Lists the landing files of every source and what became of each:
  waiting    landed, not loaded yet (the next lake run loads it)
  ingested   its lines are in bronze or in <source>_rejects
  rejected   the file as a whole is not the source's CSV (encoding, header, empty); the reason says why
  changed    its bytes changed after it was loaded; the new content is not loaded
  set aside  moved to _set_aside/ in the landing zone; no run reads it
  missing    deleted from the landing zone after it was loaded; its rows stay

retry FILE       load FILE again as it is now, at the next lake run; what it loaded before (rows and
                 rejected lines) is replaced in the same commits. For a fixed or changed file.
set-aside FILE   move FILE out of its source's folder so no run reads it; rows it loaded stay.
FILE is <source>/<file name>, as the list shows it. A rejected file that is replaced in the landing
zone by a fixed one is tried again by the next run without a retry.

Options:
  --project DIR   the project folder (default: the current folder or the nearest parent with lake.json)
  --json          one JSON document: {"files": [...]} for list, {"file", "retry"} or {"file", "movedTo"}
                  for retry and set-aside`;

export const files: Command = {
  summary: "landing files and their state; retry or set aside a rejected or changed file",
  usage,
  options: { ...PROJECT_OPTION, ...JSON_OPTION },
  async run(args, io) {
    const project = projectFlag(args);
    const json = args.values.json === true;
    const [action = "list", file, ...extra] = args.positionals;
    if (extra.length > 0)
      throw new CliError(`lake files ${action} takes one file, got ${args.positionals.length - 1}`);
    if (action === "list") {
      if (file !== undefined)
        throw new CliError(`lake files list takes no file; did you mean "lake files retry ${file}"?`);
      const statuses = await listLandingFiles(project);
      if (json) {
        printJson(io, { files: statuses.map(toJson) });
        return;
      }
      if (statuses.length === 0) {
        io.stdout('No landing files yet: "lake ingest FILE..." lands them.\n');
        return;
      }
      io.stdout(
        `${textTable(
          ["file", "state", "bytes", "rows", "rejected lines", "detail"],
          statuses.map((s) => [
            s.file,
            s.state,
            s.size ?? "",
            s.state === "ingested" || s.state === "changed" ? (s.last?.bronzeRows ?? "") : "",
            s.state === "ingested" || s.state === "changed" ? (s.last?.rejectedLines ?? "") : "",
            detail(s),
          ]),
        )}\n`,
      );
      return;
    }
    if (action !== "retry" && action !== "set-aside")
      throw new CliError(`lake files: unknown action ${action}; use list, retry FILE or set-aside FILE`);
    if (file === undefined)
      throw new CliError(`lake files ${action} needs a FILE (<source>/<file name>; lake files lists them)`);
    if (action === "retry") {
      await retryFile(project, file);
      if (json) printJson(io, { file, retry: true });
      else io.stdout(`${file} will be loaded again by the next lake run.\n`);
    } else {
      const { movedTo } = await setAsideFile(project, file);
      if (json) printJson(io, { file, movedTo });
      else io.stdout(`${file} is set aside: moved to ${movedTo} in the landing zone.\n`);
    }
  },
};

function detail(s: LandingFileStatus): string {
  if (s.state === "changed" && s.last?.event !== "changed")
    return "size or version differs from what was loaded";
  if (s.state === "ingested") return s.last?.runId ? `run ${s.last.runId}` : "";
  return s.last?.reason ?? "";
}

function toJson(s: LandingFileStatus): Record<string, unknown> {
  return {
    file: s.file,
    source: s.source,
    state: s.state,
    bytes: s.size,
    rows: s.last?.bronzeRows ?? null,
    rejectedLines: s.last?.rejectedLines ?? null,
    sha256: s.last?.sha256 ?? null,
    runId: s.last?.runId ?? null,
    at: s.last ? new Date(s.last.at).toISOString() : null,
    detail: detail(s) || null,
  };
}
