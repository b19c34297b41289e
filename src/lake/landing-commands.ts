/**
 * `lake files`: the landing files of a project and what became of each, and the two actions on a file
 * that was rejected or changed: load it again, or set it aside. The actions hold the project's run
 * lease, so they never interleave with a run.
 */
import { randomUUID } from "node:crypto";
import type { DeltaContext } from "../engine/index.ts";
import {
  type LandingEvent,
  type LandingFileStatus,
  landingFileStatuses,
  loadProject,
  type ProjectConfig,
  RunLease,
  retryLandingFile,
  runLeaseStore,
  setAsideLandingFile,
} from "../pipeline/index.ts";
import { withProjectEngine } from "./project-engine.ts";

/** Every landing file of the project and its state. */
export async function listLandingFiles(projectDir: string): Promise<LandingFileStatus[]> {
  const project = await loadProject(projectDir);
  return withProjectEngine(project, (ctx) => landingFileStatuses(ctx, project));
}

/** Asks the next run to load `file` (`<source>/<name>`) again, replacing what it loaded before. */
export async function retryFile(projectDir: string, file: string): Promise<LandingEvent> {
  return underLease(projectDir, (ctx, project, id) => retryLandingFile(ctx, project, file, id));
}

/** Moves `file` to `_set_aside/` in the landing zone, so no run reads it. */
export async function setAsideFile(projectDir: string, file: string): Promise<{ movedTo: string }> {
  return underLease(projectDir, (ctx, project, id) => setAsideLandingFile(ctx, project, file, id));
}

async function underLease<T>(
  projectDir: string,
  work: (ctx: DeltaContext, project: ProjectConfig, id: string) => Promise<T>,
): Promise<T> {
  const project = await loadProject(projectDir);
  const id = `files-${randomUUID().slice(0, 8)}`;
  const lease = await RunLease.acquire(runLeaseStore(project), id);
  try {
    return await withProjectEngine(project, (ctx) => work(ctx, project, id));
  } finally {
    await lease.release();
  }
}
