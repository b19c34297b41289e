/**
 * Turns a table location given by a user (`./path`, `/abs/path`, `file:///abs/path`) into an
 * ObjectStore rooted at the table.
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { LocalStore, type ObjectStore } from "../storage/index.ts";
import { LakeUsageError } from "./errors.ts";

/**
 * The store of the table at `uri`.
 * @throws LakeUsageError for schemes that are not supported (yet).
 */
export function storeForLocation(uri: string): ObjectStore {
  if (uri.startsWith("file:")) return new LocalStore(fileURLToPath(uri));
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]+):\/\//.exec(uri)?.[1];
  if (scheme !== undefined) {
    throw new LakeUsageError(
      `Unsupported location ${uri}: only local folders and file:// URIs are supported so far`,
    );
  }
  return new LocalStore(resolve(uri));
}
