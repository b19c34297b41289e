/**
 * The first pass over a landing CSV file, streamed in Node before DuckDB sees it:
 * - the header must name exactly the source's columns (schema drift is an error naming the columns);
 * - every data line is numbered by its physical line in the file (`_source_row`, 1 = the header);
 * - a line with an unbalanced quote is rejected here with its raw text, because a CSV reader would
 *   otherwise swallow every following line into one broken field;
 * - the other lines go to a staged copy as `<line>,<original line>`, so DuckDB reads the line
 *   number as the first column and reports column-count errors with it.
 * A record is one physical line: a quoted field holding a newline is rejected as unbalanced.
 */
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { PipelineDataError } from "./errors.ts";

/** A line the pre-pass rejected. */
export interface PrepassReject {
  readonly line: number;
  readonly raw: string;
  readonly error: string;
}

/** What the pre-pass found in one file. */
export interface PrepassResult {
  /** Data lines (records) in the file: staged + rejected. Blank lines are not records. */
  readonly records: number;
  readonly staged: number;
  readonly rejects: readonly PrepassReject[];
}

/** The header of a landing file does not match the source's columns. */
export class HeaderMismatchError extends PipelineDataError {
  constructor(
    readonly file: string,
    readonly expected: readonly string[],
    readonly found: readonly string[],
  ) {
    const missing = expected.filter((c) => !found.includes(c));
    const extra = found.filter((c) => !expected.includes(c));
    const parts = [
      missing.length ? `missing ${missing.join(", ")}` : "",
      extra.length ? `unexpected ${extra.join(", ")}` : "",
      !missing.length && !extra.length ? `columns in another order (${found.join(", ")})` : "",
    ].filter(Boolean);
    super(
      `The header of ${file} does not match the source's columns: ${parts.join("; ")}. Expected: ${expected.join(", ")}. Fix the file or the source's columns in the project config.`,
    );
    this.name = "HeaderMismatchError";
  }
}

const NEWLINE = 0x0a;
const QUOTE = 0x22;
const CR = 0x0d;
const COMMA = 0x2c;
const ZERO = 0x30;
/** Room for the `<line>,` prefix of one line: 15 digits and a comma. */
const PREFIX_ROOM = 16;

/**
 * Streams the landing file's bytes `source` into `staged` (see the module comment) and returns the
 * counts and rejects.
 * @throws HeaderMismatchError when the header is not exactly `columns` (a BOM and spaces are ignored).
 */
export async function prepassCsv(
  source: AsyncIterable<Uint8Array>,
  staged: string,
  columns: readonly string[],
  fileLabel: string,
): Promise<PrepassResult> {
  const out = createWriteStream(staged);
  const rejects: PrepassReject[] = [];
  let line = 0;
  let stagedCount = 0;
  let records = 0;
  let carry: Buffer = Buffer.alloc(0);
  /** Copies the complete lines of `buffer` ending at `ends` into one output buffer. */
  const stageLines = (buffer: Buffer, ends: readonly number[]): Buffer => {
    const output = Buffer.allocUnsafe(buffer.length + ends.length * PREFIX_ROOM);
    // Quotes are rare: find them once per chunk rather than searching every line (10M lines).
    const quotes: number[] = [];
    for (let q = buffer.indexOf(QUOTE); q !== -1; q = buffer.indexOf(QUOTE, q + 1)) quotes.push(q);
    let nextQuote = 0;
    let o = 0;
    let start = 0;
    for (const nl of ends) {
      line++;
      const end = nl > start && buffer[nl - 1] === CR ? nl - 1 : nl;
      let lineQuotes = 0;
      for (; nextQuote < quotes.length && (quotes[nextQuote] as number) < nl; nextQuote++) lineQuotes++;
      const from = start;
      start = nl + 1;
      if (line === 1) {
        checkHeader(buffer.subarray(from, end), columns, fileLabel);
        continue;
      }
      if (end === from) continue;
      records++;
      if (lineQuotes % 2 === 1) {
        rejects.push({
          line,
          raw: buffer.toString("utf8", from, end),
          error: "unbalanced quote: a quoted field is not closed on its line",
        });
        continue;
      }
      stagedCount++;
      o = writeDigits(output, o, line);
      output[o++] = COMMA;
      o += buffer.copy(output, o, from, end);
      output[o++] = NEWLINE;
    }
    return output.subarray(0, o);
  };
  try {
    for await (const bytes of source) {
      const chunk = Buffer.isBuffer(bytes)
        ? bytes
        : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const buffer = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      const ends: number[] = [];
      for (let nl = buffer.indexOf(NEWLINE); nl !== -1; nl = buffer.indexOf(NEWLINE, nl + 1)) ends.push(nl);
      carry = Buffer.from(buffer.subarray((ends.at(-1) ?? -1) + 1));
      if (!out.write(stageLines(buffer, ends))) await once(out, "drain");
    }
    // A last line without a newline.
    if (carry.length > 0)
      out.write(stageLines(Buffer.concat([carry, Buffer.from([NEWLINE])]), [carry.length]));
    if (line === 0) throw new HeaderMismatchError(fileLabel, columns, []);
  } finally {
    out.end();
    await once(out, "close").catch(() => undefined);
  }
  return { records, staged: stagedCount, rejects };
}

function checkHeader(content: Buffer, columns: readonly string[], fileLabel: string): void {
  let text = content.toString("utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const found = text.split(",").map((c) => c.trim().replace(/^"(.*)"$/, "$1"));
  if (found.length !== columns.length || found.some((c, i) => c !== columns[i])) {
    throw new HeaderMismatchError(fileLabel, columns, found);
  }
}

/** Writes the decimal digits of a positive integer at `at`; returns the position after them. */
function writeDigits(output: Buffer, at: number, value: number): number {
  let digits = 1;
  for (let v = value; v >= 10; v = Math.floor(v / 10)) digits++;
  let v = value;
  for (let i = at + digits - 1; i >= at; i--) {
    output[i] = ZERO + (v % 10);
    v = Math.floor(v / 10);
  }
  return at + digits;
}
