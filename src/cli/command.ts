/** The shape of one CLI command and the side effects it may use. */
import type { ParseArgsConfig } from "node:util";

/** Where a command writes; tests pass their own to capture output. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
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
