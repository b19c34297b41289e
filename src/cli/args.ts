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
