/**
 * Decides, before a chunk is written, which of its rows carry which kind of dirt: exactly
 * `dirtQuota(kind, rows)` rows per kind, at random positions, at most one kind per row. Duplicates
 * reference an earlier row of the same chunk, which is then kept clean so that the copy is a copy of
 * a valid row. An exact duplicate copies the row before it on the same day, so every line's date is
 * the day of its position and the files stay in date order.
 */
import { DIRT, type DirtKind, dirtQuota } from "./dirt.ts";
import type { Rng } from "./rng.ts";

/** Plan value of a row without dirt. */
export const CLEAN = 0;
/** Plan value of a clean row that a duplicate copies; it must stay clean. */
export const SOURCE = 255;

/** The plan code of a kind: its index in `DIRT` + 1. */
export function dirtCode(kind: DirtKind): number {
  return DIRT.findIndex((d) => d.kind === kind) + 1;
}

/** Which row has which dirt, and which earlier row each duplicate copies. */
export interface DirtPlan {
  /** Per row: CLEAN, SOURCE, or a `dirtCode`. */
  readonly codes: Uint8Array;
  /** Per duplicate row: the index (in the chunk) of the row it copies; -1 elsewhere. */
  readonly sources: Int32Array;
}

const EXACT = dirtCode("duplicate_exact");
const CONFLICT = dirtCode("duplicate_id_conflict");
/** How far back an id conflict may reach for its earlier row. */
const CONFLICT_REACH = 5_000;

/**
 * The plan for a chunk of `rows` rows; `startsDay(i)` tells whether row i is the first of its day.
 * Throws if the rows cannot hold the quotas (never at the rates of `DIRT`).
 */
export function planDirt(rng: Rng, rows: number, startsDay: (row: number) => boolean): DirtPlan {
  const codes = new Uint8Array(rows);
  const sources = new Int32Array(rows).fill(-1);
  const free = (i: number) => codes[i] === CLEAN;
  const copyable = (i: number) => codes[i] === CLEAN || codes[i] === SOURCE;
  // Duplicates first: they need a clean row before them.
  for (const code of [EXACT, CONFLICT]) {
    place(rng, rows, code, (p) => {
      if (p === 0 || !free(p) || (code === EXACT && startsDay(p))) return false;
      const source = code === EXACT ? p - 1 : p - 1 - rng.int(Math.min(p, CONFLICT_REACH));
      if (!copyable(source)) return false;
      codes[p] = code;
      codes[source] = SOURCE;
      sources[p] = source;
      return true;
    });
  }
  DIRT.forEach((_, i) => {
    const code = i + 1;
    if (code === EXACT || code === CONFLICT) return;
    place(rng, rows, code, (p) => {
      if (!free(p)) return false;
      codes[p] = code;
      return true;
    });
  });
  return { codes, sources };
}

/** Tries random rows with `claim` until the kind's quota is met. */
function place(rng: Rng, rows: number, code: number, claim: (row: number) => boolean): void {
  // code is a dirtCode: DIRT index + 1.
  const quota = dirtQuota(DIRT[code - 1] as (typeof DIRT)[number], rows);
  let placed = 0;
  for (let attempts = 0; placed < quota; attempts++) {
    if (attempts > 100 * rows + 1000) {
      throw new Error(
        `Cannot place ${quota} rows of ${DIRT[code - 1]?.kind} dirt in a chunk of ${rows} rows`,
      );
    }
    if (claim(rng.int(rows))) placed++;
  }
}
