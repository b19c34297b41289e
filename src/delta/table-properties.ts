/**
 * Typed access to the `delta.*` table properties this implementation acts on ("Table Properties").
 * Values in `configuration` are strings; defaults are Spark's.
 */
import type { Metadata } from "./actions.ts";

/** `delta.checkpointInterval`: commits between checkpoints (default 10). */
export function checkpointInterval(metadata: Metadata): number {
  const value = Number(metadata.configuration["delta.checkpointInterval"]);
  return Number.isSafeInteger(value) && value > 0 ? value : 10;
}

/** `delta.appendOnly`: true forbids removing data files. */
export function isAppendOnly(metadata: Metadata): boolean {
  return metadata.configuration["delta.appendOnly"]?.toLowerCase() === "true";
}

/** `delta.deletedFileRetentionDuration` in ms (default `interval 1 week`). */
export function deletedFileRetentionMs(metadata: Metadata): number {
  return parseInterval(metadata.configuration["delta.deletedFileRetentionDuration"]) ?? 7 * DAY_MS;
}

/** `delta.logRetentionDuration` in ms (default `interval 30 days`). */
export function logRetentionMs(metadata: Metadata): number {
  return parseInterval(metadata.configuration["delta.logRetentionDuration"]) ?? 30 * DAY_MS;
}

/** True when commit `version` carries an in-commit timestamp ("In-Commit Timestamps"). */
export function inCommitTimestampsEnabledAt(metadata: Metadata, version: number): boolean {
  const config = metadata.configuration;
  if (config["delta.enableInCommitTimestamps"]?.toLowerCase() !== "true") return false;
  const since = Number(config["delta.inCommitTimestampEnablementVersion"] ?? 0);
  return version >= since;
}

const DAY_MS = 86_400_000;
const UNIT_MS: Record<string, number> = {
  millisecond: 1,
  second: 1000,
  minute: 60_000,
  hour: 3_600_000,
  day: DAY_MS,
  week: 7 * DAY_MS,
};

/**
 * Parses Spark's calendar-interval strings (`interval 7 days`, `interval 1 week`, `168 hours`) into
 * milliseconds; `undefined` when absent or not understood.
 */
export function parseInterval(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const parts = text
    .trim()
    .toLowerCase()
    .replace(/^interval\s+/, "")
    .split(/\s+/);
  if (parts.length % 2 !== 0) return undefined;
  let total = 0;
  for (let i = 0; i < parts.length; i += 2) {
    const amount = Number(parts[i]);
    const unit = UNIT_MS[(parts[i + 1] ?? "").replace(/s$/, "")];
    if (!Number.isFinite(amount) || unit === undefined) return undefined;
    total += amount * unit;
  }
  return total;
}
