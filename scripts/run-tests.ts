/**
 * Runs every `test/**\/*.test.ts` file with Node's test runner (Node 20's `--test` has no globs).
 * Extra arguments are passed to the runner, e.g. `npm run test:unit -- --test-name-pattern=vacuum`.
 *
 * The S3 tests need a real S3 server: unless `S3_ENDPOINT` is set, one is started for the run and
 * stopped afterwards. When it cannot start, the run fails under CI (`CI` set); elsewhere the S3 tests
 * are reported as skipped, with the reason.
 *
 * The dashboard's browser tests drive Debian's chromium: when it is missing it is installed with
 * apt-get (as root, or through sudo without a password). When that fails, the run fails under CI;
 * elsewhere the browser tests skip with the reason.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { type S3TestServer, startS3TestServer } from "./s3-test-server.ts";

const files = (readdirSync("test", { recursive: true }) as string[])
  .filter((file) => file.endsWith(".test.ts"))
  .map((file) => join("test", file))
  .sort();

ensureChromium();

let server: S3TestServer | undefined;
if (!process.env.S3_ENDPOINT) {
  try {
    server = startS3TestServer();
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    if (process.env.CI) process.exit(1);
    process.stderr.write("Continuing without S3: the S3 tests will be skipped.\n");
  }
}
let status: number;
try {
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", "--test", "--test-concurrency=2", ...process.argv.slice(2), ...files],
    {
      stdio: "inherit",
      // The SDK's Node 22 notice would repeat in every test file's output (the SDK is pinned for Node 20).
      env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", ...process.env, ...server?.env },
    },
  );
  status = result.status ?? 1;
} finally {
  server?.stop();
}
process.exit(status);

/** Installs Debian's chromium when the browser tests would not find it (see test/helpers/chromium.ts). */
function ensureChromium(): void {
  const path = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (existsSync(path)) return;
  process.stderr.write(`No browser at ${path}: installing Debian's chromium with apt-get...\n`);
  const sudo = process.getuid?.() === 0 ? [] : ["sudo", "-n"];
  const run = (...command: string[]) => {
    const [file, ...args] = [...sudo, ...command] as [string, ...string[]];
    return (
      spawnSync(file, args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } })
        .status === 0
    );
  };
  if (run("apt-get", "update") && run("apt-get", "install", "-y", "chromium") && existsSync(path)) return;
  process.stderr.write(`Could not install chromium at ${path}.\n`);
  if (process.env.CI) process.exit(1);
  process.stderr.write("Continuing without a browser: the dashboard's browser tests will be skipped.\n");
}
