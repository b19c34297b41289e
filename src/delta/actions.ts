/**
 * Delta log actions in their JSON shape ("Actions" in PROTOCOL.md), parsing of commit files and
 * serialization of new ones. Unknown actions and fields are kept out of the way, never an error
 * ("Protocol Evolution": readers ignore what they do not know).
 */
import type { DeletionVectorDescriptor } from "./deletion-vector.ts";

export interface Protocol {
  readonly minReaderVersion: number;
  readonly minWriterVersion: number;
  readonly readerFeatures?: readonly string[] | null;
  readonly writerFeatures?: readonly string[] | null;
}

export interface Format {
  readonly provider: string;
  readonly options?: Readonly<Record<string, string>> | null;
}

export interface Metadata {
  readonly id: string;
  readonly name?: string | null;
  readonly description?: string | null;
  readonly format: Format;
  readonly schemaString: string;
  readonly partitionColumns: readonly string[];
  readonly configuration: Readonly<Record<string, string>>;
  readonly createdTime?: number | null;
}

export type PartitionValues = Readonly<Record<string, string | null>>;

export interface AddFile {
  readonly path: string;
  readonly partitionValues: PartitionValues;
  readonly size: number;
  readonly modificationTime: number;
  readonly dataChange: boolean;
  readonly stats?: string | null;
  readonly tags?: Readonly<Record<string, string | null>> | null;
  readonly deletionVector?: DeletionVectorDescriptor | null;
  readonly baseRowId?: number | null;
  readonly defaultRowCommitVersion?: number | null;
  readonly clusteringProvider?: string | null;
}

export interface RemoveFile {
  readonly path: string;
  readonly dataChange: boolean;
  readonly deletionTimestamp?: number | null;
  readonly extendedFileMetadata?: boolean | null;
  readonly partitionValues?: PartitionValues | null;
  readonly size?: number | null;
  readonly stats?: string | null;
  readonly tags?: Readonly<Record<string, string | null>> | null;
  readonly deletionVector?: DeletionVectorDescriptor | null;
  readonly baseRowId?: number | null;
  readonly defaultRowCommitVersion?: number | null;
}

export interface Txn {
  readonly appId: string;
  readonly version: number;
  readonly lastUpdated?: number | null;
}

export interface DomainMetadata {
  readonly domain: string;
  readonly configuration: string;
  readonly removed: boolean;
}

/** Free-form provenance; these are the fields Medallion Lake writes and reads. */
export interface CommitInfo {
  readonly timestamp?: number;
  readonly inCommitTimestamp?: number;
  readonly operation?: string;
  readonly operationParameters?: Readonly<Record<string, unknown>>;
  readonly operationMetrics?: Readonly<Record<string, unknown>>;
  readonly engineInfo?: string;
  readonly readVersion?: number;
  readonly isBlindAppend?: boolean;
  readonly txnId?: string;
  readonly [other: string]: unknown;
}

export interface Cdc {
  readonly path: string;
  readonly partitionValues: PartitionValues;
  readonly size: number;
  readonly dataChange: boolean;
}

/** A V2 checkpoint's reference to a sidecar file in `_delta_log/_sidecars/`. */
export interface Sidecar {
  readonly path: string;
  readonly sizeInBytes: number;
  readonly modificationTime: number;
}

export type Action =
  | { readonly protocol: Protocol }
  | { readonly metaData: Metadata }
  | { readonly add: AddFile }
  | { readonly remove: RemoveFile }
  | { readonly txn: Txn }
  | { readonly domainMetadata: DomainMetadata }
  | { readonly commitInfo: CommitInfo }
  | { readonly cdc: Cdc }
  | { readonly sidecar: Sidecar }
  | { readonly checkpointMetadata: { readonly version: number } };

const KNOWN_ACTIONS = new Set([
  "protocol",
  "metaData",
  "add",
  "remove",
  "txn",
  "domainMetadata",
  "commitInfo",
  "cdc",
  "sidecar",
  "checkpointMetadata",
]);

/**
 * Parses the newline-delimited JSON of a commit (or V2 JSON checkpoint) into its actions, skipping
 * unknown action types. Accepts a trailing newline or none, blank lines and whitespace in the JSON.
 * @throws Error naming the line that is not a JSON object or whose action lacks a required field;
 *   the caller adds the file's location.
 */
