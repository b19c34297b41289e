/** The errors report/ throws on purpose: a chart that cannot be drawn from its design and rows. */

/** Base class of every error report/ throws on purpose. */
export class ReportError extends Error {
  override name = "ReportError";
}

/** A channel names a column the rows do not have. */
export class ChartFieldError extends ReportError {
  override name = "ChartFieldError";

  /** `channel` is x, y or color; `columns` are the result's columns. */
  constructor(
    readonly chart: string,
    readonly channel: string,
    readonly field: string,
    readonly columns: readonly string[],
  ) {
    super(
      `${chart}: ${channel} is the column "${field}", which the query does not return; its columns are ${columns.join(", ") || "(none)"}`,
    );
  }
}

/** A channel's format is neither a named format nor a d3-format string. */
export class ChartFormatError extends ReportError {
  override name = "ChartFormatError";

  constructor(
    readonly chart: string,
    readonly field: string,
    readonly format: string,
  ) {
    super(
      `${chart}: "${format}" (the format of ${field}) is not a format: use currency, integer, number, percent, month, date, or a d3-format string like ",.2f"`,
    );
  }
}
