/**
 * Declarative expectations on rows: a named SQL condition each row should meet, and what to do with
 * the rows that do not (a NULL result counts as not met):
 * - `warn`: the row goes on; the failures are counted and reported;
 * - `quarantine`: the row goes to the quarantine table with the names of the rules it failed;
 * - `fail`: the run stops before anything is written, naming the rule and the number of rows.
 */
import { PipelineDataError } from "./errors.ts";

export type ExpectationAction = "warn" | "quarantine" | "fail";
export const EXPECTATION_ACTIONS: readonly ExpectationAction[] = ["warn", "quarantine", "fail"];

export interface Expectation {
  /** Stable rule name, e.g. `quantity_positive`; referenced by config overrides and quarantine rows. */
  readonly name: string;
  /** What the rule means, for people. */
  readonly description: string;
  /** A SQL boolean over the cleaned columns; TRUE means the row passes. */
  readonly condition: string;
  readonly action: ExpectationAction;
  /** An `existsIn` rule: the column must be a key of another model. */
  readonly existsIn?: { readonly column: string; readonly model: string; readonly key: string };
  /** A `unique` rule: the column. */
  readonly unique?: string;
  /** A quarantined row that failed only `retry` rules is tried again on later runs. */
  readonly retry?: boolean;
}

/** How many rows failed one rule in a run. */
export interface ExpectationResult {
  readonly name: string;
  readonly action: ExpectationAction;
  readonly failed: number;
}

/** Rows failed an expectation whose action is `fail`. */
export class ExpectationFailedError extends PipelineDataError {
  constructor(
    readonly table: string,
    readonly rule: string,
    readonly rows: number,
  ) {
    super(
      `Expectation ${rule} on ${table} failed for ${rows} rows; its action is "fail", so nothing was written. Fix the data, or set its action to "quarantine" or "warn" in lake.json.`,
    );
    this.name = "ExpectationFailedError";
  }
}

/** Applies per-rule action overrides (`{ "quantity_positive": "warn" }`) to a rule list. */
export function withActions(
  rules: readonly Expectation[],
  overrides: Readonly<Record<string, ExpectationAction>>,
): Expectation[] {
  return rules.map((rule) =>
    overrides[rule.name] ? { ...rule, action: overrides[rule.name] as ExpectationAction } : rule,
  );
}

/** A SQL expression: the list of the names of the rules a row fails (empty when none), in rule order. */
export function failedRulesSql(rules: readonly Expectation[]): string {
  if (rules.length === 0) return "[]::VARCHAR[]";
  const items = rules.map((r) => `CASE WHEN (${r.condition}) IS NOT TRUE THEN '${r.name}' END`);
  // Most rows pass every rule: test that first, and build the list only for the rows that do not.
  const allPass = rules.map((r) => `(${r.condition}) IS TRUE`).join(" AND ");
  return `CASE WHEN ${allPass} THEN []::VARCHAR[] ELSE list_filter([${items.join(", ")}], x -> x IS NOT NULL) END`;
}

/** The names of the `quarantine` rules among `rules`, as a SQL list literal. */
function quarantineNamesSql(rules: readonly Expectation[]): string {
  return `[${rules
    .filter((r) => r.action === "quarantine")
    .map((r) => `'${r.name}'`)
    .join(", ")}]::VARCHAR[]`;
}

/** A SQL boolean: the failed-rules list `failed` (of {@link failedRulesSql}) holds a `quarantine` rule. */
export function quarantinedSql(rules: readonly Expectation[], failed: string): string {
  return `list_has_any(${failed}, ${quarantineNamesSql(rules)})`;
}

/** A SQL expression: the `quarantine` rules in the failed-rules list `failed`, the reasons a quarantine row keeps. */
export function quarantineReasonsSql(rules: readonly Expectation[], failed: string): string {
  return `list_filter(${failed}, x -> list_contains(${quarantineNamesSql(rules)}, x))`;
}

/** SELECT-list expressions counting, per rule in rule order, the rows whose failed-rules list `failed` names it. */
export function failureCountsSql(rules: readonly Expectation[], failed: string): string[] {
  return rules.map((r) => `count(*) FILTER (WHERE list_contains(${failed}, '${r.name}'))`);
}

/**
 * Turns the counts of {@link failureCountsSql} into results.
 * @throws ExpectationFailedError for the first `fail` rule any row failed.
 */
export function checkResults(
  table: string,
  rules: readonly Expectation[],
  counts: readonly unknown[],
): ExpectationResult[] {
  const results = rules.map((rule, i) => ({
    name: rule.name,
    action: rule.action,
    failed: Number(counts[i] ?? 0),
  }));
  const fatal = results.find((r) => r.action === "fail" && r.failed > 0);
  if (fatal) throw new ExpectationFailedError(table, fatal.name, fatal.failed);
  return results;
}
