/** Errors of the composition layer: mistakes in how the library or CLI was called. */

/** A usage mistake the user can fix (bad flag value, unsupported location, ...). */
export class LakeUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LakeUsageError";
  }
}
