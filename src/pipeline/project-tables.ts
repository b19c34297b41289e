/**
 * The tables a project's runs write, each with the setting that declares it: a source writes
 * `bronze.<source>` and `bronze.<source>_rejects`; a model writes `<zone>.<model>`, and beside it
 * `<model>_keys` (a dimension) and `<model>_quarantine` (when a rule quarantines). A name may belong to
 * one of them only, and a model may read only these.
 */
import { join } from "node:path";
import { ProjectConfigError } from "./config-errors.ts";
import { CONFIG_FILE } from "./config-schema.ts";
import { quarantines } from "./model-build.ts";
import type { ModelConfig } from "./model-config.ts";
import { nearest } from "./model-graph.ts";
import type { ProjectConfig, SourceConfig, Zone } from "./project-config.ts";
import { tableReferences } from "./table-references.ts";

/** A table a run writes. */
export interface ProjectTable {
  readonly zone: Zone;
  readonly table: string;
  /** The setting that declares it: `sources.sales`, `models.dim_customer`. */
  readonly declaredBy: string;
  /** What it is to that source or model. */
  readonly role: "table" | "rejects" | "keys" | "quarantine";
}

/** Every table a run of this project writes, by zone, in pipeline order. */
export function projectTables(project: {
  readonly sources: readonly SourceConfig[];
  readonly models: readonly ModelConfig[];
}): ProjectTable[] {
  const table = (zone: Zone, name: string, declaredBy: string, role: ProjectTable["role"]) =>
    ({ zone, table: name, declaredBy, role }) as const;
  return [
    ...project.sources.flatMap((s) => [
      table("bronze", s.name, `sources.${s.name}`, "table"),
      table("bronze", `${s.name}_rejects`, `sources.${s.name}`, "rejects"),
    ]),
    ...project.models.flatMap((m) => [
      table(m.zone, m.name, `models.${m.name}`, "table"),
      ...(m.kind === "dimension" ? [table(m.zone, `${m.name}_keys`, `models.${m.name}`, "keys")] : []),
      ...(quarantines(m.expectations)
        ? [table(m.zone, `${m.name}_quarantine`, `models.${m.name}`, "quarantine")]
        : []),
    ]),
  ];
}

/** Two settings that would write the same table: `taker` is named so, `owner` writes it beside itself. */
export interface TableClash {
  readonly taker: ProjectTable;
  readonly owner: ProjectTable;
}

/** The first table two settings would both write; `undefined` when every table has one writer. */
export function findTableClash(tables: readonly ProjectTable[]): TableClash | undefined {
  const seen = new Map<string, ProjectTable>();
  for (const t of tables) {
    const id = `${t.zone}.${t.table}`;
    const first = seen.get(id);
    if (first === undefined) seen.set(id, t);
    // Blame the source or model whose own name takes the table, not the one whose table it already is.
    else return t.role === "table" ? { taker: t, owner: first } : { taker: first, owner: t };
  }
  return undefined;
}

/** What `zone.table` is to the project, in words ("the rejects table of sources.sales"). */
export function describeTable(t: ProjectTable): string {
  return t.role === "table" ? `the table of ${t.declaredBy}` : `the ${t.role} table of ${t.declaredBy}`;
}

/**
 * Why `reference` (`zone.table`) is not a table of the project ("not a table of this project; did you
 * mean bronze.sales?"); `undefined` when it is one.
 */
export function unknownTableProblem(reference: string, tables: readonly ProjectTable[]): string | undefined {
  const ids = tables.map((t) => `${t.zone}.${t.table}`);
  if (ids.includes(reference)) return undefined;
  const near = nearest(reference, ids);
  const zone = reference.split(".")[0];
  const inZone = tables.filter((t) => t.zone === zone).map((t) => t.table);
  return `not a table of this project${near ? `; did you mean ${near}?` : ` (${zone} has: ${inZone.join(", ") || "no tables"})`}`;
}

/**
 * Checks that every `zone.table` a model's SQL reads is a table of the project.
 * @throws ProjectConfigError naming the SQL file and line (or `models.<name>.query`), with the nearest table.
 */
export function checkModelReferences(
  project: ProjectConfig,
  models: ReadonlyArray<{ readonly config: ModelConfig; readonly sql: string }>,
): void {
  const tables = projectTables(project);
  for (const { config, sql } of models) {
    for (const reference of tableReferences(sql)) {
      const problem = unknownTableProblem(reference, tables);
      if (problem === undefined) continue;
      if (config.query !== undefined)
        throw new ProjectConfigError(
          join(project.root, CONFIG_FILE),
          `models.${config.name}.query`,
          `reads ${reference}, ${problem}`,
        );
      const line = sql
        .slice(0, sql.search(new RegExp(`\\b${reference.replace(".", "\\.")}\\b`)))
        .split("\n").length;
      throw new ProjectConfigError(
        `${join(project.root, config.sqlFile ?? "")}:${line}`,
        "",
        `${config.zone}.${config.name} reads ${reference}, ${problem}`,
      );
    }
  }
}
