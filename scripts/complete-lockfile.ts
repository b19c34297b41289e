/**
 * `npm run lock:complete`, after any `npm install` that changed package-lock.json.
 *
 * Why: the package registry this project is developed against serves only the linux-x64 builds of
 * packages with per-platform binaries (Biome, DuckDB), so npm writes a lock file without entries for
 * the other platforms' optional packages, and `npm ci` then refuses the lock file as out of sync.
 * This adds those entries with the `os`/`cpu`/`libc` fields npm itself records, inferred from the
 * package names, so `npm ci` skips them on this platform and installs them elsewhere.
 */
import { readFileSync, writeFileSync } from "node:fs";

interface LockEntry {
  version?: string;
  dev?: boolean;
  optional?: boolean;
  optionalDependencies?: Record<string, string>;
  [field: string]: unknown;
}

const PLATFORM =
  /-(darwin|linux|win32|android|freebsd|openbsd|netbsd|sunos|aix)-([a-z0-9]+)(?:-(musl|gnu))?$/;

const lock = JSON.parse(readFileSync("package-lock.json", "utf8")) as { packages: Record<string, LockEntry> };
const packages = lock.packages;
let added = 0;
for (const [path, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (resolves(path, name)) continue;
    const match = PLATFORM.exec(name);
    if (!match)
      throw new Error(
        `cannot infer the platform of the optional package ${name}; add its lock entry by hand`,
      );
    const [, os, cpu, libc] = match;
    packages[key] = {
      version,
      cpu: [cpu],
      ...(entry.dev ? { dev: true } : {}),
      ...(libc === "musl" ? { libc: ["musl"] } : {}),
      optional: true,
      os: [os],
    };
    added++;
  }
}
/** Whether `name`, required from the package at `path`, is in the lock as Node would find it. */
function resolves(path: string, name: string): boolean {
  for (let dir = path; ; dir = dir.slice(0, Math.max(0, dir.lastIndexOf("/node_modules/")))) {
    if (packages[`${dir ? `${dir}/` : ""}node_modules/${name}`]) return true;
    if (!dir.includes("/node_modules/")) return packages[`node_modules/${name}`] !== undefined;
  }
}

const sorted = Object.entries(packages).sort(([a], [b]) =>
  a === "" ? -1 : b === "" ? 1 : a < b ? -1 : a > b ? 1 : 0,
);
lock.packages = Object.fromEntries(sorted);
writeFileSync("package-lock.json", `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: added ${added} entries for other platforms' optional packages`);
