/**
 * Retail projects for tests, from the template `lake init` writes (templates/retail), with edits to
 * its lake.json (another model, an expectation's action, S3 zones).
 */
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { generateDataset } from "../../src/datagen/index.ts";
import {
  landFiles,
  loadProject,
  type ProjectConfig,
  writeProjectTemplate,
} from "../../src/pipeline/index.ts";

type Config = Record<string, unknown>;

/** Writes the template into `dir/name` (lake.json after `edit`) and loads it. */
export async function retailProject(
  dir: string,
  name: string,
  edit: (config: Config) => Config = (c) => c,
): Promise<ProjectConfig> {
  const root = join(dir, name);
  await mkdir(root, { recursive: true });
  await writeProjectTemplate(root, name, edit);
  return loadProject(root);
}

/** An edit setting expectation actions per model: `{ sales_enriched: { quantity_positive: "fail" } }`. */
export function withActions(actions: Record<string, Record<string, string>>): (config: Config) => Config {
  return (config) => {
    const models = structuredClone(config.models) as Record<string, { expectations: Record<string, Config> }>;
    for (const [model, rules] of Object.entries(actions)) {
      for (const [rule, action] of Object.entries(rules)) {
        const spec = models[model]?.expectations[rule];
        if (spec === undefined) throw new Error(`the template has no rule ${model}.${rule}`);
        spec.action = action;
      }
    }
    return { ...config, models };
  };
}

/** An edit adding models to the template's. */
export function withModels(models: Record<string, unknown>): (config: Config) => Config {
  return (config) => ({ ...config, models: { ...(config.models as Config), ...models } });
}

/**
 * The retail template in `dir/name` with a generated dataset (`rows` sales rows in `files` files,
 * small dimensions) landed and not yet run: what the resource and signal tests start from.
 */
export async function landedRetailProject(
  dir: string,
  name: string,
  options: { readonly rows: number; readonly files?: number },
): Promise<ProjectConfig> {
  const project = await retailProject(dir, name);
  const drops = join(dir, `${name}-drops`);
  const manifest = await generateDataset({
    out: drops,
    rows: options.rows,
    files: options.files ?? 2,
    customers: 2_000,
    products: 300,
    locations: 40,
    workers: 0,
  });
  await landFiles(
    project,
    manifest.files.map((f) => join(drops, f.name)),
  );
  await rm(drops, { recursive: true, force: true });
  return project;
}
