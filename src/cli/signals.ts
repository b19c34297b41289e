/**
 * SIGINT and SIGTERM during a long command: the first asks it to stop at its next safe point (an
 * AbortSignal whose reason is the signal's name); a second one exits at once.
 */
import type { CliIo } from "./command.ts";

/** The conventional exit codes of a process ended by a signal: 128 + the signal's number. */
export const SIGNAL_EXIT_CODES: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143 };

/** Runs `work` with SIGINT and SIGTERM turned into an abort of the signal it gets. */
export async function withStopSignals<T>(io: CliIo, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(SIGNAL_EXIT_CODES[name] ?? 1);
    io.stderr(`lake: ${name} received: stopping at the next safe point (send it again to stop at once)\n`);
    controller.abort(name);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    return await work(controller.signal);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
