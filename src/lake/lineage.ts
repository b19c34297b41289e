/**
 * The lineage of a project's tables, drawn from its configuration and its models' SQL: each source's
 * landing files feed `bronze.<source>` (and its rejects table); each model reads the tables its SQL and
 * its `existsIn` rules name, and writes its table and the tables it keeps beside it (keys, quarantine).
 */
import { type ProjectConfig, planModels, projectTables, tableReferences } from "../pipeline/index.ts";

/** A node: a table (`zone.table`) or a source's landing files (`landing.<source>`). */
export interface LineageNode {
  readonly id: string;
  readonly zone: "landing" | "bronze" | "silver" | "gold";
  /** False for the landing files of a source, which are not a table. */
  readonly isTable: boolean;
  /** What it is: `source`, `table`, `rejects`, `keys` or `quarantine`. */
  readonly role: string;
}

/** An edge: `to` is written from `from`. */
export interface LineageEdge {
  readonly from: string;
  readonly to: string;
}

export interface Lineage {
  readonly nodes: readonly LineageNode[];
  readonly edges: readonly LineageEdge[];
}

/**
 * The project's lineage graph.
 * @throws ModelError when a model's SQL file cannot be read; ProjectConfigError for a model reading a
 *   table the project does not have.
 */
export async function projectLineage(project: ProjectConfig): Promise<Lineage> {
  const nodes: LineageNode[] = [
    ...project.sources.map((s) => ({
      id: `landing.${s.name}`,
      zone: "landing" as const,
      isTable: false,
      role: "source",
    })),
    ...projectTables(project).map((t) => ({
      id: `${t.zone}.${t.table}`,
      zone: t.zone,
      isTable: true,
      role: t.role,
    })),
  ];
  const edges: LineageEdge[] = project.sources.flatMap((s) => [
    { from: `landing.${s.name}`, to: `bronze.${s.name}` },
    { from: `landing.${s.name}`, to: `bronze.${s.name}_rejects` },
  ]);
  for (const { config, sql } of await planModels(project)) {
    const id = `${config.zone}.${config.name}`;
    const reads = [
      ...tableReferences(sql),
      ...config.expectations.flatMap((e) => (e.existsIn ? [e.existsIn.model] : [])),
    ];
    for (const from of new Set(reads)) if (from !== id) edges.push({ from, to: id });
  }
  for (const t of projectTables(project))
    if (t.role === "keys" || t.role === "quarantine")
      edges.push({ from: `${t.zone}.${t.declaredBy.replace(/^models\./, "")}`, to: `${t.zone}.${t.table}` });
  return { nodes, edges };
}
