/** The CLI's own failures, and how errors that are not bugs become one line for the user. */

/** A failure the CLI reports as a message and an exit code (no stack trace). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/** Exit code of a bug: an error no layer turned into a message (sysexits' EX_SOFTWARE). */
export const BUG_EXIT_CODE = 70;

/**
 * What the operating system said about a file the user named or the machine (a missing file, no
 * permission, a full disk), as a message and an exit code: 2 when the path given is wrong, 1 when
 * the machine refused. Undefined for anything else.
 */
export function systemErrorMessage(error: unknown): { message: string; exitCode: number } | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, path } = error as NodeJS.ErrnoException;
  const problem = code === undefined ? undefined : SYSTEM_ERRORS[code];
  if (problem === undefined || path === undefined) return undefined;
  return { message: `${path}: ${problem.text}`, exitCode: problem.exitCode };
}

const SYSTEM_ERRORS: Readonly<Record<string, { text: string; exitCode: number }>> = {
  ENOENT: { text: "no such file or folder", exitCode: 2 },
  ENOTDIR: { text: "a part of this path is a file, not a folder", exitCode: 2 },
  EISDIR: { text: "is a folder, a file was expected", exitCode: 2 },
  EACCES: { text: "permission denied", exitCode: 1 },
  EPERM: { text: "operation not permitted", exitCode: 1 },
  EROFS: { text: "the file system is read-only", exitCode: 1 },
  ENOSPC: { text: "no space left on the device", exitCode: 1 },
  EDQUOT: { text: "the disk quota is exhausted", exitCode: 1 },
};
