/** Helpers for reading typed flag values in commands. */
import { CliError } from "./cli-error.ts";
import type { CommandArgs } from "./command.ts";

/** The single positional argument a command requires (e.g. the table location). */
export function onePositional(args: CommandArgs, what: string, usage: string): string {
  const [first, ...extra] = args.positionals;
  if (first === undefined) throw new CliError(`Missing ${what}.\n\n${usage}`);
  if (extra.length > 0) throw new CliError(`Unexpected argument "${extra[0]}".\n\n${usage}`);
  return first;
}

/** A whole number flag (>= 0), or undefined when absent. */
export function intFlag(args: CommandArgs, name: string): number | undefined {
  const value = args.values[name];
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== "string" || !/^\d+$/.test(value) || !Number.isSafeInteger(n)) {
    throw new CliError(`--${name} must be a whole number >= 0, got "${String(value)}"`);
  }
  return n;
}

/** An ISO-8601 timestamp flag as ms since the epoch, or undefined when absent. */
export function timestampFlag(args: CommandArgs, name: string): number | undefined {
  const value = args.values[name];
  if (value === undefined) return undefined;
  const ms = typeof value === "string" ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms))
    throw new CliError(
      `--${name} must be an ISO-8601 timestamp like 2024-05-01T12:00:00Z, got "${String(value)}"`,
    );
  return ms;
}

/** A string flag restricted to `choices`, or `fallback` when absent. */
export function choiceFlag<T extends string>(
  args: CommandArgs,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const value = args.values[name];
  if (value === undefined) return fallback;
  if (typeof value !== "string" || !(choices as readonly string[]).includes(value)) {
    throw new CliError(`--${name} must be one of ${choices.join(", ")}, got "${String(value)}"`);
  }
  return value as T;
}

/** `--project DIR`, which every command that works in a project takes. */
export const PROJECT_OPTION = { project: { type: "string" } } as const;

/** `--json`: the command's result as one JSON document (rows: JSON Lines). */
export const JSON_OPTION = { json: { type: "boolean" } } as const;

/** The project folder of `--project`, or the current folder (its nearest parent with lake.json). */
export function projectFlag(args: CommandArgs): string {
  return typeof args.values.project === "string" ? args.values.project : ".";
}

/** How the table commands' usage describes their TABLE argument. */
export const TABLE_ARGUMENT = `TABLE is a table of the project as zone.table (silver.sales_enriched; _system.runs is the run
log), found from --project DIR or the current folder, or any Delta table location: ./path,
/abs/path, file:///abs/path, s3://bucket/prefix (write ./silver.x for a folder named like a table).`;

/** The row format of `--format`, `jsonl` when `--json` is given (rows are JSON Lines). */
export function rowFormatFlag<T extends string>(
  args: CommandArgs,
  choices: readonly T[],
  fallback: T,
): T | "jsonl" {
  if (args.values.json === true) {
    if (args.values.format !== undefined && args.values.format !== "jsonl")
      throw new CliError(
        `--json prints JSON Lines; it does not go with --format ${String(args.values.format)}`,
      );
    return "jsonl";
  }
  return choiceFlag(args, "format", choices, fallback);
}
