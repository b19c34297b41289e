/**
 * What a trial's project must not hold once a run has completed after a kill: staging of a process
 * that is gone. That is an entry of a table's `.lake-tmp` folder (a temporary file of a killed write),
 * or a staging area in `engine.tempDirectory` whose owner is not alive.
 */
import { readdir } from "node:fs/promises";
import { join, relative } from "node:path";
import { loadProject } from "../../src/pipeline/index.ts";
import { isAlive, ownerOf } from "../../src/storage/index.ts";

/** The left-behind staging entries in the project at `projectDir`, as paths relative to it. */
export async function leftBehindStaging(projectDir: string): Promise<string[]> {
  const project = await loadProject(projectDir);
  const found: string[] = [];
  const lakeTemp = await readdir(join(projectDir, "lake"), { recursive: true, withFileTypes: true }).catch(
    () => [],
  );
  for (const entry of lakeTemp) {
    if (entry.parentPath.split(/[\\/]/).at(-1) === ".lake-tmp")
      found.push(relative(projectDir, join(entry.parentPath, entry.name)));
  }
  for (const name of await readdir(project.engine.tempDirectory).catch(() => [])) {
    const owner = ownerOf(name);
    if (owner !== undefined && !isAlive(owner))
      found.push(relative(projectDir, join(project.engine.tempDirectory, name)));
  }
  return found.sort();
}
