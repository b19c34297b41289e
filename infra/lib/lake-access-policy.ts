/**
 * The S3 permissions of the lake's task role, as IAM policy statements: the actions `S3Store`
 * sends (`S3_STORE_ACTIONS`), on the lake's buckets and under its locations' prefixes only. Plain
 * JSON, so the same statements become the CDK role's policy and, in the tests, a user policy on the
 * S3 test server.
 */
import { type BucketLayout, type PolicyStatement, S3_STORE_ACTIONS } from "../../src/lake/index.ts";

/**
 * A statement per bucket that lists it (limited to the locations' prefixes when a location is not a
 * whole bucket), and one that reads, writes and deletes the objects under those locations; with
 * `read`, one that only reads them.
 */
export function lakeS3Statements(
  buckets: readonly BucketLayout[],
  arnPartition = "aws",
  access: "read-write" | "read" = "read-write",
): PolicyStatement[] {
  const arn = (resource: string) => `arn:${arnPartition}:s3:::${resource}`;
  const list = buckets.map(({ bucket, locations }) => {
    const prefixes = outermost(locations.map((l) => l.prefix));
    return {
      Sid: `LakeList${sidPart(bucket)}`,
      Effect: "Allow",
      Action: [...S3_STORE_ACTIONS.bucket],
      Resource: arn(bucket),
      ...(prefixes.includes("")
        ? {}
        : { Condition: { StringLike: { "s3:prefix": prefixes.flatMap((p) => [p, `${p}*`]) } } }),
    };
  });
  const objects = {
    Sid: "LakeObjects",
    Effect: "Allow",
    Action: access === "read" ? ["s3:GetObject"] : [...S3_STORE_ACTIONS.objects],
    Resource: buckets.flatMap(({ bucket, locations }) =>
      outermost(locations.map((l) => l.prefix)).map((prefix) => arn(`${bucket}/${prefix}*`)),
    ),
  };
  return [...list, objects];
}

/** The prefixes not inside another of them ("" covers everything). */
function outermost(prefixes: readonly string[]): string[] {
  const unique = [...new Set(prefixes)];
  return unique.filter((p) => !unique.some((other) => other !== p && p.startsWith(other)));
}

/** A bucket name as letters and digits (a Sid allows nothing else). */
function sidPart(bucket: string): string {
  return bucket.replace(/(^|[-.])([a-z0-9])/g, (_m, _sep, c: string) => c.toUpperCase());
}