export function parseActions(text: string): Action[] {
  const actions: Action[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]?.trim();
    if (!line) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (error) {
      throw new Error(`line ${i + 1} is not valid JSON (${(error as Error).message})`);
    }
    const action = toAction(parsed, `line ${i + 1}`);
    if (action) actions.push(action);
  }
  return actions;
}

/**
 * Validates one action object (a commit line or a checkpoint row with its null columns removed).
 * Returns `undefined` for an unknown action type.
 * @throws Error naming the missing or mistyped required field.
 */
export function toAction(value: unknown, where: string): Action | undefined {
  if (!isRecord(value)) throw new Error(`${where} is not a JSON object`);
  const keys = Object.keys(value).filter(
    (k) => KNOWN_ACTIONS.has(k) && value[k] !== null && value[k] !== undefined,
  );
  if (keys.length === 0) return undefined;
  if (keys.length > 1) throw new Error(`${where} holds more than one action (${keys.join(", ")})`);
  const type = keys[0] as string;
  const raw = value[type];
  if (!isRecord(raw)) throw new Error(`${where}: "${type}" is not an object`);
  // Checkpoint rows and some writers (delta-rs) spell absent optional fields as null: drop them, so an
  // action reads the same whichever file it came from and is re-committed without them.
  const body = withoutNulls(raw);
  const at = `${where} (${type})`;
  switch (type) {
    case "protocol":
      requireFields(body, at, { minReaderVersion: "number", minWriterVersion: "number" });
      break;
    case "metaData":
      requireFields(body, at, { id: "string", schemaString: "string" });
      return {
        metaData: {
          ...(body as unknown as Metadata),
          format: isRecord(body.format)
            ? (body.format as unknown as Format)
            : { provider: "parquet", options: {} },
          partitionColumns: Array.isArray(body.partitionColumns) ? (body.partitionColumns as string[]) : [],
          configuration: isRecord(body.configuration) ? (body.configuration as Record<string, string>) : {},
        },
      };
    case "add":
      requireFields(body, at, { path: "string", size: "number" });
      return {
        add: {
          ...(body as unknown as AddFile),
          partitionValues: isRecord(body.partitionValues) ? (body.partitionValues as PartitionValues) : {},
          dataChange: body.dataChange !== false,
          modificationTime: typeof body.modificationTime === "number" ? body.modificationTime : 0,
        },
      };
    case "remove":
      requireFields(body, at, { path: "string" });
      return { remove: { ...(body as unknown as RemoveFile), dataChange: body.dataChange !== false } };
    case "txn":
      requireFields(body, at, { appId: "string", version: "number" });
      break;
    case "domainMetadata":
      requireFields(body, at, { domain: "string" });
      return {
        domainMetadata: {
          domain: body.domain as string,
          configuration: typeof body.configuration === "string" ? body.configuration : "",
          removed: body.removed === true,
        },
      };
    case "sidecar":
      requireFields(body, at, { path: "string" });
      break;
  }
  return { [type]: body } as unknown as Action;
}

/** A `remove` for a live file, with the fields Spark writes (extended file metadata, its deletion vector). */
export function removeAction(file: AddFile, now: number, dataChange = true): RemoveFile {
  return {
    path: file.path,
    deletionTimestamp: now,
    dataChange,
    extendedFileMetadata: true,
    partitionValues: file.partitionValues,
    size: file.size,
    ...(file.deletionVector ? { deletionVector: file.deletionVector } : {}),
  };
}

/** The newline-delimited JSON text of a commit, one action per line, ending with a newline. */
export function serializeActions(actions: readonly Action[]): string {
  return `${actions.map((action) => JSON.stringify(action)).join("\n")}\n`;
}

/** True for a plain JSON object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function withoutNulls(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (value === null || value === undefined) continue;
    out[key] = key === "deletionVector" && isRecord(value) ? withoutNulls(value) : value;
  }
  return out;
}

function requireFields(body: Record<string, unknown>, where: string, fields: Record<string, string>): void {
  for (const [name, type] of Object.entries(fields)) {
    if (typeof body[name] !== type) throw new Error(`${where} has no ${type} field "${name}"`);
  }
}
