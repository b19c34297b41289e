/**
 * Extra buckets on the S3 test server for tests that change bucket settings (which a suite's shared
 * bucket cannot undo): a fresh name, and removal that also clears object versions.
 */
import { randomUUID } from "node:crypto";
import {
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListObjectVersionsCommand,
  type S3Client,
} from "@aws-sdk/client-s3";

/** A bucket name no other test uses (not created). */
export function scratchBucketName(): string {
  return `lake-test-${randomUUID().slice(0, 12)}`;
}

/** Deletes every object version and delete marker, then the bucket; a missing bucket is fine. */
export async function removeBucket(client: S3Client, bucket: string): Promise<void> {
  try {
    for (;;) {
      const page = await client.send(new ListObjectVersionsCommand({ Bucket: bucket }));
      const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].flatMap((v) =>
        v.Key === undefined ? [] : [{ Key: v.Key, VersionId: v.VersionId }],
      );
      if (objects.length === 0) break;
      await client.send(
        new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }),
      );
    }
    await client.send(new DeleteBucketCommand({ Bucket: bucket }));
  } catch (error) {
    if ((error as Error).name !== "NoSuchBucket") throw error;
  }
}
