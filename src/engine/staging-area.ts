/**
 * A process's own local staging folder, `<root>/<pid>@<host>.<id>/`: the Parquet files a write
 * stages before upload, checkpoint scratch files, the ingest's staged CSV copies and DuckDB's spill
 * files all live in it, so everything a run stages is in one place that names its owner. The root is
 * shared by the processes of a project (`engine.tempDirectory`); opening an area removes the areas of
 * processes that are gone (killed), never one a live process uses. Closing removes the area.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { LocalWriteError, makeFolders, ownedName, removeLeftBehind } from "../storage/index.ts";

/** Staging folders of versions that did not name their owner (mkdtemp's six characters). */
const UNOWNED = /^(ingest|write)-[A-Za-z0-9]{6}$/;

/** An open staging area; call {@link close} when the process is done with it. */
export class StagingArea {
  private constructor(
    /** The folder shared by the processes of a project. */
    readonly root: string,
    /** This process's own folder inside it. */
    readonly path: string,
    /** The areas of gone processes removed when this one opened. */
    readonly removedLeftBehind: readonly string[],
  ) {}

  /**
   * Removes the left-behind areas under `root`, then creates this process's own.
   * @throws LocalWriteError naming the folder when it cannot be created (a file in the way, no
   *   permission, no space)
   */
  static async open(root: string): Promise<StagingArea> {
    const removed = await removeLeftBehind(root, { unowned: UNOWNED });
    const path = join(root, ownedName(randomUUID().slice(0, 8)));
    try {
      await makeFolders(path, 0o700);
    } catch (error) {
      // Name the configured folder, not this process's area inside it.
      const refused = LocalWriteError.from(error, root);
      throw refused instanceof LocalWriteError
        ? new LocalWriteError(root, refused.code, { cause: error })
        : refused;
    }
    return new StagingArea(root, path, removed);
  }

  /**
   * A fresh empty folder in the area (`<prefix>-XXXXXX`).
   * @throws LocalWriteError when it cannot be created
   */
  async folder(prefix: string): Promise<string> {
    try {
      // A folder removed during the run (a user tidying up) is made again rather than failing the write.
      await makeFolders(this.path, 0o700);
      return await mkdtemp(join(this.path, `${prefix}-`));
    } catch (error) {
      throw LocalWriteError.from(error, this.path);
    }
  }

  /** Runs `work` with a fresh folder of the area, removed afterwards whatever happens. */
  async withFolder<T>(prefix: string, work: (dir: string) => Promise<T>): Promise<T> {
    const dir = await this.folder(prefix);
    try {
      return await work(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** A fresh file path in the area with the given suffix; the caller removes the file. */
  file(suffix: string): string {
    mkdirSync(this.path, { recursive: true, mode: 0o700 });
    return join(this.path, `${randomUUID()}${suffix}`);
  }

  /** Removes the area and everything in it. */
  close(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}
