/**
 * The landing files as a user sees them (`lake files`, `lake status`): each file's state from the
 * landing log and the landing zone's listing, and the two things a user may do about a file that was
 * rejected or changed: load it again (`retry`) or move it out of the way (`set aside`).
 */
import type { DeltaContext } from "../engine/index.ts";
import { LandingError } from "./errors.ts";
import { listLandingFiles } from "./landing.ts";
import { appendLandingEvents, type LandingEvent, readLandingLog } from "./landing-log.ts";
import { zoneStore } from "./layer-tables.ts";
import { nearest } from "./model-graph.ts";
import type { ProjectConfig } from "./project-config.ts";

/** Where `set aside` moves a file inside the landing zone: out of every source's folder. */
export const SET_ASIDE_FOLDER = "_set_aside";

export type LandingFileState = "waiting" | "ingested" | "rejected" | "changed" | "set aside" | "missing";

/** One landing file and what became of it. */
export interface LandingFileStatus {
  readonly source: string;
  /** The landing key, `<source>/<name>`. */
  readonly file: string;
  readonly state: LandingFileState;
  /** Bytes now in the landing zone, and their version tag (null once set aside or deleted). */
  readonly size: number | null;
  readonly etag: string | null;
  /** The last event's details: counts of a load, the reason of a rejection, change or retry. */
  readonly last: LandingEvent | undefined;
}

/**
 * Every landing file of every source, and every file the log knows that is no longer there, by key.
 * A change to a loaded file shows once a run has compared its checksum.
 */
export async function landingFileStatuses(
  ctx: DeltaContext,
  project: ProjectConfig,
): Promise<LandingFileStatus[]> {
  const log = await readLandingLog(ctx, project);
  const statuses: LandingFileStatus[] = [];
  const listed = new Set<string>();
  for (const source of project.sources) {
    for (const file of await listLandingFiles(project, source)) {
      listed.add(file.key);
      const last = log.latest.get(file.key);
      const loaded = last !== undefined && log.recorded(file.key) >= last.generation;
      // A file landed again under a set-aside name is a new file.
      let state: LandingFileState =
        last?.event === "set_aside" && last.etag === file.etag ? "set aside" : "waiting";
      if (loaded && last.event !== "retried" && last.event !== "set_aside") state = last.event;
      statuses.push({ source: source.name, file: file.key, state, size: file.size, etag: file.etag, last });
    }
  }
  for (const [key, last] of log.latest) {
    if (listed.has(key)) continue;
    statuses.push({
      source: last.source,
      file: key,
      state: last.event === "set_aside" ? "set aside" : "missing",
      size: null,
      etag: null,
      last,
    });
  }
  return statuses.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/**
 * Asks the next run to load `file` again as it is now: its earlier lines leave bronze and the rejects
 * table in the commits that add the new ones. For a file that was rejected or changed (or any loaded
 * file, to reload it on purpose).
 * @throws LandingError when no landing file has that key, or it was never loaded.
 */
export async function retryLandingFile(
  ctx: DeltaContext,
  project: ProjectConfig,
  file: string,
  runId: string,
): Promise<LandingEvent> {
  const status = await statusOf(ctx, project, file);
  if (status.state === "waiting")
    throw new LandingError(`${file} is waiting to be loaded already; the next lake run loads it`);
  if (status.state === "set aside" || status.state === "missing")
    throw new LandingError(
      `${file} is no longer in the landing zone (${status.state}); land it again to load it`,
    );
  const last = status.last as LandingEvent;
  const event: LandingEvent = {
    ...last,
    event: "retried",
    generation: last.generation + 1,
    size: status.size ?? last.size,
    records: null,
    bronzeRows: null,
    rejectedLines: null,
    reason: `retry asked after it was ${status.state}`,
    runId,
    at: Date.now(),
  };
  await appendLandingEvents(ctx, project, [event]);
  return event;
}

/**
 * Moves `file` out of its source's folder to `_set_aside/<source>/<name>` in the landing zone, so no
 * run reads it; rows already loaded from it stay. Copy, log, then delete: runs skip a file whose last
 * event is `set_aside`, so a crash before the delete loads nothing, and running it again completes it.
 * @throws LandingError when no landing file has that key.
 */
export async function setAsideLandingFile(
  ctx: DeltaContext,
  project: ProjectConfig,
  file: string,
  runId: string,
): Promise<{ movedTo: string; event: LandingEvent }> {
  const status = await statusOf(ctx, project, file);
  if (status.state === "missing") throw new LandingError(`${file} is no longer in the landing zone`);
  const landing = zoneStore(project, "landing");
  const movedTo = `${SET_ASIDE_FOLDER}/${file}`;
  await landing.putStream(movedTo, landing.getStream(file));
  const event: LandingEvent = {
    source: status.source,
    file,
    event: "set_aside",
    generation: status.last?.generation ?? 1,
    size: status.size ?? 0,
    sha256: status.last?.sha256 ?? null,
    etag: status.etag,
    records: null,
    bronzeRows: null,
    rejectedLines: null,
    reason: `moved to ${movedTo} after it was ${status.state}`,
    runId,
    at: Date.now(),
  };
  await appendLandingEvents(ctx, project, [event]);
  await landing.delete(file);
  return { movedTo, event };
}

async function statusOf(ctx: DeltaContext, project: ProjectConfig, file: string): Promise<LandingFileStatus> {
  const statuses = await landingFileStatuses(ctx, project);
  const found = statuses.find((s) => s.file === file);
  if (found) return found;
  const near = nearest(
    file,
    statuses.map((s) => s.file),
  );
  throw new LandingError(
    `no landing file ${file}${near ? `; did you mean ${near}?` : ""} (files are named <source>/<file name>; lake files lists them)`,
  );
}
