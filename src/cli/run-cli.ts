/**
 * The `lake` dispatcher: parses the command name and its flags with node:util `parseArgs`, imports
 * the command lazily, and turns errors into messages and exit codes. No business logic lives here.
 */
import { once } from "node:events";
import { parseArgs } from "node:util";
import {
  DeltaError,
  LAKE_VERSION,
  LakeUsageError,
  LandingError,
  ModelGraphError,
  nearest,
  PipelineDataError,
  ProjectConfigError,
  StorageError,
} from "../lake/index.ts";
import { BUG_EXIT_CODE, CliError, systemErrorMessage } from "./cli-error.ts";
import type { CliIo, Command } from "./command.ts";

const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  init: async () => (await import("./commands/init.ts")).init,
  ingest: async () => (await import("./commands/ingest.ts")).ingest,
  files: async () => (await import("./commands/files.ts")).files,
  run: async () => (await import("./commands/run.ts")).run,
  status: async () => (await import("./commands/status.ts")).status,
  storage: async () => (await import("./commands/storage.ts")).storage,
  query: async () => (await import("./commands/query.ts")).query,
  chart: async () => (await import("./commands/chart.ts")).chart,
  report: async () => (await import("./commands/report.ts")).report,
  generate: async () => (await import("./commands/generate.ts")).generate,
  demo: async () => (await import("./commands/demo.ts")).demo,
  describe: async () => (await import("./commands/describe.ts")).describe,
  history: async () => (await import("./commands/history.ts")).history,
  read: async () => (await import("./commands/read.ts")).read,
  vacuum: async () => (await import("./commands/vacuum.ts")).vacuum,
  optimize: async () => (await import("./commands/optimize.ts")).optimize,
  restore: async () => (await import("./commands/restore.ts")).restore,
  serve: async () => (await import("./commands/serve.ts")).serve,
};

/** The process's real stdout and stderr. */
export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  // A closed pipe never drains; main.ts ends the process on its EPIPE instead.
  drained: () =>
    process.stdout.writableNeedDrain ? once(process.stdout, "drain").then(() => {}) : Promise.resolve(),
};

/**
 * Runs the CLI and returns the exit code: 0 ok, 1 a table, storage or data error, 2 a usage or config
 * error, 70 a bug (printed with its stack and a request to report it).
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === "--version" || name === "-V" || name === "version") {
      io.stdout(`lake ${LAKE_VERSION}\n`);
      return 0;
    }
    if (name === "help" && rest[0] !== undefined) {
      io.stdout(`${(await commandNamed(rest[0])).usage}\n`);
      return 0;
    }
    if (name === undefined || name === "--help" || name === "-h" || name === "help") {
      io.stdout(await overview());
      return 0;
    }
    const command = await commandNamed(name);
    if (rest.includes("--help") || rest.includes("-h")) {
      io.stdout(`${command.usage}\n`);
      return 0;
    }
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({ args: [...rest], options: command.options, allowPositionals: true, strict: true });
    } catch (error) {
      throw new CliError(`${flagProblem(error as Error, command)}\n\n${command.usage}`);
    }
    await command.run(
      {
        values: parsed.values as Record<string, string | boolean | string[] | undefined>,
        positionals: parsed.positionals,
      },
      io,
    );
    return 0;
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr(`lake: ${error.message}\n`);
      return error.exitCode;
    }
    if (
      error instanceof LakeUsageError ||
      error instanceof ProjectConfigError ||
      error instanceof ModelGraphError ||
      error instanceof LandingError
    ) {
      io.stderr(`lake: ${error.message}\n`);
      return 2;
    }
    if (error instanceof DeltaError || error instanceof StorageError || error instanceof PipelineDataError) {
      io.stderr(`lake: ${error.message}\n`);
      return 1;
    }
    const system = systemErrorMessage(error);
    if (system !== undefined) {
      io.stderr(`lake: ${system.message}\n`);
      return system.exitCode;
    }
    io.stderr(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n\n` +
        `lake: this is a bug in lake ${LAKE_VERSION}, not a mistake of yours. Please report it with the command you ran and the output above.\n`,
    );
    return BUG_EXIT_CODE;
  }
}

/** Node's message for a bad flag, with the nearest flag of the command when one was misspelt. */
function flagProblem(error: Error, command: Command): string {
  const unknown = /^Unknown option '(-{1,2})([^']*)'/.exec(error.message);
  if (unknown === null) return error.message;
  const flags = Object.keys(command.options);
  const near = unknown[1] === "--" ? nearest(unknown[2] ?? "", flags) : undefined;
  return `Unknown option '${unknown[1]}${unknown[2]}'.${near ? ` Did you mean --${near}?` : ""}`;
}

/** The command called `name`. @throws CliError naming it, with the nearest command's name. */
async function commandNamed(name: string): Promise<Command> {
  const load = COMMANDS[name];
  if (load === undefined) {
    const near = nearest(name, Object.keys(COMMANDS));
    throw new CliError(
      `Unknown command "${name}".${near ? ` Did you mean "${near}"?` : ""} Run "lake --help" for the list.`,
    );
  }
  return load();
}

async function overview(): Promise<string> {
  const lines = ["Usage: lake <command> [options]", "", "Commands:"];
  for (const [name, load] of Object.entries(COMMANDS))
    lines.push(`  ${name.padEnd(10)} ${(await load()).summary}`);
  lines.push(
    "",
    'Run "lake <command> --help" or "lake help <command>" for the options of a command, "lake --version" for the version.',
    "",
  );
  return lines.join("\n");
}
