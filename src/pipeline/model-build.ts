/**
 * What every kind of model shares when it builds: the run it belongs to, what it reports, the hash of
 * its definition (recorded as a `txn`, so a changed definition is seen from the table alone), and
 * the SQL that evaluates its expectations on its rows.
 */
import { createHash } from "node:crypto";
import type { Snapshot } from "../delta/index.ts";
import type { DeltaContext } from "../engine/index.ts";
import { PipelineDataError } from "./errors.ts";
import { type Expectation, type ExpectationResult, failedRulesSql } from "./expectations.ts";
import { consumedVersion, inputAppId } from "./input-state.ts";
import type { ModelConfig, ModelKind } from "./model-config.ts";
import type { PlannedModel } from "./model-graph.ts";
import type { ProjectConfig } from "./project-config.ts";

/** What a model build needs besides the model. */
export interface BuildContext {
  readonly ctx: DeltaContext;
  readonly project: ProjectConfig;
  readonly runId: string;
  readonly fullRefresh: boolean;
}

/** What building one model did. */
export interface ModelResult {
  /** `zone.name`. */
  readonly table: string;
  readonly kind: ModelKind;
  /** False when nothing it reads or is had changed since its last build. */
  readonly rebuilt: boolean;
  /** Input rows it processed (the new rows of an incremental model). */
  readonly inputRows: number;
  /** Rows written to the model. */
  readonly rows: number;
  readonly quarantined: number;
  readonly duplicatesRemoved: number;
  /** Quarantined rows that moved into the model on this run (a `retry` rule now met). */
  readonly retried: number;
  readonly expectations: readonly ExpectationResult[];
  /** Partitions recomputed (a partitions model). */
  readonly partitions?: number;
  /** Surrogate keys given to new members (a dimension). */
  readonly newKeys?: number;
  /** Why it was built in full, when it was (besides its first build). */
  readonly reason?: string;
  /** A table it reads that does not exist yet: the model is not built until it does. */
  readonly waitingFor?: string;
  /** How long the build took, in seconds (set by the runner). */
  readonly seconds?: number;
}

/** A result for a model with nothing to do. */
export function upToDate(model: ModelConfig): ModelResult {
  return {
    table: `${model.zone}.${model.name}`,
    kind: model.kind,
    rebuilt: false,
    inputRows: 0,
    rows: 0,
    quarantined: 0,
    duplicatesRemoved: 0,
    retried: 0,
    expectations: [],
  };
}

/** A model's SQL or data could not be processed. */
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

const DEFINITION_APP_ID = "medallion-lake/definition/";

/** The hash of everything that decides a model's rows: its SQL and its properties. */
export function definitionHash(model: PlannedModel): string {
  const { name: _name, query: _query, sqlFile: _sqlFile, ...properties } = model.config;
  return createHash("sha256")
    .update(JSON.stringify({ sql: model.sql, properties }))
    .digest("hex")
    .slice(0, 32);
}

/**
 * The txn that records a definition: the appId names the hash, the version is the table version the
 * write creates, so the newest such txn is the table's current definition (A → B → A included).
 */
function definitionTxn(hash: string, table: Snapshot | undefined): { appId: string; version: number } {
  return { appId: `${DEFINITION_APP_ID}${hash}`, version: table === undefined ? 0 : table.version + 1 };
}

/** A table a build read: its reference as written (`zone.table`, `zone.table@v3`) and the version. */
export interface InputVersion {
  readonly reference: string;
  readonly version: number;
}

/** The txns a build commits with its data: the version of every input it read, and its definition. */
export function buildTxns(
  hash: string,
  table: Snapshot | undefined,
  inputs: readonly InputVersion[],
): Array<{ appId: string; version: number }> {
  return [
    ...inputs.map((i) => ({ appId: inputAppId(i.reference), version: i.version })),
    definitionTxn(hash, table),
  ];
}

/** True when `table` was last built from this definition and exactly these input versions. */
export function builtFrom(
  table: Snapshot | undefined,
  hash: string,
  inputs: readonly InputVersion[],
): boolean {
  return (
    table !== undefined &&
    currentDefinition(table) === hash &&
    inputs.every((i) => consumedVersion(table, i.reference) === i.version)
  );
}

/** The hash of the definition the table was last built from. */
export function currentDefinition(table: Snapshot): string | undefined {
  let newest: { appId: string; version: number } | undefined;
  for (const txn of table.txns()) {
    if (txn.appId.startsWith(DEFINITION_APP_ID) && txn.version >= (newest?.version ?? -1)) newest = txn;
  }
  return newest?.appId.slice(DEFINITION_APP_ID.length);
}

/** The name of the table beside a model that keeps its quarantined rows. */
export function quarantineName(model: ModelConfig): string {
  return `${model.name}_quarantine`;
}

/** True when some rule sends rows to the quarantine. */
export function quarantines(rules: readonly Expectation[]): boolean {
  return rules.some((r) => r.action === "quarantine");
}

/**
 * SQL over the model's rows (`modelSql`) adding `failed_rules`, the rules each row fails (in rule
 * order). An `existsIn` rule's lookup is computed once per row, not once per use.
 */
export function checkedSql(modelSql: string, rules: readonly Expectation[]): string {
  const lookups = rules.filter((r) => r.existsIn);
  const flag = (r: Expectation) => `"__exists_${r.name}"`;
  const conditions = rules.map((r) =>
    r.existsIn ? { ...r, condition: `"${r.existsIn.column}" IS NULL OR ${flag(r)}` } : r,
  );
  const withLookups = lookups.length
    ? `SELECT m.*, ${lookups
        .map((r) => {
          const e = r.existsIn as NonNullable<Expectation["existsIn"]>;
          return `"${e.column}" IN (SELECT "${e.key}" FROM ${e.model}) AS ${flag(r)}`;
        })
        .join(", ")} FROM (${modelSql}) m`
    : modelSql;
  const exclude = lookups.length ? ` EXCLUDE (${lookups.map(flag).join(", ")})` : "";
  return `SELECT *${exclude}, ${failedRulesSql(conditions)} AS failed_rules FROM (${withLookups})`;
}
