/**
 * What an S3 bucket has set, read back with the SDK: versioning, the public access block, default
 * encryption, the bucket policy and the lifecycle rules. A setting the server does not support is
 * read as `{ supported: false, reason }` rather than failing, so `lake storage status` can show the
 * rest; any other failure (no permission, wrong region, network) throws `S3RequestError`.
 */
import {
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  type LifecycleRule,
  type S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { S3RequestError, StorageError } from "../storage/index.ts";
import type { PolicyStatement } from "./bucket-settings.ts";

/** A setting as read back, or why this server cannot say. */
export type SettingReadback<T> =
  | { readonly supported: true; readonly value: T }
  | { readonly supported: false; readonly reason: string };

/** `Unversioned`: versioning was never enabled (S3 reports no status at all). */
export type VersioningStatus = "Enabled" | "Suspended" | "Unversioned";

/** The four flags of S3 Block Public Access. */
export interface PublicAccessBlockFlags {
  readonly BlockPublicAcls: boolean;
  readonly IgnorePublicAcls: boolean;
  readonly BlockPublicPolicy: boolean;
  readonly RestrictPublicBuckets: boolean;
}

/** The bucket's default encryption (undefined: none). */
export interface DefaultEncryption {
  /** `AES256` (SSE-S3), `aws:kms`, `aws:kms:dsse`. */
  readonly algorithm: string;
  readonly kmsKeyId?: string;
}

/** A bucket policy document (undefined in `BucketState`: the bucket has none). */
export interface PolicyDocument {
  readonly Version?: string;
  readonly Id?: string;
  readonly Statement: readonly PolicyStatement[];
}

/** Everything `lake storage` manages on one bucket, as it is now. */
export interface BucketState {
  readonly bucket: string;
  readonly exists: boolean;
  /** `aws`, `aws-cn` or `aws-us-gov`: the partition in the bucket's ARNs. */
  readonly arnPartition: string;
  readonly versioning: SettingReadback<VersioningStatus>;
  readonly publicAccessBlock: SettingReadback<PublicAccessBlockFlags>;
  readonly encryption: SettingReadback<DefaultEncryption | undefined>;
  readonly policy: SettingReadback<PolicyDocument | undefined>;
  readonly lifecycleRules: SettingReadback<readonly LifecycleRule[]>;
}

/**
 * Reads the bucket's settings. A missing bucket reads as `exists: false` with the settings of a new
 * bucket (nothing set).
 * @throws S3RequestError when a read fails for a reason other than "not set" or "not supported".
 */
export async function readBucketState(client: S3Client, bucket: string): Promise<BucketState> {
  const arnPartition = partitionOf(await client.config.region());
  if (!(await bucketExists(client, bucket))) return newBucketState(bucket, arnPartition);
  const [versioning, publicAccessBlock, encryption, policy, lifecycleRules] = await Promise.all([
    // Versioning always answers: no status means never enabled.
    readSetting("GetBucketVersioning", bucket, undefined, async () => {
      const output = await client.send(new GetBucketVersioningCommand({ Bucket: bucket }));
      return (output.Status ?? "Unversioned") as VersioningStatus;
    }),
    readSetting("GetPublicAccessBlock", bucket, PUBLIC_ACCESS_BLOCK_NOT_SET, async () => {
      const flags = (await client.send(new GetPublicAccessBlockCommand({ Bucket: bucket })))
        .PublicAccessBlockConfiguration;
      return {
        BlockPublicAcls: flags?.BlockPublicAcls === true,
        IgnorePublicAcls: flags?.IgnorePublicAcls === true,
        BlockPublicPolicy: flags?.BlockPublicPolicy === true,
        RestrictPublicBuckets: flags?.RestrictPublicBuckets === true,
      };
    }),
    readEncryption(client, bucket),
    readSetting("GetBucketPolicy", bucket, { codes: ["NoSuchBucketPolicy"], value: undefined }, async () => {
      const text = (await client.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy;
      return text === undefined || text === "" ? undefined : parsePolicy(bucket, text);
    }),
    readSetting(
      "GetBucketLifecycleConfiguration",
      bucket,
      { codes: ["NoSuchLifecycleConfiguration"], value: [] },
      async () =>
        (await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }))).Rules ?? [],
    ),
  ]);
  return {
    bucket,
    exists: true,
    arnPartition,
    versioning,
    publicAccessBlock,
    encryption,
    policy,
    lifecycleRules,
  };
}

/** What a bucket that does not exist yet is assumed to start with: nothing set. */
export function newBucketState(bucket: string, arnPartition = "aws"): BucketState {
  return {
    bucket,
    exists: false,
    arnPartition,
    versioning: { supported: true, value: "Unversioned" },
    publicAccessBlock: { supported: true, value: PUBLIC_ACCESS_BLOCK_NOT_SET.value },
    encryption: { supported: true, value: undefined },
    policy: { supported: true, value: undefined },
    lifecycleRules: { supported: true, value: [] },
  };
}

/**
 * Why the server refused a bucket-settings request as something it does not implement, or undefined
 * when the error means something else. Every request `lake storage` sends is one AWS S3 accepts, so
 * 501 NotImplemented, 405 MethodNotAllowed and 400 InvalidArgument (Ceph's answer to a subresource
 * it does not know) mean the server lacks the feature.
 */
