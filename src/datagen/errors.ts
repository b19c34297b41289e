/**
 * The errors datagen throws on purpose, one family: each says what is wrong, where, and what to do,
 * and carries the data a caller needs to react (the CLI turns them into usage errors).
 */

/** Base class of every error datagen throws on purpose. */
export class DatagenError extends Error {
  override name = "DatagenError";
}

/** An option of `generateDataset` is out of range or not a whole number. */
export class DatasetOptionsError extends DatagenError {
  override name = "DatasetOptionsError";

  /** `option` is the option's name (`rows`, `seed`, …), `expected` says what it accepts. */
  constructor(
    readonly option: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super(`${option} must be ${expected}, got ${String(value)}`);
  }
}

/** The output folder holds something the generator did not write, so it refuses to write there. */
export class OutputDirError extends DatagenError {
  override name = "OutputDirError";

  /** `entry` is the first name in `dir` that is not a dataset file. */
  constructor(
    readonly dir: string,
    readonly entry: string,
  ) {
    super(
      `Refusing to write the dataset into ${dir}: it holds "${entry}", which the generator does not write. Use an empty or new folder.`,
    );
  }
}
