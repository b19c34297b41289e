/**
 * Errors of the Delta protocol layer. One family, each class carrying the data a caller needs to act;
 * messages say what happened, where (table location, version, file) and what to do.
 */

/** Base class of every Delta error. */
export class DeltaError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The location holds no Delta table (no `_delta_log` commits). */
export class TableNotFoundError extends DeltaError {
  constructor(readonly location: string) {
    super(`No Delta table at ${location}: there is no _delta_log/ with commits`);
  }
}

/** The table needs a protocol version or feature this implementation does not support. */
export class UnsupportedFeatureError extends DeltaError {
  constructor(
    readonly location: string,
    readonly feature: string,
    readonly access: "read" | "write",
  ) {
    super(
      `Cannot ${access} the Delta table at ${location}: it requires the unsupported ${access === "read" ? "reader" : "writer"} feature "${feature}"`,
    );
  }
}

/**
 * An operation would remove data from a table with `delta.appendOnly=true` ("Append-only Tables"):
 * only appends and rewrites that keep the data (`dataChange: false`, such as OPTIMIZE) may commit.
 */
export class AppendOnlyTableError extends DeltaError {
  /** The table property that forbids it. */
  readonly property = "delta.appendOnly";
  constructor(
    readonly location: string,
    /** What was refused, as a verb phrase: `overwrite`, `delete from`, `restore`, `commit MERGE to`. */
    readonly operation: string,
  ) {
    super(
      `Cannot ${operation} the Delta table at ${location}: it is append-only (delta.appendOnly=true), so data can be added but not removed; set delta.appendOnly=false first if removing data is intended`,
    );
  }
}

/** The log is malformed: corrupt JSON, missing required action, gap in versions, bad checkpoint. */
export class CorruptLogError extends DeltaError {
  constructor(
    readonly location: string,
    readonly file: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`Corrupt Delta log at ${location}/${file}: ${reason}`, options);
  }
}

/** The requested version or timestamp cannot be reconstructed from the log. */
export class VersionNotAvailableError extends DeltaError {
  constructor(
    readonly location: string,
    readonly requested: string,
    readonly reason: string,
  ) {
    super(`Cannot load ${requested} of the Delta table at ${location}: ${reason}`);
  }
}

/** A data or deletion-vector file the snapshot references is missing (for example vacuumed). */
export class MissingDataFileError extends DeltaError {
  constructor(
    readonly location: string,
    readonly path: string,
    readonly version: number,
    options?: ErrorOptions,
  ) {
    super(
      `Data file ${path} of version ${version} is missing from ${location} (was it vacuumed?); this version cannot be read`,
      options,
    );
  }
}

/** Rows or a schema given to a write do not match the table's schema. */
export class SchemaMismatchError extends DeltaError {
  constructor(
    readonly location: string,
    readonly problems: readonly string[],
  ) {
    super(`Schema mismatch writing to ${location}: ${problems.join("; ")}`);
  }
}

/**
 * A value a Delta table cannot hold: a date or timestamp outside the years 0001–9999
 * (`DATE_RANGE` in values.ts), which Spark and other readers cannot represent or read back exactly.
 */
export class ValueOutOfRangeError extends DeltaError {
  constructor(
    readonly column: string,
    /** The value as the engine prints it, e.g. `0001-01-01 (BC)` for the year 0. */
    readonly value: string,
    readonly type: string,
  ) {
    super(
      `Column ${column} holds the ${type} ${value}, outside the years 0001 to 9999 that a Delta ${type} holds; nothing was written. Filter or fix such values before writing (in a model, an expectation can quarantine them).`,
    );
  }
}

/** A concurrent commit conflicts with this transaction under the Delta conflict rules. */
export class CommitConflictError extends DeltaError {
  constructor(
    readonly location: string,
    readonly version: number,
    readonly reason: string,
  ) {
    super(`Commit to ${location} conflicts with concurrent version ${version}: ${reason}`);
  }
}

/** The commit kept losing races past the retry limit. */
export class CommitRetriesExhaustedError extends DeltaError {
  constructor(
    readonly location: string,
    readonly attempts: number,
  ) {
    super(
      `Gave up committing to ${location} after ${attempts} attempts: other writers kept committing first; try again later`,
    );
  }
}

/** An invalid argument to a table operation (unknown column, bad retention, ...). */
export class InvalidOperationError extends DeltaError {}
