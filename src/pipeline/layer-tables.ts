/**
 * Where each table of the pipeline lives: a zone is a local folder or an S3 location, and a table is a
 * folder (or prefix) named after it in its zone.
 */
import { join } from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";
import { createS3Client, LocalStore, type ObjectStore, parseS3Url, S3Store } from "../storage/index.ts";
import type { ProjectConfig, Zone } from "./project-config.ts";

/** One S3 client per loaded project: it pools connections across every table of the run. */
const s3Clients = new WeakMap<ProjectConfig, S3Client>();

/** The store at a project location: a folder, or `s3://bucket/prefix` with the project's S3 settings. */
export function storeAt(project: ProjectConfig, location: string): ObjectStore {
  // One store per location and project: the engine remembers the latest snapshot of each store.
  let known = stores.get(project);
  if (known === undefined) {
    known = new Map();
    stores.set(project, known);
  }
  let store = known.get(location);
  if (store === undefined) {
    store = newStore(project, location);
    known.set(location, store);
  }
  return store;
}

const stores = new WeakMap<ProjectConfig, Map<string, ObjectStore>>();

function newStore(project: ProjectConfig, location: string): ObjectStore {
  if (!location.startsWith("s3://")) return new LocalStore(location);
  let client = s3Clients.get(project);
  if (client === undefined) {
    client = createS3Client(project.s3);
    s3Clients.set(project, client);
  }
  return new S3Store({ client, ...parseS3Url(location) });
}

/** The location of `name` inside `location` (a sub-folder, or a sub-prefix on S3). */
export function childLocation(location: string, name: string): string {
  return location.startsWith("s3://") ? `${location}/${name}` : join(location, name);
}

/** The store of a whole zone (the landing files, or the tables of a layer). */
export function zoneStore(project: ProjectConfig, zone: Zone): ObjectStore {
  return storeAt(project, project.zones[zone]);
}

/** The store of table `name` in `zone`. */
export function tableStore(project: ProjectConfig, zone: Zone, name: string): ObjectStore {
  return storeAt(project, childLocation(project.zones[zone], name));
}
