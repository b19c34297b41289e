/**
 * The lake's buckets: one per zone, as `deployedProject` lays them out, and one for their access
 * logs. Every bucket gets `LAKE_BUCKET_SETTINGS` (versioning, the public access block, default
 * encryption, the TLS-only statement) and its lifecycle rules from `bucketLayouts`: the same settings
 * `lake storage apply` keeps, from the same definition. The landing bucket sends its events to
 * EventBridge, which starts a run when files arrive.
 */
import { Aws, Duration, RemovalPolicy } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as s3 from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import { LAKE_BUCKET_SETTINGS, type LifecycleRuleSpec, tlsOnlyStatement } from "../../src/lake/index.ts";
import type { DeployedProject } from "./lake-project.ts";

export interface LakeBucketsProps {
  readonly project: DeployedProject;
  /** A KMS key for default encryption; SSE-S3 (`LAKE_BUCKET_SETTINGS.defaultEncryption`) without one. */
  readonly encryptionKey?: kms.IKey;
  /** Days the access logs are kept. */
  readonly accessLogDays: number;
}

export class LakeBuckets extends Construct {
  /** Each bucket of the project by name. */
  readonly buckets: ReadonlyMap<string, s3.Bucket>;
  /** The bucket of the landing zone: files put here start a run. */
  readonly landing: s3.Bucket;
  readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, props: LakeBucketsProps) {
    super(scope, id);
    const { project } = props;
    const settings = LAKE_BUCKET_SETTINGS;
    const blockPublicAccess = new s3.BlockPublicAccess({
      blockPublicAcls: settings.publicAccessBlock.BlockPublicAcls,
      ignorePublicAcls: settings.publicAccessBlock.IgnorePublicAcls,
      blockPublicPolicy: settings.publicAccessBlock.BlockPublicPolicy,
      restrictPublicBuckets: settings.publicAccessBlock.RestrictPublicBuckets,
    });
    const common = {
      versioned: settings.versioning === "Enabled",
      blockPublicAccess,
      removalPolicy: RemovalPolicy.RETAIN,
    };
    // S3 writes server access logs only into an SSE-S3 bucket.
    this.accessLogs = new s3.Bucket(this, "AccessLogs", {
      ...common,
      bucketName: `${project.bucketPrefix}-access-logs`,
      encryption: s3.BucketEncryption.S3_MANAGED,
      lifecycleRules: [
        {
          id: `${settings.ownedRuleIdPrefix}access-logs-expiry`,
          expiration: Duration.days(props.accessLogDays),
        },
      ],
    });
    this.#denyInsecureTransport(this.accessLogs);

    const buckets = new Map<string, s3.Bucket>();
    for (const layout of project.buckets) {
      const isLanding = layout.bucket === project.zoneBuckets.landing;
      const bucket = new s3.Bucket(this, `Bucket-${layout.bucket}`, {
        ...common,
        bucketName: layout.bucket,
        ...(props.encryptionKey === undefined
          ? { encryption: s3.BucketEncryption.S3_MANAGED }
          : {
              encryption: s3.BucketEncryption.KMS,
              encryptionKey: props.encryptionKey,
              bucketKeyEnabled: true,
            }),
        lifecycleRules: layout.lifecycleRules.map(cdkLifecycleRule),
        serverAccessLogsBucket: this.accessLogs,
        serverAccessLogsPrefix: `${layout.bucket}/`,
      });
      // Set on the bucket itself: `eventBridgeEnabled` would add a Lambda-backed custom resource.
      if (isLanding)
        (bucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = {
          eventBridgeConfiguration: { eventBridgeEnabled: true },
        };
      this.#denyInsecureTransport(bucket);
      buckets.set(layout.bucket, bucket);
    }
    const landing = buckets.get(project.zoneBuckets.landing);
    if (landing === undefined)
      throw new Error(`No bucket for the landing zone ${project.zoneBuckets.landing}`);
    this.landing = landing;
    this.buckets = buckets;
  }

  /** The statement `lake storage apply` keeps, word for word. */
  #denyInsecureTransport(bucket: s3.Bucket): void {
    // The bucket's ARN (a token until deploy) in place of its name, so the policy depends on the bucket.
    const { Resource: _byName, ...statement } = tlsOnlyStatement("BUCKET", Aws.PARTITION);
    bucket.addToResourcePolicy(
      iam.PolicyStatement.fromJson({ ...statement, Resource: [bucket.bucketArn, bucket.arnForObjects("*")] }),
    );
  }
}

/** A lifecycle rule of `bucketLayouts` as CDK takes it. */
export function cdkLifecycleRule(spec: LifecycleRuleSpec): s3.LifecycleRule {
  const storageClass = { STANDARD_IA: s3.StorageClass.INFREQUENT_ACCESS, GLACIER: s3.StorageClass.GLACIER };
  return {
    id: spec.id,
    ...(spec.prefix === "" ? {} : { prefix: spec.prefix }),
    ...(spec.transitions === undefined
      ? {}
      : {
          transitions: spec.transitions.map((t) => ({
            storageClass: storageClass[t.storageClass],
            transitionAfter: Duration.days(t.days),
          })),
        }),
    ...(spec.noncurrentVersionExpirationDays === undefined
      ? {}
      : { noncurrentVersionExpiration: Duration.days(spec.noncurrentVersionExpirationDays) }),
    ...(spec.abortIncompleteUploadsAfterDays === undefined
      ? {}
      : { abortIncompleteMultipartUploadAfter: Duration.days(spec.abortIncompleteUploadsAfterDays) }),
  };
}
