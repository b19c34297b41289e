/**
 * How to run `lake` again, for the hints commands print, in a form that works from any folder:
 * `npx lake` when npx started this process (the package is a dependency of the user's project), the
 * repository's own npm script when it runs from a source checkout (`npm run lake`, `npm run demo`),
 * and plain `lake` when it was installed on the PATH (`npm install -g`).
 */
import { fileURLToPath } from "node:url";

/** The command prefix for hints; `env` and `script` are the process's unless given. */
export function lakeCommand(env: NodeJS.ProcessEnv = process.env, script = process.argv[1] ?? ""): string {
  if (env.npm_command === "exec") return "npx lake";
  if (script.endsWith(".ts")) return `npm --prefix ${shellWord(REPOSITORY)} run lake --`;
  return "lake";
}

/** The root of the source checkout this module runs from (src/cli/ is two levels below it). */
const REPOSITORY = fileURLToPath(new URL("../../", import.meta.url)).replace(/\/$/, "");

/** `text` as one shell word: quoted when it holds anything but safe characters. */
export function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}
