/**
 * Random scenarios for the Delta property tests: a table (its partition column if any, its checkpoint
 * interval, how many writers) and steps of operations, each step one operation or a group of racing writers.
 */
import fc from "fast-check";
import type { Predicate } from "./table-model.ts";

export interface RowSpec {
  readonly part: number | null;
  readonly val: string | null;
}

export type Op =
  | { readonly kind: "append" | "evolve" | "overwrite"; readonly rows: readonly RowSpec[] }
  | {
      readonly kind: "replacePartitions";
      /** Values of the partition column. */
      readonly parts: ReadonlyArray<number | string | null>;
      readonly rows: readonly RowSpec[];
    }
  | { readonly kind: "delete"; readonly predicate: Predicate }
  | { readonly kind: "optimize" | "vacuum" }
  /** Restores the `pick`-th (modulo) older version that is still readable. */
  | { readonly kind: "restore"; readonly pick: number };

export interface Scenario {
  readonly store: "local" | "memory";
  readonly partitionColumn: "part" | "val" | undefined;
  readonly checkpointInterval: number;
  readonly writers: number;
  readonly create: readonly RowSpec[];
  /** Each step is one operation, or a group of operations by different writers racing to commit. */
  readonly steps: ReadonlyArray<readonly Op[]>;
}

/** Scenarios of up to `maxSteps` steps. */
export function scenarioArbitrary(maxSteps: number): fc.Arbitrary<Scenario> {
  return fc
    .record({
      store: fc.constantFrom("local" as const, "memory" as const),
      partitionColumn: fc.constantFrom("part" as const, "val" as const, undefined),
      checkpointInterval: fc.constantFrom(2, 3),
      writers: fc.integer({ min: 1, max: 3 }),
      create: rowsArb,
    })
    .chain((base) => {
      const solo = opArb(base.partitionColumn, true).map((op) => [op]);
      const group =
        base.writers === 1
          ? solo
          : fc.oneof(
              { weight: 3, arbitrary: solo },
              {
                weight: 2,
                arbitrary: fc.array(opArb(base.partitionColumn, false), {
                  minLength: 2,
                  maxLength: base.writers,
                }),
              },
            );
      return fc
        .array(group, { minLength: 1, maxLength: maxSteps })
        .map((steps): Scenario => ({ ...base, steps }));
    });
}

const partArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(0, 1, 2) },
  { weight: 1, arbitrary: fc.constant(null) },
);
const valArb = fc.constantFrom<string | null>("a", "b", "it's", "ünï 😀", "", null);
const rowsArb = fc.array(fc.record({ part: partArb, val: valArb }), { maxLength: 4 });
const predicateArb: fc.Arbitrary<Predicate> = fc.oneof(
  fc.record({
    kind: fc.constant("idMod" as const),
    modulus: fc.integer({ min: 2, max: 3 }),
    remainder: fc.integer({ min: 0, max: 1 }),
  }),
  fc.record({ kind: fc.constant("partIs" as const), part: fc.constantFrom(0, 1, 2) }),
  fc.constant({ kind: "valIsNull" as const }),
  fc.record({ kind: fc.constant("valIs" as const), val: fc.constantFrom("a", "it's", "") }),
);

function opArb(partitionColumn: Scenario["partitionColumn"], withVacuum: boolean): fc.Arbitrary<Op> {
  const ops: Array<fc.WeightedArbitrary<Op>> = [
    { weight: 5, arbitrary: rowsArb.map((rows) => ({ kind: "append" as const, rows })) },
    { weight: 1, arbitrary: rowsArb.map((rows) => ({ kind: "evolve" as const, rows })) },
    { weight: 2, arbitrary: rowsArb.map((rows) => ({ kind: "overwrite" as const, rows })) },
    { weight: 2, arbitrary: predicateArb.map((predicate) => ({ kind: "delete" as const, predicate })) },
    { weight: 2, arbitrary: fc.constant({ kind: "optimize" as const }) },
    { weight: 2, arbitrary: fc.nat({ max: 30 }).map((pick) => ({ kind: "restore" as const, pick })) },
  ];
  if (partitionColumn !== undefined) {
    // Not "" for val: it is stored as null, and which partition a filter of "" means is unsettled.
    const value: fc.Arbitrary<number | string | null> =
      partitionColumn === "part" ? partArb : fc.constantFrom("a", "b", "it's", "ünï 😀", null);
    const parts = fc.uniqueArray(value, { minLength: 1, maxLength: 2 });
    ops.push({
      weight: 2,
      arbitrary: fc
        .record({ parts, rows: rowsArb })
        .map(({ parts, rows }) => ({ kind: "replacePartitions" as const, parts, rows })),
    });
  }
  // A vacuum with retention 0 would delete the staged files of writers still in flight: never raced.
  if (withVacuum) ops.push({ weight: 1, arbitrary: fc.constant({ kind: "vacuum" as const }) });
  return fc.oneof(...ops);
}
