/**
 * Process ids for tests of staging ownership: one of a process that runs until stopped, and one of
 * a process that has exited (a killed run's).
 */
import { spawn } from "node:child_process";
import { once } from "node:events";

/** A running process (it sleeps) and a way to stop it. */
export async function liveProcess(): Promise<{ pid: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 600_000)"], { stdio: "ignore" });
  await once(child, "spawn");
  return {
    pid: child.pid as number,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGKILL");
      await exited;
    },
  };
}

/** The pid of a process that has exited. */
export async function exitedPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await once(child, "exit");
  return child.pid as number;
}
