/**
 * Strings from DuckDB exactly as stored. @duckdb/node-api decodes every VARCHAR with one shared
 * `new TextDecoder()`, whose default drops a leading U+FEFF (a byte order mark), so a value such as
 * "\uFEFFx" came back as "x". The library keeps that decoder as a mutable export of its
 * `vectors/dataAccessors` module; replacing it with one that keeps the mark makes every read exact.
 * Importing this module applies it once, before the first query.
 */
import { createRequire } from "node:module";

const accessors = createRequire(import.meta.url)("@duckdb/node-api/lib/vectors/dataAccessors.js") as {
  textDecoder?: unknown;
};
// A library release that moves the decoder must fail loudly here, not silently drop marks again.
if (!(accessors.textDecoder instanceof TextDecoder)) {
  throw new Error(
    "@duckdb/node-api no longer exports vectors/dataAccessors.textDecoder; see engine/exact-strings.ts",
  );
}
accessors.textDecoder = new TextDecoder("utf-8", { ignoreBOM: true });
