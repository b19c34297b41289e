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
