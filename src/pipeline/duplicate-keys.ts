/**
 * Finds a key given twice in one JSON object. `JSON.parse` keeps the last and drops the first without a
 * word, so a model or a source declared twice in lake.json would silently be one.
 */

/** A key given twice in one object: its path, and the lines of both. */
export interface DuplicateKey {
  /** The key's path, e.g. `models.sales_enriched`. */
  readonly path: string;
  readonly firstLine: number;
  readonly line: number;
}

interface Container {
  readonly path: readonly string[];
  /** Keys seen so far with their lines; undefined in an array. */
  readonly keys?: Map<string, number>;
  expectingKey: boolean;
  lastKey: string;
  index: number;
}

/** The first key `text` (valid JSON) gives twice in one object; `undefined` when there is none. */
export function findDuplicateKey(text: string): DuplicateKey | undefined {
  const stack: Container[] = [];
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    const top = stack.at(-1);
    if (char === "\n") line++;
    else if (char === "{" || char === "[") {
      const at = top === undefined ? [] : [...top.path, top.keys ? top.lastKey : String(top.index)];
      const isObject = char === "{";
      stack.push({
        path: at,
        ...(isObject ? { keys: new Map() } : {}),
        expectingKey: isObject,
        lastKey: "",
        index: 0,
      });
    } else if (char === "}" || char === "]") stack.pop();
    else if (char === "," && top) {
      top.expectingKey = top.keys !== undefined;
      top.index++;
    } else if (char === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
      if (top?.keys && top.expectingKey) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        const firstLine = top.keys.get(key);
        if (firstLine !== undefined) return { path: [...top.path, key].join("."), firstLine, line };
        top.keys.set(key, line);
        top.lastKey = key;
        top.expectingKey = false;
      }
      i = end;
    }
  }
  return undefined;
}
