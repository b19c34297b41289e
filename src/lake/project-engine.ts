/** Opening DuckDB with a project's engine settings (threads, memory limit, spill folder, read cache). */
import { join } from "node:path";
import { DeltaContext, type DeltaContextOptions } from "../engine/index.ts";
import type { ProjectConfig } from "../pipeline/index.ts";

/** Runs `work` with a DeltaContext configured from the project, closed afterwards. */
export function withProjectEngine<T>(
  project: ProjectConfig,
  work: (ctx: DeltaContext) => Promise<T>,
): Promise<T> {
  return DeltaContext.with(work, projectEngineOptions(project));
}

/** The DeltaContext settings of the project's `engine` section. */
export function projectEngineOptions(
  project: ProjectConfig,
): DeltaContextOptions & { cacheDirectory: string } {
  return {
    ...(project.engine.threads === undefined ? {} : { threads: project.engine.threads }),
    ...(project.engine.memoryLimit === undefined ? {} : { memoryLimit: project.engine.memoryLimit }),
    stagingRoot: project.engine.tempDirectory,
    cacheDirectory: join(project.engine.tempDirectory, "cache"),
  };
}
