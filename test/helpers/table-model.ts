/**
 * An in-memory model of a small Delta table for property tests: every version's schema and live data
 * files, each file an id, its partition value and its rows. Operations are planned against one state
 * as a change (files removed, files added, maybe a new schema), like the actions of a commit, and
 * applied to the newest state when they commit, so a commit made after other writers' commits is
 * modelled the way the log replays it. The model also knows which versions a vacuum left readable.
 *
 * The table's columns are `id long NOT NULL`, `part integer`, `val string`, then nullable string
 * columns added by schema evolution; `part` or `val` may be the partition column.
 */

/** A value of a model row: `id` is a bigint, `part` a number, the rest strings. */
export type ModelValue = bigint | number | string | null;
export type ModelRow = Readonly<Record<string, ModelValue>>;

export interface ModelColumn {
  readonly name: string;
  readonly type: "long" | "integer" | "string";
  readonly nullable: boolean;
}

/** One data file: an id standing for its path, its partition value (null when unpartitioned or null). */
export interface ModelFile {
  readonly id: number;
  readonly partition: ModelValue;
  readonly rows: readonly ModelRow[];
}

/** What a version holds. */
export interface ModelState {
  readonly schema: readonly ModelColumn[];
  readonly files: readonly ModelFile[];
}

/** The effect of one commit, planned against a state. */
export interface ModelChange {
  readonly removes: ReadonlySet<number>;
  readonly adds: readonly ModelFile[];
  /** Set when the commit carries a metaData action (a new schema). */
  readonly schema?: readonly ModelColumn[];
  /** Adds with `dataChange: false` (a compaction). */
  readonly rearrangeOnly?: boolean;
}

/** A DELETE predicate the model evaluates and the engine runs as SQL. */
export type Predicate =
  | { readonly kind: "idMod"; readonly modulus: number; readonly remainder: number }
  | { readonly kind: "partIs"; readonly part: number }
  | { readonly kind: "valIsNull" }
  | { readonly kind: "valIs"; readonly val: string };

/** The columns every model table starts with. */
export const BASE_COLUMNS: readonly ModelColumn[] = [
  { name: "id", type: "long", nullable: false },
  { name: "part", type: "integer", nullable: true },
  { name: "val", type: "string", nullable: true },
];

/** The history of one table: a state per version, and the data files a vacuum deleted. */
export class TableModel {
  readonly #versions: ModelState[] = [];
  readonly #vacuumed = new Set<number>();
  #nextFileId = 0;

  /** `partitionColumn`: `part`, `val` or none. */
  constructor(readonly partitionColumn: "part" | "val" | undefined) {}

  /** The newest version (-1 before the table exists). */
  get latest(): number {
    return this.#versions.length - 1;
  }

  /** The state at `version`. @throws RangeError for a version the model lacks. */
  state(version: number = this.latest): ModelState {
    const state = this.#versions[version];
    if (state === undefined) throw new RangeError(`the model has no version ${version}`);
    return state;
  }

  /** Records a commit of `change` on top of the newest version; returns the new version. */
  commit(change: ModelChange): number {
    const base = this.latest < 0 ? { schema: BASE_COLUMNS, files: [] } : this.state();
    this.#versions.push(applyChange(base, change));
    return this.latest;
  }

