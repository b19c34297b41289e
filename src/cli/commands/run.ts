/** `lake run [--select MODEL]... [--full-refresh] [--wait SECONDS] [--project DIR] [--json]` */
import { RunInterruptedError, runProject } from "../../lake/index.ts";
import { intFlag } from "../args.ts";
import { CliError } from "../cli-error.ts";
import type { Command } from "../command.ts";
import { printJson } from "../output.ts";
import { runSummary } from "../run-summary.ts";
import { SIGNAL_EXIT_CODES, withStopSignals } from "../signals.ts";

const usage = `Usage: lake run [--select MODEL]... [--full-refresh] [--wait SECONDS] [--project DIR] [--json]

Runs the pipeline on what is new since the last run:
  bronze   every landing file not yet loaded → bronze.<source> (columns as text, with _ingested_at,
           _source_file, _source_row); malformed lines → bronze.<source>_rejects with the reason
  models   the models of lake.json in dependency order, each by its kind: table (rebuilt when its SQL
           or an input changed), incremental (only the new rows of its stream input; expectations,
           quarantine, deduplication, merge), partitions (only the partitions its inputs' changes
           touch), dimension (latest row per natural key, stable surrogate keys)
Every run is recorded in lake/_system/runs. Re-running with nothing new changes nothing.
SIGTERM or SIGINT (Ctrl-C) stops the run at its next safe point: it is recorded as interrupted, what
it committed is kept, and it exits 143 (130 for SIGINT); the next run completes the work. A second
signal exits at once.
One run at a time per project: a run holds a lease in lake/_system/lease (renewed every 10 s, expiring
60 s after its last renewal). Another run exits 1 saying which run holds the project, or waits with
--wait; the lease of a run that was killed is taken over once it expires.

Options:
  --select SEL     run only: bronze or a source's name; a zone (silver, gold); a model (sales_enriched);
                   +model (with the models it reads), model+ (with the models that read it); repeat
                   for several
  --full-refresh   rebuild every model from all of its inputs (surrogate keys stay the same)
  --wait SECONDS   when another run holds the project, wait up to this long for it to finish
                   (default 0: exit 1 at once)
  --project DIR    the project folder (default: the current folder or the nearest parent with lake.json)
  --json           print what the run did as one JSON document (no progress lines)

When it ends, a run prints each step (a source's bronze load, a model) with its time, its input rows,
the rows it wrote, quarantined or rejected, and every expectation with its action and failing rows.`;

export const run: Command = {
  summary: "run the pipeline: landing → bronze → silver → gold, incrementally",
  usage,
  options: {
    select: { type: "string", multiple: true },
    "full-refresh": { type: "boolean" },
    wait: { type: "string" },
    project: { type: "string" },
    json: { type: "boolean" },
  },
  async run(args, io) {
    const projectDir = typeof args.values.project === "string" ? args.values.project : ".";
    const json = args.values.json === true;
    const select = Array.isArray(args.values.select) ? args.values.select : undefined;
    const waitSeconds = intFlag(args, "wait") ?? 0;
    const started = performance.now();
    const result = await withStopSignals(io, (signal) =>
      runProject(
        projectDir,
        {
          fullRefresh: args.values["full-refresh"] === true,
          ...(select ? { select } : {}),
          waitMs: waitSeconds * 1000,
          signal,
        },
        json ? () => {} : (line: string) => io.stdout(`${line}\n`),
      ),
    ).catch((error: unknown) => {
      if (error instanceof RunInterruptedError)
        throw new CliError(error.message, SIGNAL_EXIT_CODES[error.signal] ?? 1);
      throw error;
    });
    const seconds = (performance.now() - started) / 1000;
    if (json) printJson(io, { ...result, seconds });
    else io.stdout(`\n${runSummary(result, seconds)}`);
  },
};
