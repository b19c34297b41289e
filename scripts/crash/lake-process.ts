/**
 * Runs the `lake` CLI from source as a child process (`node --import tsx src/cli/main.ts ...`), with the
 * crash preload module loaded, and kills it with SIGKILL when a trial says so: after a delay (the
 * harness's timer) or at a filesystem event (the preload module, see kill-after-commit.ts). A trial
 * may send SIGTERM instead, after a delay counted from the child's first output (by then the CLI
 * handles the signal: before, Node would just die of it).
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { CrashEvent } from "./kill-after-commit.ts";

/** The repository whose `src/cli/main.ts` the harness runs. */
export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CLI = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));
const HOOK = fileURLToPath(new URL("./kill-after-commit.ts", import.meta.url));

/** When to kill the child: never, after `ms`, right after its `at`-th `event`, or SIGTERM `ms` after its first output. */
export type Kill =
  | { readonly kind: "none" }
  | { readonly kind: "timer"; readonly ms: number }
  | { readonly kind: "event"; readonly event: CrashEvent; readonly at: number }
  | { readonly kind: "term"; readonly ms: number };

/** How one `lake` process ended. */
export interface LakeOutcome {
  /** The exit code, or `undefined` when a signal ended it. */
  readonly code: number | undefined;
  /** The process id it had (its staging is named after it). */
  readonly pid: number;
  /** True when it died of SIGKILL (ours). */
  readonly killed: boolean;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall time from spawn to exit. */
  readonly ms: number;
  /** From spawn to the first output line, ms (the start-up); undefined when it printed nothing. */
  readonly firstOutputMs?: number;
  /** For a SIGTERM sent: the time from sending it to the exit, ms. */
  readonly stopMs?: number;
}

/**
 * Runs `lake ...args` in `cwd`. `traceFile` receives the preload module's event lines.
 * Resolves when the process has exited, however it ended.
 */
export function runLake(
  args: readonly string[],
  options: {
    readonly kill?: Kill;
    readonly traceFile?: string;
    /** Moves the child's `Date.now` ahead by this much (see kill-after-commit.ts). */
    readonly clockOffsetMs?: number;
    /** Environment variables to set for the child (`TMPDIR`). */
    readonly env?: NodeJS.ProcessEnv;
  } = {},
): Promise<LakeOutcome> {
  const kill = options.kill ?? { kind: "none" };
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    ...options.env,
  };
  delete env.CRASH_KILL_EVENT;
  delete env.CRASH_KILL_AT;
  delete env.CRASH_TRACE_FILE;
  delete env.CRASH_CLOCK_OFFSET_MS;
  if (kill.kind === "event") {
    env.CRASH_KILL_EVENT = kill.event;
    env.CRASH_KILL_AT = String(kill.at);
  }
  if (options.traceFile !== undefined) env.CRASH_TRACE_FILE = options.traceFile;
  if (options.clockOffsetMs) env.CRASH_CLOCK_OFFSET_MS = String(options.clockOffsetMs);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "--import", HOOK, CLI, ...args], {
      cwd: REPO_ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let termAt: number | undefined;
    let termTimer: NodeJS.Timeout | undefined;
    let firstOutputMs: number | undefined;
    child.stdout.on("data", (chunk: Buffer) => {
      firstOutputMs ??= performance.now() - started;
      if (kill.kind === "term" && stdout === "") {
        termTimer = setTimeout(() => {
          termAt = performance.now();
          child.kill("SIGTERM");
        }, kill.ms);
      }
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = kill.kind === "timer" ? setTimeout(() => child.kill("SIGKILL"), kill.ms) : undefined;
    child.on("error", (error) => {
      clearTimeout(timer);
      clearTimeout(termTimer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      clearTimeout(termTimer);
      const now = performance.now();
      resolve({
        code: code ?? undefined,
        pid: child.pid ?? 0,
        killed: signal === "SIGKILL",
        stdout,
        stderr,
        ms: now - started,
        ...(firstOutputMs === undefined ? {} : { firstOutputMs }),
        ...(termAt === undefined ? {} : { stopMs: now - termAt }),
      });
    });
  });
}

/** Runs `lake ...args` to completion. @throws Error with its output when it does not exit 0. */
export async function runLakeOk(args: readonly string[], traceFile?: string): Promise<LakeOutcome> {
  const outcome = await runLake(args, traceFile === undefined ? {} : { traceFile });
  if (outcome.code !== 0) {
    throw new Error(`lake ${args.join(" ")} exited ${outcome.code ?? "by a signal"}: ${lastLine(outcome)}`);
  }
  return outcome;
}

/** The last non-empty line of stderr (else stdout): what a failed command said. */
export function lastLine(outcome: LakeOutcome): string {
  const lines = `${outcome.stderr}\n${outcome.stdout}`.split("\n").filter((line) => line.trim() !== "");
  const errorLine = outcome.stderr.split("\n").find((line) => line.startsWith("lake: "));
  return errorLine ?? lines.at(-1) ?? "(no output)";
}
