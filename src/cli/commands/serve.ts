/** `lake serve [--port N] [--host H] [--token T] [--project DIR]` */
import { startDashboard, UnsafeBindError } from "../../web/index.ts";
import { intFlag, PROJECT_OPTION, projectFlag } from "../args.ts";
import { CliError } from "../cli-error.ts";
import type { Command } from "../command.ts";
import { withStopSignals } from "../signals.ts";

const usage = `Usage: lake serve [--port N] [--host H] [--token T] [--project DIR]

Serves the dashboard of the project: tables, versions and time travel, the marts' charts, data
quality, lineage and a read-only SQL console. It listens on 127.0.0.1 (this machine only) unless
--host says otherwise; reach it from elsewhere through an SSH tunnel or an SSM port forward.
It never writes: the console runs one SELECT at a time on a DuckDB confined to the lake's files.
Stop it with Ctrl+C.

Options:
  --port N        the port (default 4300; 0 picks a free one)
  --host H        the address to listen on (default 127.0.0.1); any other than a loopback address
                  needs --token
  --token T       an access token every request must carry (default: $LAKE_SERVE_TOKEN); open the
                  printed address once, with ?token=…, and the browser keeps it in a cookie
  --project DIR   the project folder (default: the current folder or the nearest parent with lake.json)`;

export const serve: Command = {
  summary: "the dashboard: tables, time travel, charts, quality, lineage, SQL (read-only)",
  usage,
  options: {
    port: { type: "string" },
    host: { type: "string" },
    token: { type: "string" },
    ...PROJECT_OPTION,
  },
  async run(args, io) {
    if (args.positionals.length > 0)
      throw new CliError(`Unexpected argument "${args.positionals[0]}".\n\n${usage}`);
    const port = intFlag(args, "port") ?? 4300;
    if (port > 65535) throw new CliError(`--port must be from 0 to 65535, got ${port}`);
    const host = typeof args.values.host === "string" ? args.values.host : "127.0.0.1";
    const token =
      typeof args.values.token === "string" ? args.values.token : process.env.LAKE_SERVE_TOKEN || undefined;
    let running: Awaited<ReturnType<typeof startDashboard>>;
    try {
      running = await startDashboard({
        projectDir: projectFlag(args),
        host,
        port,
        ...(token ? { token } : {}),
      });
    } catch (error) {
      if (error instanceof UnsafeBindError) throw new CliError(error.message);
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EADDRINUSE")
        throw new CliError(`Port ${port} on ${host} is in use; choose another with --port`, 1);
      if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND" || code === "EAI_AGAIN")
        throw new CliError(`Cannot listen on ${host}: it is not an address of this machine (${code})`);
      if (code === "EACCES")
        throw new CliError(`Not allowed to listen on port ${port}; choose one above 1023`, 1);
      throw error;
    }
    io.stdout(`Dashboard at ${running.url}\nStop it with Ctrl+C.\n`);
    // The server holds no work to finish: the first signal closes it.
    await withStopSignals(
      io,
      (signal) => new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true })),
    );
    await running.close();
  },
};
