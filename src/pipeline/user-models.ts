/**
 * User models: SQL a project declares in lake.json (`models`), over any `zone.table` of the project
 * (earlier models included), materialized as `zone.<name>` by overwriting it, so a model always
 * reflects the current state of its inputs. They run after the built-in layers, in the order
 * lake.json lists them. A model is rebuilt only when its definition (SQL, partitioning) or the
 * version of a table it reads changed: each build records, in `txn` actions committed with the data,
 * a hash of the definition and the version of every input. A rebuilt model is a new version of an
 * input, so the models after it that read it are rebuilt too.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type DeltaContext, writeTable } from "../engine/index.ts";
import { PipelineDataError } from "./errors.ts";
import { inputAppId } from "./input-state.ts";
import { tableStore } from "./layer-tables.ts";
import type { ModelConfig, ProjectConfig } from "./project-config.ts";
import { resolveTableReferences } from "./table-references.ts";

/** What building one model did. */
export interface ModelResult {
  readonly table: string;
  /** Rows written; 0 when the model was up to date. */
  readonly rows: number;
  /** False when neither the definition nor any input changed since the last build. */
  readonly rebuilt: boolean;
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
 * Builds the selected user models in order; with `fullRefresh`, even those that are up to date.
 * @throws ModelError naming the model, its SQL source and DuckDB's message.
 */
export async function buildUserModels(
  ctx: DeltaContext,
  project: ProjectConfig,
  selected: (model: ModelConfig) => boolean,
  fullRefresh = false,
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
      const query = sql.trim().replace(/;\s*$/, "");
      const resolved = await resolveTableReferences(ctx, project, query);
      const definition = createHash("sha256")
        .update(JSON.stringify({ query, partitionBy: model.partitionBy }))
        .digest("hex");
      const written = await writeTable(
        ctx,
        tableStore(project, model.zone, model.name),
        { sql: resolved.sql },
        {
          mode: "overwrite",
          mergeSchema: true,
          partitionBy: model.partitionBy,
          tableName: model.name,
          txn: [
            { appId: `medallion-lake/model/${definition.slice(0, 32)}`, version: 0 },
            ...resolved.inputs.map((input) => ({
              appId: inputAppId(input.reference),
              version: input.version,
            })),
          ],
          rewrite: fullRefresh,
        },
      );
      results.push({
        table: `${model.zone}.${model.name}`,
        rows: written.rowsWritten,
        rebuilt: !written.skipped,
      });
    } catch (error) {
      throw new ModelError(label, (error as Error).message, { cause: error });
    }
  }
  return results;
}