export function unsupportedReason(operation: string, error: unknown): string | undefined {
  const status = httpStatus(error);
  const code = error instanceof Error ? error.name : "";
  const unsupported =
    status === 501 ||
    status === 405 ||
    code === "NotImplemented" ||
    code === "MethodNotAllowed" ||
    (status === 400 && code === "InvalidArgument");
  if (!unsupported) return undefined;
  return `${operation}: ${errorText(error)}${status === undefined ? "" : ` (HTTP ${status})`}`;
}

/** The S3RequestError for a failed request on `bucket`; `hint` says what to do about it. */
export function bucketRequestError(
  operation: string,
  bucket: string,
  error: unknown,
  hint = "",
): S3RequestError {
  return new S3RequestError(operation, `s3://${bucket}`, httpStatus(error), `${errorText(error)}${hint}`, {
    cause: error,
  });
}

/** HeadBucket: true when it exists and these credentials may use it. @throws S3RequestError */
async function bucketExists(client: S3Client, bucket: string): Promise<boolean> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
    return true;
  } catch (error) {
    const status = httpStatus(error);
    if (status === 404) return false;
    const hint =
      status === 403
        ? "; the bucket exists but these credentials may not use it (another account's bucket, or no s3:ListBucket permission)"
        : status === 301
          ? "; the bucket is in another region: set storage.s3.region in lake.json"
          : "";
    throw bucketRequestError("HeadBucket", bucket, error, hint);
  }
}

/** The error codes S3 answers when a setting was never configured, and the value that means. */
interface NotSet<T> {
  readonly codes: readonly string[];
  readonly value: T;
}

const PUBLIC_ACCESS_BLOCK_NOT_SET: NotSet<PublicAccessBlockFlags> = {
  codes: ["NoSuchPublicAccessBlockConfiguration"],
  value: {
    BlockPublicAcls: false,
    IgnorePublicAcls: false,
    BlockPublicPolicy: false,
    RestrictPublicBuckets: false,
  },
};

/**
 * Reads one setting. The `notSet` error codes (S3's "nothing configured") read as `notSet.value`; a
 * request the server does not support reads as `{ supported: false }`.
 */
async function readSetting<T>(
  operation: string,
  bucket: string,
  notSet: NotSet<T> | undefined,
  read: () => Promise<T>,
): Promise<SettingReadback<T>> {
  try {
    return { supported: true, value: await read() };
  } catch (error) {
    if (notSet !== undefined && error instanceof Error && notSet.codes.includes(error.name))
      return { supported: true, value: notSet.value };
    const reason = unsupportedReason(operation, error);
    if (reason !== undefined) return { supported: false, reason };
    throw error instanceof StorageError ? error : bucketRequestError(operation, bucket, error);
  }
}

/**
 * GetBucketEncryption. S3 answers 404 ServerSideEncryptionConfigurationNotFoundError or a
 * configuration with at least one rule; a 200 without a rule comes from a server that ignored the
 * `?encryption` subresource (Ceph Pacific answers it with a plain object listing).
 */
async function readEncryption(
  client: S3Client,
  bucket: string,
): Promise<SettingReadback<DefaultEncryption | undefined>> {
  const operation = "GetBucketEncryption";
  const read = await readSetting(
    operation,
    bucket,
    { codes: ["ServerSideEncryptionConfigurationNotFoundError"], value: undefined },
    () => client.send(new GetBucketEncryptionCommand({ Bucket: bucket })),
  );
  if (!read.supported) return read;
  if (read.value === undefined) return { supported: true, value: undefined };
  const rules = read.value.ServerSideEncryptionConfiguration?.Rules ?? [];
  if (rules.length === 0) {
    return { supported: false, reason: `${operation}: answered HTTP 200 without an encryption rule` };
  }
  const byDefault = rules[0]?.ApplyServerSideEncryptionByDefault;
  if (byDefault?.SSEAlgorithm === undefined) return { supported: true, value: undefined };
  return {
    supported: true,
    value: {
      algorithm: byDefault.SSEAlgorithm,
      ...(byDefault.KMSMasterKeyID === undefined ? {} : { kmsKeyId: byDefault.KMSMasterKeyID }),
    },
  };
}

/** The policy text as a document. @throws StorageError when the server returned something else. */
function parsePolicy(bucket: string, text: string): PolicyDocument {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new StorageError(`The policy of s3://${bucket} is not JSON: ${text.slice(0, 200)}`);
  }
  const document = parsed as { Version?: string; Id?: string; Statement?: unknown };
  const statements = document.Statement === undefined ? [] : [document.Statement].flat();
  return {
    ...(document.Version === undefined ? {} : { Version: document.Version }),
    ...(document.Id === undefined ? {} : { Id: document.Id }),
    Statement: statements as PolicyStatement[],
  };
}

/** The ARN partition of a region. */
function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

function httpStatus(error: unknown): number | undefined {
  return error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
}

/** The error's code and message; the SDK says "UnknownError" when the server sent no message. */
function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.message && error.message !== "UnknownError" ? `${error.name}: ${error.message}` : error.name;
}
