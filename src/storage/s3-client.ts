/**
 * The S3 client every S3 part of the product uses, configured in one place. Credentials come only
 * from the AWS SDK's default provider chain (environment, shared profile, IAM role through IMDSv2):
 * never from the project's config, and never printed.
 */
import { S3Client } from "@aws-sdk/client-s3";

/** How to reach S3 or an S3-compatible server. */
export interface S3ConnectionOptions {
  /** The region; default: the SDK's (`AWS_REGION`, the profile), else `us-east-1`. */
  readonly region?: string;
  /** An S3-compatible server (`http://127.0.0.1:9000`); default `AWS_ENDPOINT_URL_S3`, else AWS. */
  readonly endpoint?: string;
  /** Path-style addressing (`endpoint/bucket/key`); needed by most S3-compatible servers. */
  readonly forcePathStyle?: boolean;
  /** Attempts per request, the first included, for throttling, 5xx and network errors (default 5). */
  readonly maxAttempts?: number;
  /** Time to open a connection, ms (default 5,000). */
  readonly connectionTimeoutMs?: number;
  /**
   * Time a connection may stay idle (no byte sent or received) before the request fails and is
   * retried, ms (default 60,000). There is no bound on a whole request: large transfers take long.
   */
  readonly idleTimeoutMs?: number;
}

/** A client with the given options. */
export function createS3Client(options: S3ConnectionOptions = {}): S3Client {
  const endpoint = options.endpoint ?? process.env.AWS_ENDPOINT_URL_S3;
  return new S3Client({
    region: options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1",
    ...(endpoint === undefined ? {} : { endpoint }),
    // S3-compatible servers on an address of their own rarely have per-bucket host names.
    forcePathStyle: options.forcePathStyle ?? endpoint !== undefined,
    // The SDK's standard strategy: exponential backoff with full jitter, retry quotas, and retries
    // of throttling, 5xx, timeouts and connection resets.
    maxAttempts: options.maxAttempts ?? 5,
    retryMode: "standard",
    requestHandler: {
      connectionTimeout: options.connectionTimeoutMs ?? 5_000,
      // The socket idle timeout is what ends a stalled reply (the handler's requestTimeout only logs).
      socketTimeout: options.idleTimeoutMs ?? 60_000,
    },
    // Checksums only where S3 requires them: S3-compatible servers (Ceph before 18) refuse the
    // SDK's default aws-chunked uploads with 411 MissingContentLength.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}
