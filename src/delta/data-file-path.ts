/**
 * The `path` of `add`, `remove` and `cdc` actions: an RFC 2396 URI reference, relative to the table
 * root or absolute ("Add File and Remove File"). Writers encode the on-disk name as Spark does
 * (`new Path(name).toUri().toString()`); readers decode it exactly once, so `%2520` in the log is
 * `%20` in the file name.
 */

/**
 * The `add.path` for a file at `relativePath` (an on-disk name relative to the table root, `/`
 * separated, e.g. the result of `partitionDirectory` plus the file name). Percent-encodes, as
 * `java.net.URI` does for a path, every ASCII character outside `A-Z a-z 0-9 - _ . ! ~ * ' ( ) : @ & =
 * + $ , ; /` (so space → `%20`, `%` → `%25`, `#`, `?`, `[`, `{`, `^` ...) and non-ASCII space and control
 * characters as UTF-8 `%XX`; other non-ASCII text stays raw (`data=😈`). Unlike Spark, which would
 * misread it as a URI scheme, a `:` in the first segment is encoded as `%3A`.
 * @throws Error for an empty path, a leading `/`, or an empty, `.` or `..` segment.
 */
export function encodeAddPath(relativePath: string): string {
  const segments = relativePath.split("/");
  if (relativePath === "" || segments.some((s) => s === "" || s === "." || s === "..")) {
    throw new Error(
      `Invalid data file path ${JSON.stringify(relativePath)}: expected a relative path without empty, "." or ".." segments`,
    );
  }
  let out = "";
  let firstSegment = true;
  for (const c of relativePath) {
    if (c === "/") firstSegment = false;
    const code = c.codePointAt(0) ?? 0;
    if (code < 0x80) {
      out += PATH_CHARS.has(c) && !(firstSegment && c === ":") ? c : percent([code]);
    } else {
      out += /[\p{Z}\u0080-\u009f]/u.test(c) ? percent(new TextEncoder().encode(c)) : c;
    }
  }
  return out;
}

/**
 * The file a log `path` names, decoded once: `%XX` sequences become the UTF-8 text they encode,
 * everything else (raw non-ASCII, `+`) stays. An absolute URI keeps its scheme and authority:
 * `s3://bucket/a%20b/f.parquet` → `s3://bucket/a b/f.parquet`.
 * @throws Error for a `%` not followed by two hex digits or escapes that are not UTF-8.
 */
export function decodeAddPath(path: string): string {
  if (!path.includes("%")) return path;
  const bytes: number[] = [];
  let out = "";
  const flush = () => {
    if (bytes.length === 0) return;
    try {
      out += UTF8.decode(new Uint8Array(bytes));
    } catch {
      throw new Error(`Invalid data file path ${JSON.stringify(path)}: escapes that are not UTF-8`);
    }
    bytes.length = 0;
  };
  for (let i = 0; i < path.length; i++) {
    const c = path.charAt(i);
    if (c !== "%") {
      flush();
      out += c;
      continue;
    }
    const hex = path.slice(i + 1, i + 3);
    if (!/^[0-9a-fA-F]{2}$/.test(hex)) {
      throw new Error(
        `Invalid data file path ${JSON.stringify(path)}: "%" at ${i} is not followed by two hex digits`,
      );
    }
    bytes.push(Number.parseInt(hex, 16));
    i += 2;
  }
  flush();
  return out;
}

/**
 * True when a log `path` does not resolve against the table root: it has a URI scheme (`s3://…`,
 * `file:/…`, `abfss://…`) or starts with `/` (a rooted path, absolute on the table's file system as
 * Hadoop's `Path.isAbsolute` says). False for a relative path such as `a=1/part-0.parquet`.
 */
export function isAbsoluteUri(path: string): boolean {
  return path.startsWith("/") || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(path);
}

/** ASCII characters `java.net.URI` leaves unquoted in a path (unreserved, punct, `;`, `/`). */
const PATH_CHARS = new Set(
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'():@&=+$,;/",
);
const UTF8 = new TextDecoder("utf-8", { fatal: true });

function percent(bytes: Iterable<number>): string {
  let out = "";
  for (const byte of bytes) out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  return out;
}
