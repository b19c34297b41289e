/**
 * What every bucket of the lake has, as plain data: the one definition that `lake storage apply`
 * (through `bucket-plan.ts`) and the CDK app in `infra/` both read. The lifecycle rules come from
 * lake.json (`storage.lifecycle`, with defaults in pipeline/) through one function,
 * lake/'s `bucketLayouts`; everything else a bucket gets is here.
 */

/** The settings every lake bucket gets besides its lifecycle rules. */
export const LAKE_BUCKET_SETTINGS = {
  /** Overwritten and deleted objects stay recoverable (old versions expire by lifecycle rule). */
  versioning: "Enabled",
  /** All four S3 Block Public Access flags on. */
  publicAccessBlock: {
    BlockPublicAcls: true,
    IgnorePublicAcls: true,
    BlockPublicPolicy: true,
    RestrictPublicBuckets: true,
  },
  /**
   * Default encryption SSE-S3. `lake storage apply` keeps a default already set (a KMS key someone
   * chose stays); the CDK app sets SSE-KMS when given a key.
   */
  defaultEncryption: "AES256",
  /** The Sid of the bucket policy statement that denies every request not made over TLS. */
  tlsOnlyStatementId: "MedallionLakeDenyInsecureTransport",
  /** Every lifecycle rule the lake owns has an ID starting with this; other rules are left alone. */
  ownedRuleIdPrefix: "medallion-lake-",
} as const;

/** A bucket policy statement as IAM takes it. */
export type PolicyStatement = Readonly<Record<string, unknown>> & { readonly Sid?: string };

/** Denies every request on the bucket and its objects that does not come over TLS. */
export function tlsOnlyStatement(bucket: string, arnPartition = "aws"): PolicyStatement {
  return {
    Sid: LAKE_BUCKET_SETTINGS.tlsOnlyStatementId,
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [`arn:${arnPartition}:s3:::${bucket}`, `arn:${arnPartition}:s3:::${bucket}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}
