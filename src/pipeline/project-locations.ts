/**
 * The places a project writes must be apart: a zone inside another (or the same folder) would let one
 * zone's tables and clean-ups reach the other's files (vacuum of bronze deleting landing CSVs), and a
 * temp folder holding a zone would have its staging clean-up delete tables. And a local place that
 * exists must be a folder: a file there fails later, deep in a write, with an error that names no setting.
 */
import { stat } from "node:fs/promises";
import { dirname } from "node:path";

/** A location with a scheme (`s3://`, `gs://`, ...), as opposed to a folder path. */
export const URL_SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//;

/** A location and the setting that gives it (`zones.bronze`, `engine.tempDirectory`). */
export interface PlacedLocation {
  readonly field: string;
  /** An absolute folder or `s3://bucket[/prefix]`, normalized. */
  readonly location: string;
}

/**
 * Why `zones` overlap each other or `others` (the temp and system folders) overlap a zone, naming both
 * settings; `undefined` when all are apart. The system folder may be inside a zone only in a folder
 * whose name starts with `_`, which no table can take.
 */
export function overlapProblem(
  zones: readonly PlacedLocation[],
  others: readonly PlacedLocation[],
): { readonly field: string; readonly problem: string } | undefined {
  for (const [i, zone] of zones.entries()) {
    for (const other of zones.slice(0, i)) {
      const how = relation(zone.location, other.location);
      if (how)
        return {
          field: zone.field,
          problem: `${describeRelation(zone, other, how)}: zones must not overlap`,
        };
    }
  }
  for (const place of others) {
    for (const zone of zones) {
      const how = relation(place.location, zone.location);
      if (how === undefined) continue;
      const where = describeRelation(place, zone, how);
      if (place.field !== "systemDirectory" || how !== "is inside")
        return { field: place.field, problem: `${where}: ${place.field} must be apart from the zones` };
      if (!firstSegmentBelow(place.location, zone.location).startsWith("_"))
        return {
          field: place.field,
          problem: `${where}, where a table could take its name: use a folder starting with _ (like ${zone.location}/_system) or one outside the zones`,
        };
    }
  }
  return undefined;
}

/** How a place lies to another: the same location, inside it, or holding it. */
type Relation = "is also" | "is inside" | "holds";

/** How `place` lies to `other`; `undefined` when they are apart. */
function relation(place: string, other: string): Relation | undefined {
  if (place === other) return "is also";
  if (isInside(place, other)) return "is inside";
  if (isInside(other, place)) return "holds";
  return undefined;
}

/** `place` and how it lies to `other`, in words: "/p/lake/data is inside zones.bronze (/p/lake/bronze)". */
function describeRelation(place: PlacedLocation, other: PlacedLocation, how: Relation): string {
  return `${place.location} ${how} ${other.field}${how === "is also" ? "" : ` (${other.location})`}`;
}

/** True when `location` lies strictly inside `outer` (folders and S3 prefixes alike). */
function isInside(location: string, outer: string): boolean {
  return location.startsWith(outer.endsWith("/") ? outer : `${outer}/`);
}

/** The first path segment of `location` below `outer` (which contains it). */
function firstSegmentBelow(location: string, outer: string): string {
  return location.slice(outer.length).replace(/^\/+/, "").split("/")[0] as string;
}

/**
 * The nearest part of a local `folder` (itself or a parent) that exists and is not a folder;
 * `undefined` when what exists of it is a folder (a missing folder is created when needed).
 */
export async function fileInTheWay(folder: string): Promise<string | undefined> {
  for (let path = folder; ; path = dirname(path)) {
    try {
      return (await stat(path)).isDirectory() ? undefined : path;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // ENOTDIR: a parent is a file, found further up; ENOENT: not there yet, look at the parent.
      if ((code !== "ENOENT" && code !== "ENOTDIR") || dirname(path) === path) return undefined;
    }
  }
}
