/**
 * Progress of long work on a DuckDB session: while the work runs, a tick at a fixed interval says
 * how long it has been running and how far DuckDB is through the statement running now. DuckDB
 * estimates per statement (rows processed of rows to process), so the percentage restarts with
 * every statement of a multi-statement step.
 */
import type { DuckDbSession } from "./duckdb-session.ts";

/** One progress report. */
export interface QueryProgressTick {
  /** Time since the work started, ms. */
  readonly elapsedMs: number;
  /** How far the running statement is, 0-100; undefined when DuckDB cannot tell (or none runs). */
  readonly percent: number | undefined;
}

/** Runs `work`, calling `report` every `intervalMs` until it settles; returns what `work` returns. */
export async function withQueryProgress<T>(
  session: DuckDbSession,
  report: (tick: QueryProgressTick) => void,
  work: () => Promise<T>,
  intervalMs = 5000,
): Promise<T> {
  const started = performance.now();
  const timer = setInterval(() => {
    const { percentage } = session.connection.progress;
    report({
      elapsedMs: performance.now() - started,
      percent: percentage >= 0 ? Math.min(100, Math.floor(percentage)) : undefined,
    });
  }, intervalMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
