/**
 * Failures of the machine rather than of the data, turned into messages a user can act on: a full
 * disk, a folder that cannot be written or is a file, DuckDB out of memory. Each names the path and
 * the lake.json setting it belongs to (a zone, `systemDirectory`, `engine.tempDirectory`,
 * `engine.memoryLimit`). Delta commits are atomic, so such a failure never changes what was committed.
 */
import { resolve, sep } from "node:path";
import { LocalWriteError } from "../storage/index.ts";
import { PipelineDataError } from "./errors.ts";
import { type ProjectConfig, ZONES } from "./project-config.ts";

/** A run (or a landing) failed for lack of a resource; nothing committed before it changed. */
export class ResourceError extends PipelineDataError {
  constructor(
    message: string,
    /** The lake.json setting to look at (`zones.silver`, `engine.memoryLimit`), when one applies. */
    readonly setting: string | undefined,
    /** The file or folder that could not be written, when known. */
    readonly path: string | undefined,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "ResourceError";
  }
}

/** What to do after the fix, for a run. */
export const RUN_AGAIN =
  "then run lake run again: what was committed is unchanged and the run continues from there";

/**
 * `error` as a ResourceError when it (or an error it was caused by) is a full disk, a refused write or
 * DuckDB running out of memory; otherwise `error` itself. `during` names the step (`bronze.sales`),
 * `again` what to do once it is fixed.
 */
export function asResourceError(
  error: unknown,
  project: ProjectConfig,
  during: string,
  again = RUN_AGAIN,
): unknown {
  if (error instanceof ResourceError) return error;
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const write = e instanceof LocalWriteError ? e : duckDbWriteError(e);
    if (write !== undefined) return fromWriteError(write, project, during, again, error);
    if (/^Out of Memory Error/m.test(e.message)) {
      const limit = project.engine.memoryLimit;
      const temp = resolve(project.engine.tempDirectory);
      return new ResourceError(
        `DuckDB ran out of memory during ${during} (engine.memoryLimit is ${limit === undefined ? "not set: 80 % of the RAM" : `"${limit}"`}, and it spills to ${temp}): ` +
          `raise engine.memoryLimit in lake.json, lower engine.threads, or free space for spilling, ${again}. DuckDB said: ${firstLine(e.message)}`,
        "engine.memoryLimit",
        undefined,
        { cause: error },
      );
    }
  }
  return error;
}

function fromWriteError(
  write: LocalWriteError,
  project: ProjectConfig,
  during: string,
  again: string,
  cause: unknown,
): ResourceError {
  const setting = settingOf(write.path, project);
  const where = setting === undefined ? "" : ` (${setting.name} in lake.json is ${setting.folder})`;
  const fix =
    write.code === "ENOSPC" || write.code === "EDQUOT" || write.code === "EFBIG"
      ? `free space there${setting ? ` or point ${setting.name} at a larger disk` : ""}`
      : `make it a folder you can write${setting ? `, or point ${setting.name} at one` : ""}`;
  return new ResourceError(
    `${write.message}${where}, during ${during}: ${fix}, ${again}`,
    setting?.name,
    write.path,
    { cause },
  );
}

/** DuckDB reports a refused write as an IO Error naming the file in quotes. */
function duckDbWriteError(error: Error): LocalWriteError | undefined {
  const match =
    /^IO Error: .*?["']([^"']+)["'].*?(No space left on device|Permission denied|Read-only file system|Disk quota exceeded)/ms.exec(
      error.message,
    );
  if (match === null) return undefined;
  const codes: Record<string, string> = {
    "No space left on device": "ENOSPC",
    "Permission denied": "EACCES",
    "Read-only file system": "EROFS",
    "Disk quota exceeded": "EDQUOT",
  };
  return new LocalWriteError(match[1] as string, codes[match[2] as string] as string, { cause: error });
}

/** The lake.json setting whose folder holds `path` (the deepest one), if any. */
function settingOf(path: string, project: ProjectConfig): { name: string; folder: string } | undefined {
  const candidates = [
    ...ZONES.map((zone) => ({ name: `zones.${zone}`, folder: project.zones[zone] })),
    { name: "systemDirectory", folder: project.systemDirectory },
    { name: "engine.tempDirectory", folder: project.engine.tempDirectory },
  ].filter((c) => !c.folder.startsWith("s3://"));
  const inside = (folder: string) => {
    const root = resolve(folder);
    return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
  };
  return candidates
    .filter((c) => inside(c.folder))
    .sort((a, b) => resolve(b.folder).length - resolve(a.folder).length)[0];
}

function firstLine(text: string): string {
  return text.split("\n", 1)[0] ?? text;
}
