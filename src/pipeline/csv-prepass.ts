/**
 * The first pass over a landing CSV file, streamed in Node before DuckDB sees it. It decides, for
 * every physical line, whether DuckDB may read it, so that a line DuckDB reads is always exactly one
 * record and a line it must not read is rejected here with its complete raw bytes:
 * - the file as a whole must be UTF-8 CSV text whose header names exactly the source's columns;
 *   otherwise it is unreadable (binary, UTF-16, no line breaks, empty, another header) and nothing of
 *   it is staged;
 * - a line is rejected here for a carriage return inside it, a NUL byte, bytes that are not UTF-8, a
 *   malformed or unclosed quote (a record is one physical line), more bytes than one record may hold,
 *   or a wrong number of fields where DuckDB would not see it (a trailing empty field; lines with
 *   quotes, which are parsed here anyway; lines longer than DuckDB quotes back in its rejects);
 * - every data line is numbered by its physical line in the file (`_source_row`, 1 = the header) and
 *   staged as `<line>,<text>`, so DuckDB reads the number as the first column and reports the
 *   remaining column-count errors with it.
 * The pass also hashes the whole file (SHA-256), so a later change to it can be detected.
 */

import { isUtf8 } from "node:buffer";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { finished } from "node:stream/promises";
import { LocalWriteError } from "../storage/index.ts";
import { chunkHash } from "./chunk-hash.ts";

/** A line the pre-pass rejected. */
export interface PrepassReject {
  readonly line: number;
  /** The line's text; bytes that are not UTF-8 show as U+FFFD, and `rawBytes` holds them exactly. */
  readonly raw: string;
  readonly rawBytes?: Uint8Array;
  readonly error: string;
}

/** What the pre-pass found in one file. */
export interface PrepassResult {
  /** Data lines (records) in the file: staged + rejected. Blank lines are not records. */
  readonly records: number;
  readonly staged: number;
  readonly rejects: readonly PrepassReject[];
  /** Why the file cannot be read as the source's CSV at all; then nothing is staged. */
  readonly unreadable?: string;
  readonly bytes: number;
  readonly sha256: string;
}

/** The longest line a record may be: DuckDB's default line limit. */
export const MAX_LINE_BYTES = 2 * 1024 * 1024;
/** The most of one rejected line kept in the rejects table. */
export const RAW_KEPT_BYTES = 64 * 1024 * 1024;
/** DuckDB quotes back at most about this many characters of a line it rejects. */
const DUCKDB_QUOTED_LINE = 8000;

const NEWLINE = 0x0a;
const QUOTE = 0x22;
const CR = 0x0d;
const NUL = 0x00;
const COMMA = 0x2c;
const ZERO = 0x30;
/** Room for the `<line>,` prefix of one line: 15 digits and a comma. */
const PREFIX_ROOM = 16;

/**
 * Why the file whose first line is `header` (without its line break) cannot be read as a CSV file
 * with `columns`, or undefined when it can. `lake ingest` asks the same before landing a file.
 */
