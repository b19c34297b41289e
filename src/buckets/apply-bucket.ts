/**
 * `lake storage apply` for one bucket: makes it exist, reads what it has set, and sends the requests
 * of the plan (`s3-bucket-plan.ts`). Idempotent: a second run sends nothing, except a retry of what
 * the server does not support. A setting the server does not support does not stop the others: it
 * is reported in the result, and the caller decides what that means.
 */
import {
  CreateBucketCommand,
  DeleteBucketLifecycleCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import {
  type BucketPlan,
  type BucketRequest,
  type BucketSettingName,
  type BucketSettings,
  planBucket,
  SETTING_LABELS,
} from "./bucket-plan.ts";
import { bucketRequestError, readBucketState, unsupportedReason } from "./bucket-state.ts";

/** A setting the server refused as not supported, with the request and its answer. */
export interface UnsupportedSetting {
  readonly setting: BucketSettingName;
  /** E.g. `PutBucketEncryption: InvalidArgument (HTTP 400)`. */
  readonly reason: string;
}

/** What `applyBucket` did. */
export interface BucketApplyResult {
  readonly bucket: string;
  /** Whether apply created the bucket. */
  readonly created: boolean;
  /** The plan, made from the bucket's state before the changes (after creating it). */
  readonly plan: BucketPlan;
  /** The changes made, one line each. */
  readonly applied: readonly string[];
  /** The settings this server does not support; everything else is in place. */
  readonly unsupported: readonly UnsupportedSetting[];
}

/** The IAM action each request needs, for the message when it is denied. */
const PERMISSIONS: Readonly<Record<BucketRequest["operation"] | "CreateBucket", string>> = {
  CreateBucket: "s3:CreateBucket",
  PutBucketVersioning: "s3:PutBucketVersioning",
  PutBucketEncryption: "s3:PutEncryptionConfiguration",
  PutPublicAccessBlock: "s3:PutBucketPublicAccessBlock",
  PutBucketLifecycleConfiguration: "s3:PutLifecycleConfiguration",
  DeleteBucketLifecycle: "s3:PutLifecycleConfiguration",
  PutBucketPolicy: "s3:PutBucketPolicy",
};

/**
 * Creates the bucket when it is missing, then puts every setting of the plan in place.
 * @throws S3RequestError when a request fails for another reason than "not supported" (no
 *   permission, the name taken by another account, network); settings sent before it stay set.
 */
export async function applyBucket(
  client: S3Client,
  bucket: string,
  settings: BucketSettings,
): Promise<BucketApplyResult> {
  let state = await readBucketState(client, bucket);
  const created = !state.exists;
  if (created) {
    await createBucket(client, bucket);
    state = await readBucketState(client, bucket);
  }
  const plan = planBucket(state, settings);
  const plainHttp = (await client.config.endpoint?.())?.protocol === "http:";
  const applied: string[] = [];
  const unsupported: UnsupportedSetting[] = [];
  for (const setting of plan.settings) {
    if (setting.request === undefined) {
      if (setting.unsupported !== undefined)
        unsupported.push({ setting: setting.setting, reason: setting.unsupported });
      continue;
    }
    const { operation } = setting.request;
    try {
      await send(client, setting.request);
    } catch (error) {
      const reason = unsupportedReason(operation, error);
      if (reason === undefined)
        throw bucketRequestError(operation, bucket, error, deniedHint(operation, error, plainHttp));
      unsupported.push({ setting: setting.setting, reason });
      continue;
    }
    // A setting the server could not report has no change lines: say what was sent.
    applied.push(
      ...(setting.changes.length > 0
        ? setting.changes
        : [
            `${SETTING_LABELS[setting.setting]}: set to ${setting.wanted} (the server could not report it before)`,
          ]),
    );
  }
  return { bucket, created, plan, applied, unsupported };
}

/** Creates the bucket in the client's region (the SDK sends it as the LocationConstraint). */
async function createBucket(client: S3Client, bucket: string): Promise<void> {
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    const code = error instanceof Error ? error.name : "";
    if (code === "BucketAlreadyOwnedByYou") return;
    const hint =
      code === "BucketAlreadyExists"
        ? "; bucket names are global and another account has this one: choose another bucket in lake.json"
        : deniedHint("CreateBucket", error, false);
    throw bucketRequestError("CreateBucket", bucket, error, hint);
  }
}

function send(client: S3Client, request: BucketRequest): Promise<unknown> {
  switch (request.operation) {
    case "PutBucketVersioning":
      return client.send(new PutBucketVersioningCommand(request.input));
    case "PutBucketEncryption":
      return client.send(new PutBucketEncryptionCommand(request.input));
    case "PutPublicAccessBlock":
      return client.send(new PutPublicAccessBlockCommand(request.input));
    case "PutBucketLifecycleConfiguration":
      return client.send(new PutBucketLifecycleConfigurationCommand(request.input));
    case "DeleteBucketLifecycle":
      return client.send(new DeleteBucketLifecycleCommand(request.input));
    case "PutBucketPolicy":
      return client.send(new PutBucketPolicyCommand(request.input));
  }
}

/** What to do about an AccessDenied: the permission the request needs, and what else may refuse it. */
function deniedHint(operation: keyof typeof PERMISSIONS, error: unknown, plainHttp: boolean): string {
  if (!(error instanceof Error) || error.name !== "AccessDenied") return "";
  const tlsOnly = plainHttp
    ? ", or the TLS-only policy refuses this plain-HTTP endpoint (use https://; removing the policy takes the server's administrator)"
    : "";
  const publicPolicy =
    operation === "PutBucketPolicy"
      ? ", or Block Public Access refused the policy because another of its statements grants public access (some servers, Ceph among them, count any Allow statement); the other statements are kept as they are, so change them by hand"
      : "";
  return `; the credentials need ${PERMISSIONS[operation]} on the bucket${publicPolicy}${tlsOnly}`;
}
