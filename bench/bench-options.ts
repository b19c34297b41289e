/** The command-line options of `npm run bench:delta`, parsed with `node:util` `parseArgs`. */
import { parseArgs } from "node:util";

/** What to run: the log shape and how many cold runs per scenario. */
export interface BenchOptions {
  readonly commits: number;
  readonly filesPerCommit: number;
  readonly runs: number;
}

export const USAGE = `usage: npm run bench:delta -- [--commits N] [--files-per-commit M] [--runs R]
  --commits           commits in the synthetic log (default 10000)
  --files-per-commit  add actions per commit (default 10)
  --runs              cold runs per scenario; min and median are reported (default 3)`;

/** @throws Error with {@link USAGE} for an unknown flag or a value that is not a whole number >= 1. */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      commits: { type: "string", default: "10000" },
      "files-per-commit": { type: "string", default: "10" },
      runs: { type: "string", default: "3" },
    },
    strict: true,
    allowPositionals: false,
  });
  return {
    commits: positiveInt("commits", values.commits),
    filesPerCommit: positiveInt("files-per-commit", values["files-per-commit"]),
    runs: positiveInt("runs", values.runs),
  };
}

function positiveInt(name: string, text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) {
    throw new Error(`--${name} must be a whole number >= 1, got "${text}"\n\n${USAGE}`);
  }
  return n;
}
