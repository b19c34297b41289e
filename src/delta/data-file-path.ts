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

/**
 * The store key (relative to the table root) of the file a log `path` names, for a table whose store
 * is at `location` (`file:///abs/table`, `s3://bucket/table`, ...); `undefined` when the path names a
 * file outside the table: another folder, bucket or file system, or a path that climbs out with `..`.
 * A relative path is decoded once ({@link decodeAddPath}). An absolute one is decoded and compared
 * with the root after normalizing the spellings of one place: scheme case, `s3a:`/`s3n:` as `s3:`,
 * `file:/p`, `file:///p` and `file://localhost/p` as one; a rooted `/p` is on the table's own
 * file system (bucket).
 * @throws Error for a path whose escapes are invalid (see {@link decodeAddPath}).
 */
export function tableRelativeKey(location: string, path: string): string | undefined {
  const decoded = decodeAddPath(path);
  if (!isAbsoluteUri(path)) return decoded;
  const root = normalizeUri(location).replace(/\/+$/, "");
  const absolute = decoded.startsWith("/") ? `${schemeAndAuthority(root)}${decoded}` : decoded;
  const normalized = normalizeUri(absolute);
  if (!normalized.startsWith(`${root}/`)) return undefined;
  const key = normalized.slice(root.length + 1);
  const segments = key.split("/");
  return segments.some((s) => s === "" || s === "." || s === "..") ? undefined : key;
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

/** `uri` with its scheme in lower case, `s3a`/`s3n` as `s3`, and a `file:` URI as `file:///path`. */
function normalizeUri(uri: string): string {
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s.exec(uri);
  if (match === null) return uri;
  const scheme = (match[1] ?? "").toLowerCase();
  const rest = match[2] ?? "";
  if (scheme === "s3a" || scheme === "s3n") return `s3:${rest}`;
  if (scheme !== "file") return `${scheme}:${rest}`;
  // file:/p (Hadoop), file:///p and file://localhost/p name the same local path; file://host/p
  // (another host) and file:p (relative) stay as they are, never under a local root.
  if (rest.startsWith("///")) return `file:${rest}`;
  if (rest.startsWith("//localhost/")) return `file://${rest.slice("//localhost".length)}`;
  if (rest.startsWith("/") && !rest.startsWith("//")) return `file://${rest}`;
  return `file:${rest}`;
}

/** `scheme://authority` of a normalized URI (`file://` for a local one), to resolve a rooted path. */
function schemeAndAuthority(uri: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/]*/.exec(uri)?.[0] ?? "";
}
