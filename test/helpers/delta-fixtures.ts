/**
 * Small Delta logs and tables for tests of how the reader meets bad input: commits written by hand,
 * corpus tables copied to a writable folder, and an assertion of an error's exact class and message.
 */
import assert from "node:assert/strict";
import { chmod, cp, readdir } from "node:fs/promises";
import { join } from "node:path";
import {
  type Action,
  commitKey,
  field,
  type Protocol,
  type StructType,
  serializeSchema,
  struct,
} from "../../src/delta/index.ts";
import type { ObjectStore } from "../../src/storage/index.ts";

/** The schema of hand-written tables: one `long` column `id`. */
export const ID_SCHEMA: StructType = struct(field("id", "long"));

/** A protocol action (1/2 unless given). */
export function protocolAction(protocol: Protocol = { minReaderVersion: 1, minWriterVersion: 2 }): Action {
  return { protocol };
}

/** A metaData action with `schemaString` (ID_SCHEMA's unless given), unpartitioned, no properties. */
export function metadataAction(schemaString: string = serializeSchema(ID_SCHEMA)): Action {
  return {
    metaData: {
      id: "00000000-0000-0000-0000-000000000000",
      format: { provider: "parquet", options: {} },
      schemaString,
      partitionColumns: [],
      configuration: {},
      createdTime: 0,
    },
  };
}

/** An add of a data file that need not exist (enough for loading a snapshot, not for reading rows). */
export function addAction(path: string): Action {
  return { add: { path, partitionValues: {}, size: 1, modificationTime: 0, dataChange: true } };
}

/**
 * Writes commits 0, 1, ... in order; a commit is a list of actions, or raw lines for a damaged one.
 * `undefined` leaves that version's file out (a gap).
 */
export async function writeCommits(
  store: ObjectStore,
  commits: ReadonlyArray<ReadonlyArray<Action | string> | undefined>,
): Promise<void> {
  for (const [version, lines] of commits.entries()) {
    if (lines === undefined) continue;
    const text = lines.map((line) => (typeof line === "string" ? line : JSON.stringify(line))).join("\n");
    await store.put(commitKey(version), new TextEncoder().encode(`${text}\n`));
  }
}

/** The message `JSON.parse` gives for `text` (the reader quotes it; its wording is V8's, not ours). */
export function jsonParseMessage(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${text} is valid JSON`);
}

/**
 * Copies a table folder (a corpus table is read-only) to `dest` and makes the copy writable, so tests
 * can damage and delete its files.
 */
export async function copyTable(source: string, dest: string): Promise<string> {
  await cp(source, dest, { recursive: true });
  await makeWritable(dest);
  return dest;
}

/**
 * Asserts that `work` fails with exactly an instance of `type` and exactly `message`; returns the
 * error so its data can be checked too.
 */
export async function rejectsWith<E extends Error>(
  work: Promise<unknown> | (() => unknown),
  type: new (...args: never[]) => E,
  message: string,
): Promise<E> {
  let caught: unknown;
  try {
    await (typeof work === "function" ? work() : work);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught !== undefined, `expected ${type.name} "${message}", but nothing was thrown`);
  assert.ok(caught instanceof type, `expected a ${type.name}, got ${String(caught)}`);
  assert.equal(caught.constructor, type, `expected exactly ${type.name}, got ${caught.constructor.name}`);
  assert.equal(caught.message, message);
  return caught;
}

async function makeWritable(path: string): Promise<void> {
  await chmod(path, 0o755);
  for (const entry of await readdir(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) await makeWritable(child);
    else await chmod(child, 0o644);
  }
}
