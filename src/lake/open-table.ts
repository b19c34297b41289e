/**
 * The TABLE argument of the table commands: `zone.table` inside a project (`silver.sales_enriched`,
 * `_system.runs`) or any Delta table location (`./path`, `file:///…`, `s3://bucket/prefix`), opened
 * at a version or timestamp.
 */
import type { Snapshot } from "../delta/index.ts";
import type { DeltaContext } from "../engine/index.ts";
import {
  landingLogStore,
  loadProject,
  nearest,
  type ProjectConfig,
  projectTables,
  runLogStore,
  tableStore,
} from "../pipeline/index.ts";
import type { ObjectStore } from "../storage/index.ts";
import { LakeUsageError } from "./errors.ts";
import { storeForLocation } from "./locations.ts";

/** Which version to open: a version number, an instant (ms), or the latest when empty. */
export interface TableAt {
  readonly version?: number;
  readonly timestamp?: number;
}

/** A table's store and a loaded snapshot of it. */
export interface OpenTable {
  readonly store: ObjectStore;
  readonly snapshot: Snapshot;
}

/**
 * A project table name: a zone (or `_system`, the project's own tables) and a table. A folder whose
 * name looks like this is read as a location when written as one (`./silver.sales`).
 */
const PROJECT_TABLE = /^(bronze|silver|gold|_system)\.([A-Za-z_][A-Za-z0-9_]*)$/;

/** The project's own tables, under `_system.`: the run log and the landing log. */
const SYSTEM_TABLES: Readonly<Record<string, (project: ProjectConfig) => ObjectStore>> = {
  runs: runLogStore,
  landing_files: landingLogStore,
};

/** True when `target` names a project table (`zone.table`) rather than a location. */
export function isProjectTableName(target: string): boolean {
  return PROJECT_TABLE.test(target);
}

/**
 * The store of `target`: a project table of the project in `projectDir` (or its nearest parent with
 * lake.json), or a location.
 * @throws LakeUsageError for a table name the project does not declare (with the nearest name) or an
 *   unsupported location; ProjectConfigError when no project is found.
 */
export async function tableStoreFor(target: string, projectDir = "."): Promise<ObjectStore> {
  if (!isProjectTableName(target)) return storeForLocation(target);
  return projectTableStore(await loadProject(projectDir), target);
}

/**
 * The store of the project table `name` (`zone.table`).
 * @throws LakeUsageError when the project declares no such table, naming the nearest one.
 */
export function projectTableStore(project: ProjectConfig, name: string): ObjectStore {
  const [, zone, table] = PROJECT_TABLE.exec(name) ?? [];
  const names = projectTableNames(project);
  if (zone === undefined || table === undefined || !names.includes(name)) {
    const near = nearest(name, names);
    throw new LakeUsageError(
      `${name} is not a table of the project in ${project.root}${near ? `; did you mean ${near}?` : ""} ` +
        `("lake status" lists its tables)`,
    );
  }
  const system = SYSTEM_TABLES[table];
  if (zone === "_system" && system !== undefined) return system(project);
  return tableStore(project, zone as "bronze" | "silver" | "gold", table);
}

/** Every table name a project has: its sources', models' and system tables, as `zone.table`. */
export function projectTableNames(project: ProjectConfig): string[] {
  return [
    ...projectTables(project).map(({ zone, table }) => `${zone}.${table}`),
    ...Object.keys(SYSTEM_TABLES).map((table) => `_system.${table}`),
  ];
}

/**
 * Opens the table `target` (see {@link tableStoreFor}).
 * @throws as {@link tableStoreFor}; the Delta layer's errors for a missing table or version.
 */
export async function openTable(
  ctx: DeltaContext,
  target: string,
  at: TableAt = {},
  projectDir?: string,
): Promise<OpenTable> {
  const store = await tableStoreFor(target, projectDir);
  return { store, snapshot: await ctx.snapshot(store, at) };
}
