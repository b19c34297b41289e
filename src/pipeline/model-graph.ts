/**
 * The models' dependency graph: a model depends on every `zone.table` its SQL and its expectations
 * name. Models run in dependency order (ties in declaration order); a cycle is refused with the
 * cycle named. Selectors pick what a run builds: `name` (a model), `+name` (with everything upstream
 * of it), `name+` (with everything downstream), `+name+`, or a zone (`silver`, `gold`).
 */
import type { ModelConfig } from "./model-config.ts";
import { tableReferences } from "./table-references.ts";

/** A model with its SQL and the models it reads. */
export interface PlannedModel {
  readonly config: ModelConfig;
  readonly sql: string;
  /** `zone.name` of the models it reads (other tables it reads are sources: bronze or its own). */
  readonly upstream: readonly string[];
}

/** The models form a cycle, or a selector names nothing. */
export class ModelGraphError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ModelGraphError";
  }
}

/** `zone.name` of a model. */
export function modelId(config: ModelConfig): string {
  return `${config.zone}.${config.name}`;
}

/**
 * Orders the models so that each comes after the models it reads.
 * @throws ModelGraphError naming a cycle (`silver.a → gold.b → silver.a`).
 */
export function orderModels(
  models: ReadonlyArray<{ readonly config: ModelConfig; readonly sql: string }>,
): PlannedModel[] {
  const ids = new Set(models.map((m) => modelId(m.config)));
  const planned = new Map<string, PlannedModel>();
  for (const { config, sql } of models) {
    const named = [
      ...tableReferences(sql),
      ...config.expectations.flatMap((e) => (e.existsIn ? [e.existsIn.model] : [])),
    ];
    const upstream = [...new Set(named)].filter((ref) => ids.has(ref) && ref !== modelId(config));
    planned.set(modelId(config), { config, sql, upstream });
  }
  const ordered: PlannedModel[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (id: string, path: readonly string[]) => {
    if (state.get(id) === "done") return;
    if (state.get(id) === "visiting") {
      const cycle = [...path.slice(path.indexOf(id)), id];
      throw new ModelGraphError(
        `The models form a cycle: ${cycle.join(" → ")}. A model cannot read itself, directly or through others.`,
      );
    }
    state.set(id, "visiting");
    const model = planned.get(id) as PlannedModel;
    for (const up of model.upstream) visit(up, [...path, id]);
    state.set(id, "done");
    ordered.push(model);
  };
  for (const id of planned.keys()) visit(id, []);
  return ordered;
}

/**
 * The models the selectors pick, in run order (all of them without selectors).
 * @throws ModelGraphError for a selector that names no model or zone, with the nearest name.
 */
export function selectModels(
  ordered: readonly PlannedModel[],
  selectors: readonly string[] | undefined,
): PlannedModel[] {
  if (selectors === undefined || selectors.length === 0) return [...ordered];
  const byName = new Map<string, PlannedModel>();
  for (const m of ordered) {
    byName.set(m.config.name, m);
    byName.set(modelId(m.config), m);
  }
  const downstream = new Map<string, string[]>();
  for (const m of ordered) {
    for (const up of m.upstream) downstream.set(up, [...(downstream.get(up) ?? []), modelId(m.config)]);
  }
  const picked = new Set<string>();
  const walk = (id: string, next: (id: string) => readonly string[]) => {
    for (const other of next(id)) {
      if (!picked.has(other)) {
        picked.add(other);
        walk(other, next);
      }
    }
  };
  for (const selector of selectors) {
    const match = /^(\+?)(.*?)(\+?)$/.exec(selector) as RegExpExecArray;
    const [, up, name = "", down] = match;
    if (name === "silver" || name === "gold") {
      for (const m of ordered) if (m.config.zone === name) picked.add(modelId(m.config));
      continue;
    }
    const model = byName.get(name);
    if (model === undefined) {
      const known = [...ordered.map((m) => m.config.name), "bronze", "silver", "gold"];
      const near = nearest(name, known);
      throw new ModelGraphError(
        `--select ${selector}: no model or zone is called ${name}${near ? `; did you mean ${near}?` : ""} (models: ${ordered.map((m) => m.config.name).join(", ") || "none"})`,
      );
    }
    const id = modelId(model.config);
    picked.add(id);
    if (up) walk(id, (x) => byName.get(x)?.upstream ?? []);
    if (down) walk(id, (x) => downstream.get(x) ?? []);
  }
  return ordered.filter((m) => picked.has(modelId(m.config)));
}

/** The candidate closest to `name` by edit distance, when it is close enough to be a typo. */
export function nearest(name: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (best === undefined || distance < best.distance) best = { candidate, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(name.length / 3)) ? best.candidate : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}
