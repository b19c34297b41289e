/**
 * Small tmpfs mounts for the full-disk tests: a folder of the lake that fills up after a few
 * megabytes, then grows when the test "frees space". Mounting needs root (or CAP_SYS_ADMIN); where it
 * is refused, `tmpfsUnavailable` says why so the tests skip with that reason.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Why tmpfs mounts cannot be made here, or undefined when they can (tried once, on a probe folder). */
export async function tmpfsUnavailable(): Promise<string | undefined> {
  if (process.platform !== "linux") return `mounting a tmpfs needs Linux (this is ${process.platform})`;
  const probe = await mkdtemp(join(tmpdir(), "lake-tmpfs-probe-"));
  try {
    await mountTmpfs(probe, 64 * 1024);
    await unmount(probe);
    return undefined;
  } catch (error) {
    return `cannot mount a tmpfs (it needs root): ${(error as Error).message.split("\n")[0]}`;
  } finally {
    await rm(probe, { recursive: true, force: true });
  }
}

/** Mounts a tmpfs of about `bytes` (whole pages) at `dir`, created if missing, with mount `options` (`ro`). */
export async function mountTmpfs(dir: string, bytes: number, options: readonly string[] = []): Promise<void> {
  await mkdir(dir, { recursive: true });
  await run("mount", ["-t", "tmpfs", "-o", [`size=${pageRound(bytes)}`, ...options].join(","), "tmpfs", dir]);
}

/** Gives the tmpfs at `dir` a new size, keeping its files: how a test frees space. */
export async function resizeTmpfs(dir: string, bytes: number): Promise<void> {
  await run("mount", ["-o", `remount,size=${pageRound(bytes)}`, dir]);
}

/** Unmounts the tmpfs at `dir` (its files go with it). */
export async function unmount(dir: string): Promise<void> {
  await run("umount", [dir]);
}

function pageRound(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / 4096)) * 4096;
}
