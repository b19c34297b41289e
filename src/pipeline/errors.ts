/** Errors of the pipeline that are not config or Delta errors. */
import type { LeaseRecord } from "./run-lease.ts";

/** A problem with the data itself (a file, a row count), as opposed to the config or the call. */
export class PipelineDataError extends Error {}

/** The pipeline's own row accounting does not add up: a bug or a concurrent change; nothing is hidden. */
export class AccountingError extends PipelineDataError {
  constructor(message: string) {
    super(`Row accounting failed: ${message}`);
    this.name = "AccountingError";
  }
}

/** A file handed to `lake ingest` cannot go to the landing zone. */
export class LandingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LandingError";
  }
}

/** A run cannot take or keep the project's run lease (see run-lease.ts); the CLI exits 1. */
export class RunLeaseError extends PipelineDataError {}

/** Another run holds the project's run lease, still after waiting `waitedMs`. */
export class RunLeaseHeldError extends RunLeaseError {
  constructor(
    /** Where the lease lives (`<system directory>/lease`). */
    readonly location: string,
    readonly holder: LeaseRecord,
    readonly waitedMs: number,
  ) {
    const started = new Date(holder.startedAt).toISOString();
    const waited = waitedMs > 0 ? `, still after waiting ${Math.round(waitedMs / 1000)} s` : "";
    super(
      `another run (${holder.runId}, ${holder.host}, started at ${started}) holds the project${waited}: ` +
        `wait for it to finish (lake run --wait SECONDS), or, if that run (pid ${holder.pid}) was killed, ` +
        `run again after its lease expires at ${new Date(holder.expiresAt).toISOString()} (lease in ${location})`,
    );
    this.name = "RunLeaseHeldError";
  }
}

/** The run lost its lease (expired before renewal, or taken over): it must stop writing. */
export class RunLeaseLostError extends RunLeaseError {
  constructor(
    readonly location: string,
    readonly runId: string,
    readonly reason: string,
  ) {
    super(
      `run ${runId} lost its lease on the project (${location}): ${reason}. It stops so that two runs never ` +
        "write at once; what it committed is kept, and the next lake run continues from there",
    );
    this.name = "RunLeaseLostError";
  }
}

/**
 * The run was asked to stop (SIGTERM, SIGINT) and stopped at a safe point: it started no new step,
 * and what it committed is kept. The next run completes the work.
 */
export class RunInterruptedError extends PipelineDataError {
  constructor(
    /** What asked it to stop: `SIGTERM`, `SIGINT`. */
    readonly signal: string,
    /** The steps it completed (`bronze.sales`, `silver.sales_enriched`), in order. */
    readonly done: readonly string[],
    options?: ErrorOptions,
  ) {
    super(
      `the run was interrupted by ${signal} and stopped ${done.length > 0 ? `after ${done.join(", ")}` : "before completing any step"}; ` +
        "what it committed is kept, and the next lake run completes the work",
      options,
    );
    this.name = "RunInterruptedError";
  }
}
