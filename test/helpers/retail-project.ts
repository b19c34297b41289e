/**
 * Retail projects for tests, from the template `lake init` writes (templates/retail), with edits to
 * its lake.json (another model, an expectation's action, S3 zones).
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { loadProject, type ProjectConfig, writeProjectTemplate } from "../../src/pipeline/index.ts";

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
