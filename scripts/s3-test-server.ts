/**
 * The real S3 server the tests use: Ceph RADOS Gateway on loopback, installed and started by
 * `../shared/s3/start-s3.sh` (see its header: ~60 s on a new machine, ~15 s after that), stopped by
 * `stop-s3.sh`. `run-tests.ts` starts one when `S3_ENDPOINT` is not set and passes its address and
 * credentials to the tests through the environment.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const SHARED_S3 = join(dirname(dirname(fileURLToPath(import.meta.url))), "..", "shared", "s3");

/** A running server: the variables the tests read (S3_ENDPOINT, AWS_*), and how to stop it. */
export interface S3TestServer {
  readonly env: Readonly<Record<string, string>>;
  stop(): void;
}

/**
 * Starts a fresh server in its own data folder (so it never replaces a server a developer runs).
 * @throws Error with the script's last output lines when it cannot start.
 */
export function startS3TestServer(): S3TestServer {
  const start = join(SHARED_S3, "start-s3.sh");
  if (!existsSync(start)) throw new Error(`${start} not found: the S3 test server comes from ../shared/s3`);
  const dataDir = join(tmpdir(), "medallion-lake-s3-test");
  const started = Date.now();
  process.stderr.write(
    "Starting the S3 test server (Ceph radosgw on 127.0.0.1; installs it if missing)...\n",
  );
  const result = spawnSync("bash", [start], {
    env: { ...process.env, S3_DATA_DIR: dataDir },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (result.status !== 0) {
    const tail = `${result.stderr ?? ""}`.trim().split("\n").slice(-10).join("\n");
    throw new Error(`The S3 test server did not start (exit ${result.status}):\n${tail}`);
  }
  const env: Record<string, string> = {};
  for (const line of result.stdout.split("\n")) {
    const match = /^export ([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match) env[match[1] as string] = (match[2] as string).replace(/^"(.*)"$/, "$1");
  }
  if (!env.S3_ENDPOINT) throw new Error("The S3 test server started but printed no S3_ENDPOINT");
  process.stderr.write(
    `S3 test server ready at ${env.S3_ENDPOINT} after ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  return {
    env,
    stop() {
      spawnSync("bash", [join(SHARED_S3, "stop-s3.sh"), "--purge"], {
        env: { ...process.env, ...env },
        stdio: ["ignore", "ignore", "inherit"],
      });
    },
  };
}
