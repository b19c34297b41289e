/**
 * The S3 server of the tests (started by `scripts/run-tests.ts`, found through `S3_ENDPOINT` and the
 * AWS_* variables), a fresh bucket per suite, and extra scratch buckets for tests that change bucket
 * settings (which a suite's shared bucket cannot undo). Without a server, S3 suites are skipped with the
 * reason, except under CI, where they fail: a missing server must never pass as green.
 */
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { createS3Client, type S3ConnectionOptions } from "../../src/storage/index.ts";

/** How to reach the test server, or undefined when none is configured. */
export function s3TestConnection(): S3ConnectionOptions | undefined {
  const endpoint = process.env.S3_ENDPOINT;
  return endpoint ? { endpoint, forcePathStyle: true } : undefined;
}

/** A suite's bucket on the test server. */
export interface TestBucket {
  readonly client: S3Client;
  readonly connection: S3ConnectionOptions;
  /** The bucket's name; valid inside the suite's tests and hooks. */
  readonly name: string;
}

/**
 * `describe` with a fresh bucket created before the suite and emptied and removed after it.
 * Skips (or, under CI, fails) when there is no S3 server.
 */
export function describeWithS3(name: string, suite: (bucket: TestBucket) => void | Promise<void>): void {
  const connection = s3TestConnection();
  if (connection === undefined) {
    if (process.env.CI) {
      describe(name, () => {
        it("needs the S3 test server", () => {
          throw new Error(
            "S3_ENDPOINT is not set: run the tests with `npm test`, which starts the S3 test server",
          );
        });
      });
    } else {
      describe(name, { skip: "no S3 server (S3_ENDPOINT unset); `npm test` starts one" }, () => {});
    }
    return;
  }
  const client = createS3Client(connection);
  const bucket = { client, connection, name: scratchBucketName() };
  describe(name, async () => {
    before(() => client.send(new CreateBucketCommand({ Bucket: bucket.name })));
    after(async () => {
      await removeBucket(client, bucket.name);
      client.destroy();
    });
    await suite(bucket);
  });
}

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

/** Deletes every object under `prefix` in `bucket`. */
export async function emptyBucket(client: S3Client, bucket: string, prefix = ""): Promise<void> {
  for (;;) {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
    const keys = (page.Contents ?? []).flatMap((o) => (o.Key === undefined ? [] : [{ Key: o.Key }]));
    if (keys.length === 0) return;
    await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }));
  }
}
