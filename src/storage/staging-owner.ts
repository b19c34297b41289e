/**
 * Names for staging files and folders that say which process made them (`<pid>@<host>.<suffix>`), so
 * that a later process can remove what a killed one left behind and never what a live one still
 * writes. On this host a maker is alive while its pid is; a maker on another host (a project folder
 * shared over the network) cannot be asked, so its entries are removed only once a day old.
 */
import { lstat, readdir, rm } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";

/** The process that made a staging entry. */
export interface StagingOwner {
  readonly pid: number;
  readonly host: string;
}

/** How old an entry of another host must be before it counts as left behind. */
export const OTHER_HOST_STALE_MS = 24 * 60 * 60_000;

const OWNED = /^(\d+)@(.+)\.([A-Za-z0-9_-]+)$/;

/** `<pid>@<host>.<suffix>` for this process; `suffix` is letters, digits, `-` and `_` (a UUID). */
export function ownedName(suffix: string): string {
  return `${process.pid}@${hostname()}.${suffix}`;
}

/** The maker named by an entry's name (without `extension`), or undefined for a name of another form. */
export function ownerOf(name: string, extension = ""): StagingOwner | undefined {
  if (!name.endsWith(extension)) return undefined;
  const match = OWNED.exec(name.slice(0, name.length - extension.length));
  if (match === null) return undefined;
  return { pid: Number(match[1]), host: match[2] as string };
}

/** Whether the owner is this process or another process of this host that still runs. */
export function isAlive(owner: StagingOwner): boolean {
  if (owner.host !== hostname()) return true;
  if (owner.pid === process.pid) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

/** Which entries of a folder {@link removeLeftBehind} looks at, besides owned names. */
export interface LeftBehindOptions {
  /** Owned names carry this extension (`.partial`). */
  readonly extension?: string;
  /**
   * Names staging had before it named its owner (`ingest-AbC123`, a bare UUID): removed once a day
   * old, since no process still running can have made them.
   */
  readonly unowned?: RegExp;
  readonly now?: number;
}

/**
 * Removes the entries of `folder` named by {@link ownedName} (plus `extension`) whose maker is gone:
 * a process of this host that no longer runs, or another host's entry older than a day; and the
 * `unowned` names older than a day. A missing folder holds nothing. Returns the removed paths.
 */
export async function removeLeftBehind(folder: string, options: LeftBehindOptions = {}): Promise<string[]> {
  const { extension = "", unowned, now = Date.now() } = options;
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const owner = ownerOf(name, extension);
    const path = join(folder, name);
    if (owner === undefined) {
      if (!unowned?.test(name) || !(await olderThan(path, now - OTHER_HOST_STALE_MS))) continue;
    } else if (
      owner.host === hostname() ? isAlive(owner) : !(await olderThan(path, now - OTHER_HOST_STALE_MS))
    ) {
      continue;
    }
    await rm(path, { recursive: true, force: true });
    removed.push(path);
  }
  return removed;
}

async function olderThan(path: string, time: number): Promise<boolean> {
  const info = await lstat(path).catch(() => undefined);
  return info !== undefined && info.mtimeMs < time;
}
