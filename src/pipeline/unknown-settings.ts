/**
 * Finds a key of lake.json that the schema (config-schema.ts) does not name: a misspelt or misplaced
 * setting would otherwise be ignored, and the project would run without it. Only the keys are
 * checked here; values are checked by the loader, with messages about their meaning.
 */
import { type JsonSchema, LAKE_SCHEMA } from "./config-schema.ts";
import { nearest } from "./model-graph.ts";

/** A key lake.json has no setting for. */
export interface UnknownSetting {
  /** Its path, e.g. `engine.memorylimit`. */
  readonly field: string;
  /** The setting it most likely means, as a path (`engine.memoryLimit`, `models.<model>.expectations`). */
  readonly suggestion?: string;
  /** The settings its object takes, when there is no suggestion. */
  readonly known: readonly string[];
  /** Why a kind of setting is not there (credentials under storage.s3). */
  readonly hint?: string;
}

const HINTS: Readonly<Record<string, string>> = {
  "storage.s3": "credentials never go in lake.json: use the AWS environment, a profile or an IAM role",
};

/** The first key of lake.json's `value` (depth first, in document order) that the schema does not name. */
export function findUnknownSetting(value: unknown): UnknownSetting | undefined {
  return walk(value, LAKE_SCHEMA, [], []);
}

/**
 * Every setting `schema` names, as paths with `<title>` for the keys of a map
 * (`models.<model>.expectations.<rule>.existsIn.key`).
 */
export function settingPaths(schema: JsonSchema = LAKE_SCHEMA, prefix: readonly string[] = []): string[][] {
  const paths: string[][] = [];
  for (const [key, sub] of Object.entries(schema.properties ?? {})) {
    paths.push([...prefix, key], ...settingPaths(sub, [...prefix, key]));
  }
  if (typeof schema.additionalProperties === "object") {
    const entry = [...prefix, `<${schema.propertyNames?.title ?? "name"}>`];
    paths.push(...settingPaths(schema.additionalProperties, entry));
  }
  return paths;
}

function walk(
  value: unknown,
  schema: JsonSchema,
  path: readonly string[],
  template: readonly string[],
): UnknownSetting | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const properties = schema.properties ?? {};
  const map = typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined;
  if (map === undefined && schema.properties === undefined) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const named = Object.hasOwn(properties, key) ? properties[key] : undefined;
    const sub = named ?? map;
    if (sub === undefined) return unknown(key, path, template, Object.keys(properties));
    const entry = named ? key : `<${schema.propertyNames?.title ?? "name"}>`;
    const found = walk(inner, sub, [...path, key], [...template, entry]);
    if (found) return found;
  }
  return undefined;
}

function unknown(
  key: string,
  path: readonly string[],
  template: readonly string[],
  siblings: readonly string[],
): UnknownSetting {
  const field = [...path, key].join(".");
  const hint = HINTS[template.join(".")];
  const sibling = siblings.find((s) => s.toLowerCase() === key.toLowerCase()) ?? nearest(key, siblings);
  if (sibling) return { field, suggestion: [...path, sibling].join("."), known: siblings };
  if (hint) return { field, known: siblings, hint };
  // Not a typo of a neighbour: perhaps a setting that belongs elsewhere (`expectations` at the top).
  const elsewhere = settingPaths();
  const name = nearest(
    key,
    elsewhere.map((p) => p.at(-1) as string).filter((n) => !n.startsWith("<")),
  );
  const home = name === undefined ? undefined : elsewhere.find((p) => p.at(-1) === name);
  return { field, ...(home ? { suggestion: home.join(".") } : {}), known: siblings };
}
