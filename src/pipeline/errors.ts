/** Errors of the pipeline that are not config or Delta errors. */

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
