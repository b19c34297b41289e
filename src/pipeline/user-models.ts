/**
 * User models: SQL a project declares in lake.json (`models`), over any `zone.table` of the project
 * (earlier models included), materialized as `zone.<name>` by overwriting it, so a model always
 * reflects the current state of its inputs; its schema and partitioning follow its SQL and
 * `partitionBy` (CREATE OR REPLACE). They run after the built-in layers, in the order lake.json lists
 * them. A model is rebuilt only when its definition (SQL, partitioning) or the version of a table it
 * reads changed: each build records, in `txn` actions committed with the data, the version of every
 * input and its definition (appId `medallion-lake/definition/<hash>` at the table version it
 * creates; the newest such txn is the table's current definition). A rebuilt model is a new version
 * of an input, so the models after it that read it are rebuilt too.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Snapshot } from "../delta/index.ts";
import { type DeltaContext, loadIfExists, writeTable } from "../engine/index.ts";
import { PipelineDataError } from "./errors.ts";
import { consumedVersion, inputAppId } from "./input-state.ts";
import { tableStore } from "./layer-tables.ts";
import type { ModelConfig, ProjectConfig } from "./project-config.ts";
import { resolveTableReferences } from "./table-references.ts";

const DEFINITION_APP_ID = "medallion-lake/definition/";

/** The hash of the definition the table was last built from: the newest definition txn's. */
function currentDefinition(table: Snapshot): string | undefined {
  let newest: { appId: string; version: number } | undefined;
  for (const txn of table.txns()) {
    if (txn.appId.startsWith(DEFINITION_APP_ID) && txn.version >= (newest?.version ?? -1)) newest = txn;
  }
  return newest?.appId.slice(DEFINITION_APP_ID.length);
}

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
        .digest("hex")
        .slice(0, 32);
      const store = tableStore(project, model.zone, model.name);
      const current = await loadIfExists(ctx, store);
      const upToDate =
        current !== undefined &&
        currentDefinition(current) === definition &&
        resolved.inputs.every((input) => consumedVersion(current, input.reference) === input.version);
      if (upToDate && !fullRefresh) {
        results.push({ table: `${model.zone}.${model.name}`, rows: 0, rebuilt: false });
        continue;
      }
      const written = await writeTable(
        ctx,
        store,
        { sql: resolved.sql },
        {
          mode: "overwrite",
          replaceTable: true,
          partitionBy: model.partitionBy,
          tableName: model.name,
          txn: [
            {
              appId: `${DEFINITION_APP_ID}${definition}`,
              version: current === undefined ? 0 : current.version + 1,
            },
            ...resolved.inputs.map((input) => ({
              appId: inputAppId(input.reference),
              version: input.version,
            })),
          ],
          rewrite: true,
        },
      );
      results.push({ table: `${model.zone}.${model.name}`, rows: written.rowsWritten, rebuilt: true });
    } catch (error) {
      throw new ModelError(label, (error as Error).message, { cause: error });
    }
  }
  return results;
}
