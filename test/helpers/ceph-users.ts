/**
 * Users and user policies on the Ceph S3 test server (see ../shared/s3/README.md): radosgw-admin
 * creates users on the running cluster, and radosgw's IAM API (PutUserPolicy, signed by a user with
 * the `user-policy` capability) attaches a policy. Ceph evaluates a user policy like IAM does: an
 * Allow grants the request even on another user's bucket, and without one the bucket's ACL decides
 * (only its owner may write).
 */
import { execFile } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface CephCredentials {
  readonly uid: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** Why users cannot be made here, or undefined when they can. */
export function cephUsersUnavailable(): string | undefined {
  const dataDir = process.env.S3_DATA_DIR;
  if (!process.env.S3_ENDPOINT || !dataDir) return "no S3 test server (S3_ENDPOINT, S3_DATA_DIR unset)";
  if (!existsSync(join(dataDir, "ceph.conf")))
    return `the S3 test server is not Ceph (${dataDir}/ceph.conf missing)`;
  if (!existsSync("/usr/bin/radosgw-admin")) return "radosgw-admin is not installed";
  return undefined;
}

/** Creates a user; `caps` e.g. `user-policy=*`. */
export async function createCephUser(prefix: string, caps?: string): Promise<CephCredentials> {
  const uid = `${prefix}-${randomUUID().slice(0, 8)}`;
  const { stdout } = await admin([
    "user",
    "create",
    "--uid",
    uid,
    "--display-name",
    uid,
    ...(caps ? ["--caps", caps] : []),
  ]);
  const key = (JSON.parse(stdout) as { keys: { access_key: string; secret_key: string }[] }).keys[0];
  if (key === undefined) throw new Error(`radosgw-admin made user ${uid} without a key`);
  return { uid, accessKeyId: key.access_key, secretAccessKey: key.secret_key };
}

/** Removes a user (it owns no buckets in these tests). */
export async function removeCephUser(user: CephCredentials): Promise<void> {
  await admin(["user", "rm", "--uid", user.uid]);
}

/** Attaches `document` to `user` as the inline policy `name`, signed by `policyAdmin`. */
export async function putUserPolicy(
  policyAdmin: CephCredentials,
  user: CephCredentials,
  name: string,
  document: unknown,
): Promise<void> {
  const body = new URLSearchParams({
    Action: "PutUserPolicy",
    UserName: user.uid,
    PolicyName: name,
    PolicyDocument: JSON.stringify(document),
    Version: "2010-05-08",
  }).toString();
  // curl signs with SigV4; radosgw checks the payload hash, so it is sent rather than UNSIGNED-PAYLOAD.
  const { stdout } = await run("curl", [
    "-sS",
    "-X",
    "POST",
    `${process.env.S3_ENDPOINT}/`,
    "--aws-sigv4",
    `aws:amz:${process.env.AWS_REGION ?? "us-east-1"}:iam`,
    "--user",
    `${policyAdmin.accessKeyId}:${policyAdmin.secretAccessKey}`,
    "-H",
    `x-amz-content-sha256: ${createHash("sha256").update(body).digest("hex")}`,
    "-H",
    "Content-Type: application/x-www-form-urlencoded",
    "--data",
    body,
  ]);
  if (!stdout.includes("<PutUserPolicyResponse")) throw new Error(`PutUserPolicy failed: ${stdout}`);
}

function admin(args: readonly string[]) {
  return run("radosgw-admin", ["-c", join(process.env.S3_DATA_DIR ?? "", "ceph.conf"), ...args], {
    timeout: 60_000,
  });
}
