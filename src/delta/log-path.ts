/**
 * Names of the files in `_delta_log/` ("Delta Log Entries", "Checkpoints", "Log Compaction Files").
 * A file whose name matches none of these is ignored by readers (`.crc` sidecars of Hadoop, temp
 * files, `_autostats/`, ...).
 */

export const LOG_DIR = "_delta_log/";
export const LAST_CHECKPOINT_KEY = `${LOG_DIR}_last_checkpoint`;
export const SIDECAR_DIR = `${LOG_DIR}_sidecars/`;

export type ParsedLogPath =
  | { readonly kind: "commit"; readonly version: number; readonly key: string }
  | {
      readonly kind: "checkpoint";
      readonly version: number;
      readonly key: string;
      readonly checkpoint: CheckpointFile;
    }
  | { readonly kind: "crc"; readonly version: number; readonly key: string }
  | { readonly kind: "compacted"; readonly version: number; readonly key: string };

export type CheckpointFile =
  | { readonly type: "classic" }
  | { readonly type: "multipart"; readonly part: number; readonly parts: number }
  | { readonly type: "v2"; readonly uuid: string; readonly format: "json" | "parquet" };

const VERSION = "(\\d{20})";
const PATTERNS: ReadonlyArray<[RegExp, (m: RegExpExecArray, key: string) => ParsedLogPath]> = [
  [new RegExp(`^${VERSION}\\.json$`), (m, key) => ({ kind: "commit", version: Number(m[1]), key })],
  [
    new RegExp(`^${VERSION}\\.checkpoint\\.parquet$`),
    (m, key) => ({ kind: "checkpoint", version: Number(m[1]), key, checkpoint: { type: "classic" } }),
  ],
  [
    new RegExp(`^${VERSION}\\.checkpoint\\.(\\d{10})\\.(\\d{10})\\.parquet$`),
    (m, key) => ({
      kind: "checkpoint",
      version: Number(m[1]),
      key,
      checkpoint: { type: "multipart", part: Number(m[2]), parts: Number(m[3]) },
    }),
  ],
  [
    new RegExp(`^${VERSION}\\.checkpoint\\.([0-9a-fA-F-]{36})\\.(json|parquet)$`),
    (m, key) => ({
      kind: "checkpoint",
      version: Number(m[1]),
      key,
      checkpoint: { type: "v2", uuid: m[2] as string, format: m[3] as "json" | "parquet" },
    }),
  ],
  [new RegExp(`^${VERSION}\\.crc$`), (m, key) => ({ kind: "crc", version: Number(m[1]), key })],
  [
    new RegExp(`^${VERSION}\\.${VERSION}\\.compacted\\.json$`),
    (m, key) => ({ kind: "compacted", version: Number(m[2]), key }),
  ],
];

/** Classifies a key under `_delta_log/`; `undefined` for files readers ignore. */
export function parseLogPath(key: string): ParsedLogPath | undefined {
  if (!key.startsWith(LOG_DIR)) return undefined;
  const name = key.slice(LOG_DIR.length);
  if (name.includes("/")) return undefined;
  for (const [pattern, build] of PATTERNS) {
    const match = pattern.exec(name);
    if (match) return build(match, key);
  }
  return undefined;
}

/** The 20-digit zero-padded version used in log file names. */
export function padVersion(version: number): string {
  return String(version).padStart(20, "0");
}

/** The key of commit `version`. */
export function commitKey(version: number): string {
  return `${LOG_DIR}${padVersion(version)}.json`;
}

/** The key of the classic checkpoint of `version`. */
export function classicCheckpointKey(version: number): string {
  return `${LOG_DIR}${padVersion(version)}.checkpoint.parquet`;
}
