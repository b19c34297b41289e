/**
 * Streams the ordered sales chunks to disk: one file (`sales_transactions.csv`) or K files
 * (`sales_transactions_0001.csv` …) in date order, each with the header, and reports per file its
 * rows, bytes, date range and exact dirt counts.
 */
import { type FileHandle, open } from "node:fs/promises";
import { join } from "node:path";
import { utf8 } from "./byte-writer.ts";
import { dayOfRow, FIRST_DAY, isoDate } from "./calendar.ts";
import { DIRT, type DirtCounts, dirtCounts } from "./dirt.ts";
import { SALES_HEADER, type SalesChunk } from "./sales-chunk.ts";
import type { SalesModel } from "./sales-model.ts";

/** One written sales file. */
export interface SalesFileReport {
  readonly name: string;
  readonly rows: number;
  /** Size in bytes, header included. */
  readonly bytes: number;
  /** The first and last order date of its rows (by their true date), null for a file without rows. */
  readonly firstDate: string | null;
  readonly lastDate: string | null;
  readonly dirt: DirtCounts;
}

/** The name of sales file `index` (0-based) of `files`. */
export function salesFileName(index: number, files: number): string {
  return files === 1
    ? "sales_transactions.csv"
    : `sales_transactions_${String(index + 1).padStart(4, "0")}.csv`;
}

/** Writes the chunks into `dir`; `onRows` hears the rows written so far after every chunk. */
export async function writeSalesFiles(
  dir: string,
  model: SalesModel,
  chunks: AsyncIterable<SalesChunk>,
  onRows: (rowsWritten: number) => void,
): Promise<SalesFileReport[]> {
  const files = model.fileStarts.length - 1;
  const header = utf8(`${SALES_HEADER}\n`);
  const reports: SalesFileReport[] = [];
  let current = await SalesFile.create(dir, 0, files, header);
  let rowsWritten = 0;
  try {
    const moveTo = async (index: number) => {
      while (current.index < index) {
        reports.push(await current.finish(model));
        current = await SalesFile.create(dir, current.index + 1, files, header);
      }
    };
    for await (const chunk of chunks) {
      for (const segment of chunk.segments) {
        await moveTo(segment.file);
        await current.append(
          chunk.bytes.subarray(segment.byteStart, segment.byteEnd),
          segment.rows,
          segment.dirt,
        );
        rowsWritten += segment.rows;
      }
      onRows(rowsWritten);
    }
    await moveTo(files - 1);
    reports.push(await current.finish(model));
  } finally {
    await current.close();
  }
  return reports;
}

/** One sales file being written. */
class SalesFile {
  private rows = 0;
  private bytes = 0;
  private readonly dirt = new Int32Array(DIRT.length);
  private closed = false;

  private constructor(
    readonly index: number,
    private readonly name: string,
    private readonly handle: FileHandle,
  ) {}

  static async create(dir: string, index: number, files: number, header: Uint8Array): Promise<SalesFile> {
    const name = salesFileName(index, files);
    const file = new SalesFile(index, name, await open(join(dir, name), "w"));
    await file.write(header);
    return file;
  }

  async append(bytes: Uint8Array, rows: number, dirt: Int32Array): Promise<void> {
    await this.write(bytes);
    this.rows += rows;
    dirt.forEach((n, i) => {
      this.dirt[i] = (this.dirt[i] as number) + n;
    });
  }

  async finish(model: SalesModel): Promise<SalesFileReport> {
    await this.close();
    const start = model.fileStarts[this.index] as number;
    const date = (row: number) => isoDate(FIRST_DAY + dayOfRow(model.dayStarts, row));
    return {
      name: this.name,
      rows: this.rows,
      bytes: this.bytes,
      firstDate: this.rows === 0 ? null : date(start),
      lastDate: this.rows === 0 ? null : date(start + this.rows - 1),
      dirt: dirtCounts(this.dirt),
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }

  private async write(bytes: Uint8Array): Promise<void> {
    let offset = 0;
    while (offset < bytes.length) {
      const { bytesWritten } = await this.handle.write(bytes, offset, bytes.length - offset);
      offset += bytesWritten;
    }
    this.bytes += bytes.length;
  }
}
