/**
 * A deliberately strict RFC 4180 reader for checking generated files, independent of the generator:
 * a field is either unquoted (no quote characters at all) or wholly quoted with quotes doubled
 * inside and a delimiter or the line end right after the closing quote. The generated files hold no
 * line breaks inside fields, so a line is a record.
 */

/** A line the strict reader rejects, with the reason. */
export class CsvLineError extends Error {}

/** The fields of one CSV line; throws CsvLineError for any quoting a strict reader rejects. */
export function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = "";
      i++;
      for (;;) {
        const close = line.indexOf('"', i);
        if (close < 0) throw new CsvLineError(`unterminated quoted field at ${i}`);
        value += line.slice(i, close);
        if (line[close + 1] === '"') {
          value += '"';
          i = close + 2;
          continue;
        }
        i = close + 1;
        break;
      }
      fields.push(value);
      if (i === line.length) return fields;
      if (line[i] !== ",") throw new CsvLineError(`character after a closing quote at ${i}`);
      i++;
    } else {
      const comma = line.indexOf(",", i);
      const value = comma < 0 ? line.slice(i) : line.slice(i, comma);
      if (value.includes('"')) throw new CsvLineError(`quote inside an unquoted field at ${i}`);
      fields.push(value);
      if (comma < 0) return fields;
      i = comma + 1;
    }
  }
}

/** A file split into its header line and data lines; checks the `\n` line ends and final newline. */
export function csvLines(text: string): { header: string; lines: string[] } {
  if (!text.endsWith("\n")) throw new Error("file does not end with a newline");
  if (text.includes("\r")) throw new Error("file has a carriage return");
  const [header = "", ...lines] = text.slice(0, -1).split("\n");
  return { header, lines };
}

/** Every data line of a well-formed file parsed: throws on a bad line or a wrong column count. */
export function csvRecords(text: string): { header: string[]; records: string[][] } {
  const { header, lines } = csvLines(text);
  const names = parseCsvLine(header);
  const records = lines.map((line, n) => {
    const fields = parseCsvLine(line);
    if (fields.length !== names.length) throw new Error(`line ${n + 2} has ${fields.length} fields: ${line}`);
    return fields;
  });
  return { header: names, records };
}
