/**
 * The places a project writes must be apart: a zone inside another (or the same folder) would let one
 * zone's tables and clean-ups reach the other's files (vacuum of bronze deleting landing CSVs), and a
 * temp folder holding a zone would have its staging clean-up delete tables. And a local place that
 * exists must be a folder: a file there fails later, deep in a write, with an error that names no setting.
 */
import { stat } from "node:fs/promises";
import { dirname } from "node:path";

/** A location and the setting that gives it (`zones.bronze`, `engine.tempDirectory`). */
export interface PlacedLocation {
  readonly field: string;
  /** An absolute folder or `s3://bucket[/prefix]`, normalized. */
  readonly location: string;
}

/** How a place lies to another: the same location, inside it, or holding it. */
export type Relation = "is also" | "is inside" | "holds";

/** How `place` lies to `other`; `undefined` when they are apart. */
export function relation(place: string, other: string): Relation | undefined {
  if (place === other) return "is also";
  if (isInside(place, other)) return "is inside";
  if (isInside(other, place)) return "holds";
  return undefined;
}

/** `place` and how it lies to `other`, in words: "/p/lake/data is inside zones.bronze (/p/lake/bronze)". */
export function describeRelation(place: PlacedLocation, other: PlacedLocation, how: Relation): string {
  return `${place.location} ${how} ${other.field}${how === "is also" ? "" : ` (${other.location})`}`;
}

/** True when `location` lies strictly inside `outer` (folders and S3 prefixes alike). */
export function isInside(location: string, outer: string): boolean {
  return location.startsWith(outer.endsWith("/") ? outer : `${outer}/`);
}

/** The first path segment of `location` below `outer` (which contains it). */
export function firstSegmentBelow(location: string, outer: string): string {
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
