/** The shape of one CLI command and the side effects it may use. */
import type { ParseArgsConfig } from "node:util";

/** Where a command writes; tests pass their own to capture output. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /**
   * Resolves when stdout has taken what was written so far (at once when it has room): a command
   * printing many rows awaits it between batches, so a slow reader slows the command instead of
   * filling memory.
   */
  drained(): Promise<void>;
}

/** Parsed flags and positionals of a command. */
export interface CommandArgs {
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>;
  readonly positionals: readonly string[];
}

export interface Command {
  /** One line for `lake --help`. */
  readonly summary: string;
  /** Usage text for `lake <command> --help`. */
  readonly usage: string;
  /** Flags, in node:util parseArgs form. */
  readonly options: NonNullable<ParseArgsConfig["options"]>;
  run(args: CommandArgs, io: CliIo): Promise<void>;
}