  /** Records a vacuum that deletes every file the newest version does not hold, and its two commits. */
  vacuum(): void {
    const live = new Set(this.state().files.map((f) => f.id));
    for (const state of this.#versions)
      for (const f of state.files) if (!live.has(f.id)) this.#vacuumed.add(f.id);
    this.#versions.push(this.state(), this.state());
  }

  /** Whether every data file of `version` still exists. */
  readable(version: number): boolean {
    return this.state(version).files.every((f) => !this.#vacuumed.has(f.id));
  }

  /**
   * The row as the table stores it: an empty string in a string partition column is null, as Delta
   * requires.
   */
  stored(row: ModelRow): ModelRow {
    return this.partitionColumn === "val" && row.val === "" ? { ...row, val: null } : row;
  }

  /** New files holding `written` (as stored): one per partition value when partitioned, none for no rows. */
  newFiles(written: readonly ModelRow[]): ModelFile[] {
    const rows = written.map((row) => this.stored(row));
    const column = this.partitionColumn;
    if (column === undefined)
      return rows.length === 0 ? [] : [{ id: this.#nextFileId++, partition: null, rows }];
    const groups = new Map<ModelValue, ModelRow[]>();
    for (const row of rows) {
      const value = row[column] ?? null;
      groups.set(value, [...(groups.get(value) ?? []), row]);
    }
    return [...groups].map(([partition, grouped]) => ({ id: this.#nextFileId++, partition, rows: grouped }));
  }

  /** An append of `rows`; with `schema`, the append also evolves the schema to it. */
  planAppend(rows: readonly ModelRow[], schema?: readonly ModelColumn[]): ModelChange {
    return { removes: new Set(), adds: this.newFiles(rows), ...(schema ? { schema } : {}) };
  }

  /** An overwrite of the whole table, or with `parts` of the files in those partitions. */
  planOverwrite(state: ModelState, rows: readonly ModelRow[], parts?: readonly ModelValue[]): ModelChange {
    const replaced = state.files.filter((f) => parts === undefined || parts.includes(f.partition));
    return { removes: new Set(replaced.map((f) => f.id)), adds: this.newFiles(rows) };
  }

  /** A copy-on-write delete; undefined when no row matches (no commit). */
  planDelete(state: ModelState, predicate: Predicate): ModelChange | undefined {
    const removes = new Set<number>();
    const adds: ModelFile[] = [];
    for (const f of state.files) {
      const kept = f.rows.filter((row) => !matches(predicate, row));
      if (kept.length === f.rows.length) continue;
      removes.add(f.id);
      if (kept.length > 0) adds.push({ id: this.#nextFileId++, partition: f.partition, rows: kept });
    }
    return removes.size === 0 ? undefined : { removes, adds };
  }

  /** A compaction of each partition holding more than one file; undefined when there is none. */
  planOptimize(state: ModelState): ModelChange | undefined {
    const groups = new Map<ModelValue, ModelFile[]>();
    for (const f of state.files) groups.set(f.partition, [...(groups.get(f.partition) ?? []), f]);
    const bins = [...groups.values()].filter((files) => files.length > 1);
    if (bins.length === 0) return undefined;
    return {
      removes: new Set(bins.flat().map((f) => f.id)),
      adds: bins.map((files) => ({
        id: this.#nextFileId++,
        partition: files[0]?.partition ?? null,
        rows: files.flatMap((f) => f.rows),
      })),
      rearrangeOnly: true,
    };
  }

  /** A restore of `target` planned against `state`. */
  planRestore(state: ModelState, target: number): ModelChange {
    const then = this.state(target);
    const nowIds = new Set(state.files.map((f) => f.id));
    const thenIds = new Set(then.files.map((f) => f.id));
    const sameSchema = JSON.stringify(then.schema) === JSON.stringify(state.schema);
    return {
      removes: new Set(state.files.filter((f) => !thenIds.has(f.id)).map((f) => f.id)),
      adds: then.files.filter((f) => !nowIds.has(f.id)),
      ...(sameSchema ? {} : { schema: then.schema }),
    };
  }
}

/** `state` with `change` applied (a remove of a file no longer live changes nothing). */
export function applyChange(state: ModelState, change: ModelChange): ModelState {
  const kept = state.files.filter((f) => !change.removes.has(f.id));
  const ids = new Set(kept.map((f) => f.id));
  return {
    schema: change.schema ?? state.schema,
    files: [...kept, ...change.adds.filter((f) => !ids.has(f.id))],
  };
}

/** The rows a state reads, each as its values in schema order (text, or null), sorted. */
export function stateRows(state: ModelState): string[] {
  return sortedRows(state.files.flatMap((f) => f.rows).map((row) => canonicalRow(state.schema, row)));
}

/** A row as its values in `columns` order, each as text or null (a column the row lacks is null). */
export function canonicalRow(
  columns: readonly ModelColumn[],
  row: Readonly<Record<string, unknown>>,
): string {
  return JSON.stringify(columns.map((c) => (row[c.name] == null ? null : String(row[c.name]))));
}

/** Rows sorted so two multisets compare with deepEqual. */
export function sortedRows(rows: readonly string[]): string[] {
  return [...rows].sort();
}

/** Whether the predicate is TRUE for `row` (NULL and FALSE keep the row, as in SQL). */
export function matches(predicate: Predicate, row: ModelRow): boolean {
  switch (predicate.kind) {
    case "idMod":
      return (row.id as bigint) % BigInt(predicate.modulus) === BigInt(predicate.remainder);
    case "partIs":
      return row.part === predicate.part;
    case "valIsNull":
      return row.val === null || row.val === undefined;
    case "valIs":
      return row.val === predicate.val;
  }
}

/** The predicate as DuckDB SQL. */
export function predicateSql(predicate: Predicate): string {
  switch (predicate.kind) {
    case "idMod":
      return `id % ${predicate.modulus} = ${predicate.remainder}`;
    case "partIs":
      return `part = ${predicate.part}`;
    case "valIsNull":
      return "val IS NULL";
    case "valIs":
      return `val = '${predicate.val.replaceAll("'", "''")}'`;
  }
}
