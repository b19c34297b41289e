/**
 * Runs a project's models: reads their SQL (and the project's macros, `macros/*.sql`), orders them by
 * their dependencies, picks the selected ones, and builds each by its kind.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { loadIfExists } from "../engine/index.ts";
import { buildDimension } from "./build-dimension.ts";
import { buildIncremental } from "./build-incremental.ts";
import { buildPartitions } from "./build-partitions.ts";
import { buildTable } from "./build-table.ts";
import { PipelineDataError } from "./errors.ts";
import { tableStore } from "./layer-tables.ts";
import { type BuildContext, ModelError, type ModelResult, upToDate } from "./model-build.ts";
import type { ModelConfig } from "./model-config.ts";
import { modelId, orderModels, type PlannedModel, selectModels } from "./model-graph.ts";
import type { ProjectConfig, Zone } from "./project-config.ts";
import { checkModelReferences } from "./project-tables.ts";
import { streamReferences, tableReferences } from "./table-references.ts";

const BUILDERS = {
  table: buildTable,
  incremental: buildIncremental,
  partitions: buildPartitions,
  dimension: buildDimension,
} as const;

/**
 * The project's models in run order with their SQL.
 * @throws ModelError when a model's SQL file cannot be read; ProjectConfigError when it reads a table the
 *   project does not have; ModelGraphError for a cycle.
 */
export async function planModels(project: ProjectConfig): Promise<PlannedModel[]> {
  const models = await Promise.all(
    project.models.map(async (config) => ({ config, sql: await modelSql(project, config) })),
  );
  checkModelReferences(project, models);
  return orderModels(models);
}

/**
 * Builds the planned models the selectors pick, in order, reporting each as it finishes.
 * @throws ModelError naming the model (and its SQL file) for a model that fails.
 */
export async function runModels(
  b: BuildContext,
  planned: readonly PlannedModel[],
  selectors: readonly string[] | undefined,
  step: <T>(label: string, work: () => Promise<T>) => Promise<T>,
  report: (result: ModelResult) => void,
): Promise<ModelResult[]> {
  await loadMacros(b);
  const results: ModelResult[] = [];
  for (const model of selectModels(planned, selectors)) {
    const id = modelId(model.config);
    const label = `${id}${model.config.sqlFile ? ` (${model.config.sqlFile})` : ""}`;
    let result: ModelResult;
    const started = performance.now();
    try {
      const missing = await missingInput(b, model);
      result =
        missing === undefined
          ? await step(id, () => BUILDERS[model.config.kind](b, model))
          : { ...upToDate(model.config), waitingFor: missing };
    } catch (error) {
      // The data errors (expectations, accounting) already name the model and say what to do.
      if (error instanceof PipelineDataError) throw error;
      throw new ModelError(label, (error as Error).message, { cause: error });
    }
    result = { ...result, seconds: (performance.now() - started) / 1000 };
    results.push(result);
    report(result);
  }
  return results;
}

/** The first table the model reads that does not exist yet (its source has had no file, say). */
async function missingInput(b: BuildContext, model: PlannedModel): Promise<string | undefined> {
  const references = [
    ...tableReferences(model.sql),
    ...streamReferences(model.sql),
    ...model.config.expectations.flatMap((e) => (e.existsIn ? [e.existsIn.model] : [])),
  ];
  for (const reference of new Set(references)) {
    const [zone, table] = reference.split(".") as [Zone, string];
    if ((await loadIfExists(b.ctx, tableStore(b.project, zone, table))) === undefined) return reference;
  }
  return undefined;
}

async function modelSql(project: ProjectConfig, config: ModelConfig): Promise<string> {
  let sql = config.query;
  if (sql === undefined) {
    try {
      sql = await readFile(join(project.root, config.sqlFile ?? ""), "utf8");
    } catch (error) {
      throw new ModelError(
        `${config.zone}.${config.name}`,
        `cannot read its SQL file ${config.sqlFile}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
  return sql.trim().replace(/;\s*$/, "");
}

/** Runs every `macros/*.sql` of the project (DuckDB `CREATE OR REPLACE TEMP MACRO ...`), in name order. */
async function loadMacros(b: BuildContext): Promise<void> {
  const dir = join(b.project.root, "macros");
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => f.endsWith(".sql")).sort();
  } catch {
    return;
  }
  for (const file of files) {
    try {
      await b.ctx.session.connection.run(await readFile(join(dir, file), "utf8"));
    } catch (error) {
      throw new ModelError(`macros/${file}`, (error as Error).message, { cause: error });
    }
  }
}
