/**
 * The folder a `LocalStore` lives in, and the rules that keep every key's file inside it: keys are
 * validated, resolved under the root, and their real paths (symbolic links followed) checked too.
 */
import { mkdir, realpath } from "node:fs/promises";
import { dirname, resolve, sep } from "node:path";
import { InvalidKeyError } from "./errors.ts";
import { validateKey } from "./key.ts";

/** The folder under the root that holds files being written; never listed, reserved as a key. */
export const TEMP_FOLDER = ".lake-tmp";

/** A store's root folder; maps keys to paths that never leave it. */
export class LocalRoot {
  /** The absolute root path as given (it may contain symbolic links). */
  readonly path: string;
  #real: string | undefined;

  /** @param root absolute or relative to the working directory. */
  constructor(root: string) {
    this.path = resolve(root);
  }

  /**
   * Validates `key` and resolves it under the root, without touching the disk.
   * @throws InvalidKeyError naming `shownKey` for an invalid key or one in the reserved temp folder.
   */
  lexicalPath(key: string, shownKey = key): string {
    validateKey(key);
    if (key.split("/", 1)[0] === TEMP_FOLDER) {
      throw new InvalidKeyError(shownKey, `the folder ${TEMP_FOLDER} is reserved for files being written`);
    }
    const path = resolve(this.path, ...key.split("/"));
    // Cannot fail for a valid key; checked anyway so no later change to key rules can open a way out.
    if (!path.startsWith(withSep(this.path))) {
      throw new InvalidKeyError(shownKey, "it resolves outside the store root");
    }
    return path;
  }

  /**
   * The real path of `path` (a path under the root), or `undefined` when it does not exist.
   * @throws InvalidKeyError naming `key` when a symbolic link leads outside the root.
   */
  async realPath(key: string, path: string): Promise<string | undefined> {
    let real: string;
    try {
      real = await realpath(path);
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    const root = await this.realRoot();
    if (real !== root && !real.startsWith(withSep(root))) {
      throw new InvalidKeyError(key, "it resolves outside the store root through a symbolic link");
    }
    return real;
  }

  /** The real path of the root, which it creates if missing. */
  async realRoot(): Promise<string> {
    if (this.#real === undefined) {
      await makeFolders(this.path);
      this.#real = await realpath(this.path);
    }
    return this.#real;
  }

  /**
   * Creates `folder` (a path under the root) and its parents, and returns its real path; `undefined`
   * if a concurrent delete removed it again before it could be resolved.
   * @throws InvalidKeyError naming `key` when a symbolic link leads outside the root.
   */
  async makeFolder(key: string, folder: string): Promise<string | undefined> {
    // Resolve the deepest existing ancestor first: a symbolic link to outside the root must be
    // refused before mkdir could create folders out there.
    let existing = folder;
    let real = await this.realPath(key, existing);
    while (real === undefined && existing !== this.path) {
      existing = dirname(existing);
      real = await this.realPath(key, existing);
    }
    if (existing === folder) return real;
    await makeFolders(folder);
    return this.realPath(key, folder);
  }
}

/**
 * Creates `path` and its missing parents. Where a folder cannot be made, the error says why: Node's
 * recursive mkdir reports ENOENT when the file system refused with EROFS or EACCES.
 */
export async function makeFolders(path: string, mode?: number): Promise<void> {
  try {
    await mkdir(path, { recursive: true, ...(mode === undefined ? {} : { mode }) });
  } catch (error) {
    if (errorCode(error) !== "ENOENT" || dirname(path) === path) throw error;
    await makeFolders(dirname(path), mode);
    await mkdir(path, mode).catch((refused: unknown) => {
      if (errorCode(refused) !== "EEXIST") throw refused;
    });
  }
}

/** `path` ending in the platform's separator, for prefix checks that must not match `/root2`. */
export function withSep(path: string): string {
  return path.endsWith(sep) ? path : path + sep;
}

/** The `code` of a Node.js system error (`ENOENT`, `EEXIST`), if it has one. */
export function errorCode(error: unknown): string | undefined {
  return error instanceof Error && "code" in error && typeof error.code === "string" ? error.code : undefined;
}

/** Whether a file system error means "no such object": also a key through a file, or naming a folder. */
export function isMissing(error: unknown): boolean {
  const code = errorCode(error);
  return code === "ENOENT" || code === "ENOTDIR" || code === "EISDIR";
}
