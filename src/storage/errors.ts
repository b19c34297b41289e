/** Errors of the storage layer. Each carries the key and the store location it is about. */

/** Base class of every storage error. */
export class StorageError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The key does not exist in the store. */
export class ObjectNotFoundError extends StorageError {
  constructor(
    readonly location: string,
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super(`Object not found: ${key} in ${location}`, options);
  }
}

/** A put-if-absent lost: the key already exists. */
export class ObjectExistsError extends StorageError {
  constructor(
    readonly location: string,
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super(`Object already exists: ${key} in ${location}`, options);
  }
}

/** The key is not a valid relative key (see `ObjectStore`); nothing was read or written. */
export class InvalidKeyError extends StorageError {
  constructor(
    readonly key: string,
    readonly reason: string,
  ) {
    super(`Invalid object key ${JSON.stringify(key)}: ${reason}`);
  }
}

/** What a file system error code of a refused write means, for the codes a user can do something about. */
const WRITE_PROBLEMS: Readonly<Record<string, string>> = {
  ENOSPC: "no space left on the device",
  EDQUOT: "the disk quota is exceeded",
  EFBIG: "the file is too large for the file system",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "the file system is read-only",
  ENOTDIR: "a file is in the way where a folder should be",
  EEXIST: "a file is in the way where a folder should be",
  EISDIR: "a folder is in the way where a file should be",
};

/** The local file system refused a write: no space, no permission, a file where a folder should be. */
export class LocalWriteError extends StorageError {
  constructor(
    /** The file or folder that could not be written. */
    readonly path: string,
    /** The system error code (`ENOSPC`, `EACCES`, ...). */
    readonly code: string,
    options?: ErrorOptions,
  ) {
    super(`Cannot write ${path}: ${WRITE_PROBLEMS[code] ?? code} (${code})`, options);
  }

  /**
   * `error` as a LocalWriteError about `path` (the error's own path when it names one) when it is a
   * file system error a user can fix; otherwise `error` itself.
   */
  static from(error: unknown, path: string): unknown {
    if (error instanceof StorageError || !(error instanceof Error)) return error;
    const { code, path: own } = error as NodeJS.ErrnoException;
    if (code === undefined || !(code in WRITE_PROBLEMS)) return error;
    return new LocalWriteError(own ?? path, code, { cause: error });
  }
}
