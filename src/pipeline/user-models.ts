/**
 * User models: SQL a project declares in lake.json (`models`), over any `zone.table` of the project
 * (earlier models included), materialized as `zone.<name>` by overwriting it on every run, so a model
 * always reflects the current state of its inputs. They run after the built-in layers, in the order
 * lake.json lists them.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type DeltaContext, writeTable } from "../engine/index.ts";
import { PipelineDataError } from "./errors.ts";
import { tableStore } from "./layer-tables.ts";
import type { ModelConfig, ProjectConfig } from "./project-config.ts";
import { resolveTableReferences } from "./table-references.ts";

/** What building one model did. */
export interface ModelResult {
  readonly table: string;
  readonly rows: number;
}

/** A model's SQL could not be read or run. */
export class ModelError extends PipelineDataError {
  constructor(
    readonly model: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`Model ${model} failed: ${reason}`, options);
    this.name = "ModelError";
  }
}

/**
 * Builds the selected user models in order.
 * @throws ModelError naming the model, its SQL source and DuckDB's message.
 */
export async function buildUserModels(
  ctx: DeltaContext,
  project: ProjectConfig,
  selected: (model: ModelConfig) => boolean,
): Promise<ModelResult[]> {
  const results: ModelResult[] = [];
  for (const model of project.models.filter(selected)) {
    const label = `${model.zone}.${model.name}${model.sqlFile ? ` (${model.sqlFile})` : ""}`;
    let sql: string;
    try {
      sql = model.query ?? (await readFile(join(project.root, model.sqlFile ?? ""), "utf8"));
    } catch (error) {
      throw new ModelError(label, `cannot read its SQL file: ${(error as Error).message}`, { cause: error });
    }
    try {
      const resolved = await resolveTableReferences(ctx, project, sql.trim().replace(/;\s*$/, ""));
      const written = await writeTable(
        ctx,
        tableStore(project, model.zone, model.name),
        { sql: resolved },
        {
          mode: "overwrite",
          mergeSchema: true,
          partitionBy: model.partitionBy,
          tableName: model.name,
        },
      );
      results.push({ table: `${model.zone}.${model.name}`, rows: written.rowsWritten });
    } catch (error) {
      throw new ModelError(label, (error as Error).message, { cause: error });
    }
  }
  return results;
}
