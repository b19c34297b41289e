/**
 * The storage module's public face: the `ObjectStore` port, its errors and key rules, and the stores
 * that implement it. Other modules import storage only from here.
 */
export {
  InvalidKeyError,
  LocalWriteError,
  ObjectExistsError,
  ObjectNotFoundError,
  StorageError,
} from "./errors.ts";
export { compareKeys, sortKeys, validateKey, validatePrefix } from "./key.ts";
export { makeFolders } from "./local-root.ts";
export { LocalStore } from "./local-store.ts";
export { MemoryStore, type MemoryStoreOptions } from "./memory-store.ts";
export type { ListOptions, ObjectMeta, ObjectStore, PutOptions } from "./object-store.ts";
export { prefixedStore } from "./prefixed-store.ts";
export { createS3Client, type S3ConnectionOptions } from "./s3-client.ts";
export { S3RequestError } from "./s3-errors.ts";
export { parseS3Url, S3_STORE_ACTIONS, S3Store, type S3StoreOptions } from "./s3-store.ts";
export { isAlive, ownedName, ownerOf, removeLeftBehind, type StagingOwner } from "./staging-owner.ts";
