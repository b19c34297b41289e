/**
 * Which protocol versions and table features this implementation supports ("Protocol Evolution",
 * "Table Features"). A table that needs anything else is refused by name: never wrong rows.
 */
import type { Metadata, Protocol } from "./actions.ts";
import { UnsupportedFeatureError } from "./errors.ts";

/** Reader features we implement. */
export const SUPPORTED_READER_FEATURES: ReadonlySet<string> = new Set([
  "columnMapping",
  "deletionVectors",
  "timestampNtz",
  "v2Checkpoint",
  "vacuumProtocolCheck",
]);

/**
 * Writer features we implement for tables we write to. Writing keeps each one's rules: `appendOnly`
 * refuses removes when enabled; `invariants` and `checkConstraints` are honoured by refusing tables
 * that declare any (we cannot evaluate their SQL yet).
 */
export const SUPPORTED_WRITER_FEATURES: ReadonlySet<string> = new Set([
  "appendOnly",
  "invariants",
  "checkConstraints",
  "timestampNtz",
  "domainMetadata",
]);

/**
 * @throws UnsupportedFeatureError when reading needs a reader version above 3 or a reader feature
 *   we do not implement.
 */
export function checkReadSupported(location: string, protocol: Protocol): void {
  const { minReaderVersion, readerFeatures } = protocol;
  if (minReaderVersion > 3 || minReaderVersion < 1) {
    throw new UnsupportedFeatureError(location, `readerVersion ${minReaderVersion}`, "read");
  }
  if (minReaderVersion === 3) {
    for (const feature of readerFeatures ?? []) {
      if (!SUPPORTED_READER_FEATURES.has(feature))
        throw new UnsupportedFeatureError(location, feature, "read");
    }
  }
}

/**
 * @throws UnsupportedFeatureError when writing needs a writer version or feature we do not
 *   implement, or the table declares invariants or CHECK constraints we cannot enforce.
 */
export function checkWriteSupported(location: string, protocol: Protocol, metadata: Metadata): void {
  checkReadSupported(location, protocol);
  const { minWriterVersion, writerFeatures } = protocol;
  if (minWriterVersion === 7) {
    for (const feature of writerFeatures ?? []) {
      if (!SUPPORTED_WRITER_FEATURES.has(feature))
        throw new UnsupportedFeatureError(location, feature, "write");
    }
  } else if (minWriterVersion > 2) {
    // Writer versions 3..6 imply CHECK constraints, CDF, generated and identity columns, column mapping.
    throw new UnsupportedFeatureError(location, `writerVersion ${minWriterVersion}`, "write");
  }
  if (metadata.schemaString.includes('"delta.invariants"')) {
    throw new UnsupportedFeatureError(location, "invariants", "write");
  }
  if (Object.keys(metadata.configuration).some((k) => k.startsWith("delta.constraints."))) {
    throw new UnsupportedFeatureError(location, "checkConstraints", "write");
  }
}
