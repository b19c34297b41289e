/** Where the shared Delta conformance corpus lives (read-only: copy a table before changing it). */
import { fileURLToPath } from "node:url";

export const CORPUS_DIR = fileURLToPath(new URL("../../../shared/delta-corpus", import.meta.url));

/** The folder of one corpus table's Delta table. */
export function corpusTable(name: string): string {
  return `${CORPUS_DIR}/${name}/table`;
}
