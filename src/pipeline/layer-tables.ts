/**
 * Where each table of the pipeline lives, and how a derived table remembers which version of its
 * input it has consumed: a `txn` action with appId `medallion-lake/input/<input>` and the input's
 * version, committed together with the data, so a re-run knows exactly what is new.
 */
import { join } from "node:path";
import type { Snapshot } from "../delta/index.ts";
import { LocalStore } from "../storage/index.ts";
import type { ProjectConfig, Zone } from "./project-config.ts";

/** The store of table `name` in `zone`. */
export function tableStore(project: ProjectConfig, zone: Zone, name: string): LocalStore {
  return new LocalStore(join(project.zones[zone], name));
}

/** The txn appId under which a table records the version of `input` it consumed. */
export function inputAppId(input: string): string {
  return `medallion-lake/input/${input}`;
}

/** The version of `input` the table has consumed, if any. */
export function consumedVersion(table: Snapshot | undefined, input: string): number | undefined {
  return table?.txn(inputAppId(input))?.version;
}
