/** The folder walk behind `LocalStore.list`: names only, no stats, so the caller can sort first. */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { isMissing } from "./local-root.ts";

/**
 * Every regular file under `folder`, as a key: `keyPrefix` followed by its `/`-separated path below
 * `folder`. At the top level only the entries whose name passes `top` are kept. Symbolic links are
 * neither followed nor listed; a missing folder has no files. Keys come in no particular order.
 */
export async function listFiles(
  folder: string,
  keyPrefix: string,
  top: (name: string) => boolean,
): Promise<string[]> {
  const keys: string[] = [];
  const pending: Array<[string, string]> = [[folder, keyPrefix]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [dir, prefix] = next;
    const entries = await readdir(dir, { withFileTypes: true }).catch((error: unknown) => {
      if (isMissing(error)) return [];
      throw error;
    });
    for (const entry of entries) {
      if (dir === folder && !top(entry.name)) continue;
      if (entry.isFile()) keys.push(prefix + entry.name);
      else if (entry.isDirectory()) pending.push([join(dir, entry.name), `${prefix}${entry.name}/`]);
    }
  }
  return keys;
}
