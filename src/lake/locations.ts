/**
 * Turns a table location given by a user (`./path`, `/abs/path`, `file:///abs/path`,
 * `s3://bucket/prefix`) into an ObjectStore rooted at the table. S3 is reached as the AWS SDK's
 * environment says (credentials, region, and `AWS_ENDPOINT_URL_S3` for an S3-compatible server).
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  createS3Client,
  LocalStore,
  type ObjectStore,
  parseS3Url,
  S3Store,
  StorageError,
} from "../storage/index.ts";
import { LakeUsageError } from "./errors.ts";

/**
 * The store of the table at `uri`.
 * @throws LakeUsageError for schemes that are not supported (yet).
 */
export function storeForLocation(uri: string): ObjectStore {
  if (uri.startsWith("file:")) return new LocalStore(fileURLToPath(uri));
  if (uri.startsWith("s3://")) {
    try {
      return new S3Store({ client: createS3Client(), ...parseS3Url(uri) });
    } catch (error) {
      if (error instanceof StorageError) throw new LakeUsageError(error.message);
      throw error;
    }
  }
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]+):\/\//.exec(uri)?.[1];
  if (scheme !== undefined) {
    throw new LakeUsageError(
      `Unsupported location ${uri}: use a local folder, a file:// URI or an s3://bucket/prefix location`,
    );
  }
  return new LocalStore(resolve(uri));
}
