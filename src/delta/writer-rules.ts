/**
 * The rules a writer checks before committing to an existing table, in one place: every operation
 * that commits (write, delete, optimize, vacuum, restore) calls {@link checkWriterRules} before it
 * does any work, and `commit` checks them again on the actions it is given, so no commit escapes them.
 * - The protocol and metadata must be ones this implementation can write (`protocol-support.ts`).
 * - "Append-only Tables": with `delta.appendOnly=true`, no commit may remove data (a `remove` with
 *   `dataChange: true`); blind appends and rewrites that keep the data (OPTIMIZE) are allowed.
 */
import type { Metadata, Protocol } from "./actions.ts";
import { AppendOnlyTableError } from "./errors.ts";
import { checkWriteSupported } from "./protocol-support.ts";
import { isAppendOnly } from "./table-properties.ts";

/** What an operation is about to do to the table's data. */
export interface WriteIntent {
  /**
   * What it is, as a verb phrase the refusal quotes: `overwrite`, `delete from`, `restore`,
   * `optimize`, `vacuum`, `commit MERGE to`.
   */
  readonly operation: string;
  /** True when it removes data: it commits (or may commit) a `remove` with `dataChange: true`. */
  readonly removesData: boolean;
}

/**
 * Checks that `intent` may commit to the table whose current `protocol` and `metadata` are given.
 * @throws UnsupportedFeatureError when writing needs a writer version or feature we do not implement.
 * @throws AppendOnlyTableError when the intent removes data and the table is append-only.
 */
export function checkWriterRules(
  location: string,
  table: { readonly protocol: Protocol; readonly metadata: Metadata },
  intent: WriteIntent,
): void {
  checkWriteSupported(location, table.protocol, table.metadata);
  if (intent.removesData && isAppendOnly(table.metadata)) {
    throw new AppendOnlyTableError(location, intent.operation);
  }
}
