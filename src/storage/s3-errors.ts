/**
 * How S3Store tells S3 and SDK errors apart: a missing key, a lost put-if-absent, a conditional-write
 * conflict, a reply that broke off mid-body, and every other failure as an S3RequestError that names
 * the operation and the location, never a credential.
 */
import { S3ServiceException } from "@aws-sdk/client-s3";
import { ObjectExistsError, ObjectNotFoundError, StorageError } from "./errors.ts";

/** An S3 request failed for a reason other than a missing key or a lost put-if-absent. */
export class S3RequestError extends StorageError {
  constructor(
    readonly operation: string,
    readonly location: string,
    readonly status: number | undefined,
    readonly code: string,
    options?: ErrorOptions,
  ) {
    super(
      `S3 ${operation} ${location} failed: ${code}${status === undefined ? "" : ` (HTTP ${status})`}`,
      options,
    );
  }
}

/** The storage error for an SDK error of `operation` on `key` of the store at `location`. */
export function s3Failure(location: string, operation: string, key: string, error: unknown): Error {
  if (error instanceof StorageError) return error;
  const status = error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
  const code = error instanceof Error ? error.name : String(error);
  // Only a missing key is "not found"; a missing bucket or upload is a request error. (HEAD has no
  // body, so a HEAD in a missing bucket also says NotFound; listing and GET tell them apart.)
  if (code === "NoSuchKey" || code === "NotFound") {
    return new ObjectNotFoundError(location, key, { cause: error });
  }
  if (status === 412 || code === "PreconditionFailed") {
    return new ObjectExistsError(location, key, { cause: error });
  }
  const detail = code === "NoSuchBucket" ? "NoSuchBucket: the bucket does not exist" : describe(error);
  return new S3RequestError(operation, `${location}/${key}`, status, detail, { cause: error });
}

export function isConditionalConflict(error: unknown): boolean {
  return error instanceof Error && error.name === "ConditionalRequestConflict";
}

/**
 * An error from a reply that started well and then broke off: no error status, and Node's "aborted"
 * of a reply cut mid-body (the SDK does not retry once a reply has started).
 */
export function isBrokenReply(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const code = (error as { code?: string }).code;
  return (
    (status === undefined || status < 300) &&
    error instanceof Error &&
    (error.message === "aborted" || code === "ERR_STREAM_PREMATURE_CLOSE")
  );
}

/** How many attempts the SDK made for the failed request (1 when unknown). */
export function attempts(error: unknown): number {
  return (error as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1;
}

/** The error's code and message, without anything from the request (no credentials, no headers). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const message = error.message && error.message !== "UnknownError" ? `: ${error.message}` : "";
  return `${error.name}${message}`;
}
