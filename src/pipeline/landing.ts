/**
 * The landing zone (a folder or an S3 location): raw files as they arrived, one folder per source
 * (`landing/<source>/<file>`), write-once. A file is never overwritten or deleted by the pipeline; landing the same bytes again is
 * a no-op, landing different bytes under a taken name is refused.
 */
import { createReadStream } from "node:fs";
import { basename } from "node:path";
import { ObjectExistsError, type ObjectStore } from "../storage/index.ts";
import { sha256Of } from "./chunk-hash.ts";
import { headerProblem, MAX_LINE_BYTES } from "./csv-prepass.ts";
import { LandingError } from "./errors.ts";
import { zoneStore } from "./layer-tables.ts";
import { matchesPattern, type ProjectConfig, type SourceConfig } from "./project-config.ts";

/** A landing file: its key in the landing zone, its size and its version tag (changes with its bytes). */
export interface LandingFile {
  readonly key: string;
  readonly size: number;
  readonly etag: string;
}

/** What happened to one file handed to {@link landFiles}. */
export interface LandedFile {
  readonly file: string;
  readonly source: string;
  readonly key: string;
  /** False when the same bytes were already in landing. */
  readonly copied: boolean;
}

/** The source whose `files` pattern matches the file name. @throws LandingError when none or several do. */
export function sourceForFile(project: ProjectConfig, fileName: string): SourceConfig {
  const matches = project.sources.filter((s) => matchesPattern(fileName, s.files));
  if (matches.length === 1 && matches[0]) return matches[0];
  const patterns = project.sources.map((s) => `${s.name} (${s.files})`).join(", ");
  throw new LandingError(
    matches.length === 0
      ? `${fileName} matches no source of the project; sources and their file patterns: ${patterns || "none"}`
      : `${fileName} matches several sources (${matches.map((s) => s.name).join(", ")}); make the file patterns in lake.json distinct`,
  );
}

/**
 * Copies files into the landing zone under `<source>/<file name>`.
 * @throws LandingError when a file matches no source, or a different file already has its name.
 */
export async function landFiles(project: ProjectConfig, files: readonly string[]): Promise<LandedFile[]> {
  const landing = zoneStore(project, "landing");
  const landed: LandedFile[] = [];
  for (const file of files) {
    const name = basename(file);
    const source = sourceForFile(project, name);
    const key = `${source.name}/${name}`;
    const problem = headerProblem(await firstLine(file), source.columns);
    if (problem !== undefined)
      throw new LandingError(`${file} cannot be landed as a ${source.name} file: ${problem}`);
    try {
      await landing.putStream(key, createReadStream(file), { ifNoneMatch: true });
      landed.push({ file, source: source.name, key, copied: true });
    } catch (error) {
      if (!(error instanceof ObjectExistsError)) throw error;
      if ((await sha256Of(landing.getStream(key))) !== (await sha256Of(createReadStream(file)))) {
        throw new LandingError(
          `landing/${key} already exists with different content; landing is write-once: give the new file another name`,
        );
      }
      landed.push({ file, source: source.name, key, copied: false });
    }
  }
  return landed;
}

/** The source's files in the landing zone, in name order. */
export async function listLandingFiles(project: ProjectConfig, source: SourceConfig): Promise<LandingFile[]> {
  const landing = zoneStore(project, "landing");
  const files: LandingFile[] = [];
  for await (const meta of landing.list(`${source.name}/`)) {
    const name = meta.key.slice(source.name.length + 1);
    if (name.includes("/") || !matchesPattern(name, source.files)) continue;
    files.push({ key: meta.key, size: meta.size, etag: meta.etag });
  }
  return files;
}

/** The first line of a local file (at most one record's bytes), without its line break. */
async function firstLine(file: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of createReadStream(file, { end: MAX_LINE_BYTES })) {
      const bytes = chunk as Buffer;
      const nl = bytes.indexOf(0x0a);
      parts.push(nl === -1 ? bytes : bytes.subarray(0, nl));
      length += bytes.length;
      if (nl !== -1 || length > MAX_LINE_BYTES) break;
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new LandingError(`${file} does not exist`);
    if (code === "EISDIR") throw new LandingError(`${file} is a folder; give the files in it`);
    if (code === "EACCES") throw new LandingError(`${file} cannot be read: permission denied`);
    throw error;
  }
  const line = Buffer.concat(parts);
  return line.at(-1) === 0x0d && !line.subarray(0, -1).includes(0x0d) ? line.subarray(0, -1) : line;
}

/**
 * The bytes of a landing file, read in large chunks from a local folder (the CSV pre-pass is
 * faster on few large chunks) or streamed from S3.
 */
export function readLandingFile(landing: ObjectStore, key: string): AsyncIterable<Uint8Array> {
  const path = landing.localPath(key);
  return path === undefined
    ? landing.getStream(key)
    : createReadStream(path, { highWaterMark: 4 * 1024 * 1024 });
}
