/**
 * Generates one chunk of sales_transactions rows as CSV bytes, from the model and the chunk's own
 * random streams only, so any thread can make any chunk and the bytes are always the same. Rows are
 * in date order; baskets (1–8 lines) share a date, customer, store, channel and payment method. The
 * chunk is cut into segments where a sales file ends, each with its exact dirt counts.
 */
import { ByteWriter } from "./byte-writer.ts";
import { dayOfRow } from "./calendar.ts";
import { DIRT } from "./dirt.ts";
import { CLEAN, type DirtPlan, planDirt, SOURCE } from "./dirt-plan.ts";
import { Rng, STREAM } from "./rng.ts";
import { CHUNK_ROWS, type SalesModel } from "./sales-model.ts";
import { SalesRowWriter } from "./sales-row-writer.ts";

/** The header of every sales file. */
export const SALES_HEADER =
  "transaction_id,order_date,customer_id,product_id,location_id,quantity,unit_price,discount_pct,payment_method,channel";

/** No sales line is longer than this (the longest possible one is under 100 bytes). */
const MAX_LINE_BYTES = 128;

/** The rows of a chunk that belong to one sales file. */
export interface SalesSegment {
  /** Index of the sales file (0-based). */
  readonly file: number;
  /** Byte range in the chunk's `bytes`. */
  readonly byteStart: number;
  readonly byteEnd: number;
  readonly rows: number;
  /** Rows of each dirt kind, indexed like `DIRT`. */
  readonly dirt: Int32Array;
}

/** One generated chunk: its CSV lines (no header) and where each file's part of them is. */
export interface SalesChunk {
  readonly index: number;
  readonly bytes: Uint8Array;
  readonly segments: readonly SalesSegment[];
}

/** Chunk `index` of the model's sales rows (rows index × CHUNK_ROWS onwards). */
export function generateSalesChunk(model: SalesModel, index: number): SalesChunk {
  const first = index * CHUNK_ROWS;
  const rows = Math.min(CHUNK_ROWS, model.rows - first);
  const dayFirst = firstRowsOfDays(model.dayStarts, first, rows);
  const plan: DirtPlan = planDirt(new Rng(model.seed, STREAM.dirt, index), rows, (i) => dayFirst[i] === 1);
  const out = new ByteWriter(rows * MAX_LINE_BYTES);
  const writer = new SalesRowWriter(model, new Rng(model.seed, STREAM.sales, index), out, first, rows);
  const segments: SalesSegment[] = [];
  let file = fileOfRow(model.fileStarts, first);
  let segmentRow = 0;
  let byteStart = 0;
  let dirt = new Int32Array(DIRT.length);
  let fileEnd = (model.fileStarts[file + 1] as number) - first;
  const closeSegment = (row: number) => {
    segments.push({ file, byteStart, byteEnd: out.pos, rows: row - segmentRow, dirt });
    file++;
    segmentRow = row;
    byteStart = out.pos;
    dirt = new Int32Array(DIRT.length);
    fileEnd = (model.fileStarts[file + 1] as number) - first;
  };
  const { codes, sources } = plan;
  for (let i = 0; i < rows; i++) {
    while (i === fileEnd) closeSegment(i);
    const code = codes[i] as number;
    if (code !== CLEAN && code !== SOURCE) dirt[code - 1] = (dirt[code - 1] as number) + 1;
    writer.row(i, code, sources[i] as number);
  }
  segments.push({ file, byteStart, byteEnd: out.pos, rows: rows - segmentRow, dirt });
  if (out.pos > out.buf.length)
    throw new Error(`Sales chunk ${index} overflowed its ${out.buf.length}-byte buffer`);
  return { index, bytes: out.buf.subarray(0, out.pos), segments };
}

/** Per row of the chunk: 1 when it is the first row of its day. */
function firstRowsOfDays(dayStarts: Float64Array, first: number, rows: number): Uint8Array {
  const flags = new Uint8Array(rows);
  for (let d = dayOfRow(dayStarts, first); d < dayStarts.length - 1; d++) {
    const start = (dayStarts[d] as number) - first;
    if (start >= rows) break;
    if (start >= 0) flags[start] = 1;
  }
  return flags;
}

/** The sales file that holds row `row`: the last file starting at or before it. */
export function fileOfRow(fileStarts: Float64Array, row: number): number {
  let lo = 0;
  let hi = fileStarts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if ((fileStarts[mid] as number) <= row) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