export function headerProblem(header: Buffer, columns: readonly string[]): string | undefined {
  const encoding = encodingOf(header);
  if (encoding) return `it is ${encoding}, not UTF-8 text; save it as UTF-8`;
  if (header.includes(NUL))
    return "it holds NUL bytes: a binary file, or text in another encoding than UTF-8";
  if (!isUtf8(header)) return "its first line is not UTF-8 text; save the file as UTF-8";
  if (header.includes(CR))
    return "its lines end with a carriage return alone (CR); save it with LF or CRLF line ends";
  let text = header.toString("utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === "") return `its first line is empty; expected the header ${columns.join(",")}`;
  const found = text.split(",").map((c) => c.trim().replace(/^"(.*)"$/, "$1"));
  if (found.length === columns.length && found.every((c, i) => c === columns[i])) return undefined;
  const missing = columns.filter((c) => !found.includes(c));
  const extra = found.filter((c) => !columns.includes(c)).map((c) => (c === "" ? '"" (an empty name)' : c));
  const parts = [
    missing.length ? `missing ${missing.join(", ")}` : "",
    extra.length ? `unexpected ${extra.join(", ")}` : "",
    !missing.length && !extra.length ? `columns in another order (${found.join(", ")})` : "",
  ].filter(Boolean);
  return `its header does not match the source's columns: ${parts.join("; ")}. Expected: ${columns.join(", ")}`;
}

/** The encoding a byte order mark other than UTF-8's announces. */
function encodingOf(start: Buffer): string | undefined {
  if (start[0] === 0xff && start[1] === 0xfe)
    return start[2] === 0 && start[3] === 0 ? "UTF-32LE" : "UTF-16LE";
  if (start[0] === 0xfe && start[1] === 0xff) return "UTF-16BE";
  if (start[0] === 0 && start[1] === 0 && start[2] === 0xfe && start[3] === 0xff) return "UTF-32BE";
  return undefined;
}

/**
 * Streams the landing file's bytes `source` into `staged` (see the module comment) and returns the
 * counts, the rejects, and whether the file was readable at all. `expectedBytes` (the listed size)
 * decides where the file is hashed.
 */
export async function prepassCsv(
  source: AsyncIterable<Uint8Array>,
  staged: string,
  columns: readonly string[],
  expectedBytes = 0,
): Promise<PrepassResult> {
  const out = createWriteStream(staged);
  // A failed write (a full disk) destroys the stream: it is checked below, never left to hang a wait
  // for "drain" or "close" or to surface as an unhandled "error" event.
  out.on("error", () => {});
  const check = () => {
    if (out.errored) throw LocalWriteError.from(out.errored, staged);
  };
  const hash = chunkHash(expectedBytes);
  const rejects: PrepassReject[] = [];
  let line = 0;
  let stagedCount = 0;
  let records = 0;
  let bytes = 0;
  let unreadable: string | undefined;
  let sha256 = "";
  let carry: Buffer = Buffer.alloc(0);
  /** Copies the complete lines of `buffer` ending at `ends` into one output buffer. */
  const stageLines = (buffer: Buffer, ends: readonly number[]): Buffer => {
    const output = Buffer.allocUnsafe(buffer.length + ends.length * PREFIX_ROOM);
    const lastEnd = ends.at(-1) ?? -1;
    // Quotes, CRs and NULs are rare: find them once per chunk rather than searching every line.
    const quotes = positions(buffer, QUOTE, lastEnd);
    const odd = [...positions(buffer, CR, lastEnd), ...positions(buffer, NUL, lastEnd)].sort((a, b) => a - b);
    const utf8 = isUtf8(buffer.subarray(0, lastEnd + 1));
    let nextQuote = 0;
    let nextOdd = 0;
    let o = 0;
    let start = 0;
    for (const nl of ends) {
      line++;
      const from = start;
      const end = nl > from && buffer[nl - 1] === CR ? nl - 1 : nl;
      start = nl + 1;
      let lineQuotes = 0;
      for (; nextQuote < quotes.length && (quotes[nextQuote] as number) < nl; nextQuote++) lineQuotes++;
      let oddAt = -1;
      for (; nextOdd < odd.length && (odd[nextOdd] as number) < nl; nextOdd++)
        if (oddAt === -1 && (odd[nextOdd] as number) < end) oddAt = odd[nextOdd] as number;
      if (line === 1) {
        unreadable = headerProblem(buffer.subarray(from, end), columns);
        continue;
      }
      if (unreadable !== undefined || end === from) continue;
      records++;
      // The common line (no quote, CR or NUL, valid UTF-8, short, no trailing comma) needs no check.
      const plain =
        oddAt === -1 &&
        lineQuotes === 0 &&
        utf8 &&
        end - from <= DUCKDB_QUOTED_LINE &&
        buffer[end - 1] !== COMMA;
      const error = plain
        ? undefined
        : lineProblem(buffer, from, end, oddAt, lineQuotes > 0, utf8, columns.length);
      if (error !== undefined) {
        rejects.push(rejectOf(line, buffer.subarray(from, end), error));
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
  /** The parts of an oversized line being read, rejected once its end is found, and its length. */
  let longLine: Buffer[] | undefined;
  let longBytes = 0;
  const rejectLongLine = () => {
    line++;
    records++;
    let text = Buffer.concat(longLine ?? []);
    if (text.at(-1) === CR) text = text.subarray(0, -1);
    const length = longBytes > RAW_KEPT_BYTES ? longBytes : text.length;
    // Up to RAW_KEPT_BYTES a reject is whole; past that, no value could hold it (a line with no
    // break in a binary tail), and the landing file keeps the rest.
    const kept = length > RAW_KEPT_BYTES ? `; its first ${RAW_KEPT_BYTES} bytes are kept here` : "";
    rejects.push(
      rejectOf(
        line,
        text,
        `the line has ${length} bytes, more than the ${MAX_LINE_BYTES} one record may hold${kept}`,
      ),
    );
    longLine = undefined;
    longBytes = 0;
  };
  const keepLong = (part: Buffer) => {
    const room = RAW_KEPT_BYTES - longBytes;
    if (room > 0) longLine?.push(Buffer.from(part.subarray(0, Math.min(part.length, room))));
    longBytes += part.length;
  };
  try {
    for await (const piece of source) {
      let chunk = Buffer.isBuffer(piece)
        ? piece
        : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
      hash.update(chunk);
      bytes += chunk.length;
      if (unreadable !== undefined) continue; // still hashed: a fixed file must look changed
      if (line === 0 && carry.length === 0 && encodingOf(chunk)) {
        unreadable = headerProblem(chunk, columns);
        continue;
      }
      if (longLine !== undefined) {
        const nl = chunk.indexOf(NEWLINE);
        keepLong(nl === -1 ? chunk : chunk.subarray(0, nl));
        if (nl === -1) continue;
        rejectLongLine();
        chunk = chunk.subarray(nl + 1);
      }
      const buffer = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      const ends: number[] = [];
      for (let nl = buffer.indexOf(NEWLINE); nl !== -1; nl = buffer.indexOf(NEWLINE, nl + 1)) ends.push(nl);
      carry = Buffer.from(buffer.subarray((ends.at(-1) ?? -1) + 1));
      check();
      if (ends.length > 0 && !out.write(stageLines(buffer, ends))) await once(out, "drain").catch(check);
      if (carry.length > MAX_LINE_BYTES + 1) {
        if (line === 0) unreadable = `no line break in its first ${carry.length} bytes: not a CSV file`;
        else {
          longLine = [];
          keepLong(carry);
        }
        carry = Buffer.alloc(0);
      }
    }
    if (longLine !== undefined) rejectLongLine();
    // A last line without a newline.
    else if (carry.length > 0 && unreadable === undefined)
      out.write(stageLines(Buffer.concat([carry, Buffer.from([NEWLINE])]), [carry.length]));
    if (line === 0 && unreadable === undefined) unreadable = "it is empty: no header line";
    sha256 = await hash.digest();
  } finally {
    out.end();
    await finished(out).catch(() => undefined);
    hash.close();
  }
  check();
  if (unreadable !== undefined) return { records: 0, staged: 0, rejects: [], unreadable, bytes, sha256 };
  return { records, staged: stagedCount, rejects, bytes, sha256 };
}

/** Why a data line must not go to DuckDB, or undefined. `oddAt` is its first CR or NUL, or -1. */
function lineProblem(
  buffer: Buffer,
  from: number,
  end: number,
  oddAt: number,
  quoted: boolean,
  chunkIsUtf8: boolean,
  columns: number,
): string | undefined {
  if (oddAt !== -1) {
    const what = buffer[oddAt] === NUL ? "a NUL byte" : "a carriage return (CR) that does not end the line";
    return `${what} at byte ${oddAt - from + 1} of the line`;
  }
  if (!chunkIsUtf8 && !isUtf8(buffer.subarray(from, end)))
    return `not UTF-8 text (invalid bytes from byte ${firstInvalidUtf8(buffer.subarray(from, end)) + 1} of the line)`;
  if (end - from > MAX_LINE_BYTES)
    return `the line has ${end - from} bytes, more than the ${MAX_LINE_BYTES} one record may hold`;
  // DuckDB ignores trailing empty fields and quotes back only the start of a long line: count here.
  if (quoted || buffer[end - 1] === COMMA || end - from > DUCKDB_QUOTED_LINE) {
    const fields = countFields(buffer, from, end);
    if (typeof fields === "string") return fields;
    if (fields !== columns) return `wrong number of columns: expected ${columns}, found ${fields}`;
  }
  return undefined;
}

/**
 * The fields of one line under RFC 4180 (a quoted field starts with a quote, doubles its quotes and
 * ends at a quote followed by a comma or the line's end), or what is malformed.
 */
function countFields(buffer: Buffer, from: number, end: number): number | string {
  let fields = 1;
  let i = from;
  while (i <= end) {
    if (buffer[i] === QUOTE && i < end) {
      i++;
      for (;;) {
        const q = buffer.indexOf(QUOTE, i);
        if (q === -1 || q >= end)
          return "unbalanced quote: a quoted field is not closed on its line (a field may not hold a line break)";
        if (buffer[q + 1] === QUOTE && q + 1 < end) {
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      if (i < end && buffer[i] !== COMMA)
        return `a quoted field is followed by text instead of a comma at byte ${i - from + 1} of the line`;
    } else {
      const comma = buffer.indexOf(COMMA, i);
      const stop = comma === -1 || comma > end ? end : comma;
      const quote = buffer.indexOf(QUOTE, i);
      if (quote !== -1 && quote < stop)
        return `a quote inside an unquoted field at byte ${quote - from + 1} of the line`;
      i = stop;
    }
    if (i >= end) break;
    fields++;
    i++; // past the comma
  }
  return fields;
}

/** A reject of `bytes`, keeping them exactly when they are not UTF-8. */
function rejectOf(line: number, bytes: Buffer, error: string): PrepassReject {
  const raw = bytes.toString("utf8");
  return isUtf8(bytes) ? { line, raw, error } : { line, raw, rawBytes: Uint8Array.from(bytes), error };
}

/** Offset of the first byte of `bytes` that does not start a valid UTF-8 character. */
function firstInvalidUtf8(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] as number;
    const length =
      lead < 0x80 ? 1 : lead < 0xc2 ? 0 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : lead < 0xf5 ? 4 : 0;
    if (length === 0 || !isUtf8(bytes.subarray(i, i + length))) return i;
    i += length;
  }
  return bytes.length;
}

/** Positions of `byte` in `buffer` up to `last` inclusive. */
function positions(buffer: Buffer, byte: number, last: number): number[] {
  const found: number[] = [];
  for (let p = buffer.indexOf(byte); p !== -1 && p <= last; p = buffer.indexOf(byte, p + 1)) found.push(p);
  return found;
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
