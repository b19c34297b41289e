/**
 * The run lease: one `lake run` at a time per project, on folders and on S3 alike.
 *
 * Stores offer put-if-absent, overwrite and delete, but no compare-and-swap, so the lease is a
 * sequence of generations, `<system directory>/lease/<n, 20 digits>.json`, each created once with
 * put-if-absent. The newest generation decides: its record names the holder (run id, host, pid, start
 * time) and when the lease expires. To acquire, a run lists the generations and, when the newest is
 * released or expired, creates the next one: of runs racing for it exactly one wins. The holder
 * renews by overwriting its own generation (a new expiry) after checking that no newer one exists; a
 * newer one means the lease was taken over, and the run is told to stop. Release marks the record
 * released and prunes the older generations. A run killed with SIGKILL leaves a record that expires,
 * and the next run takes over then.
 *
 * Expiry is compared with the reader's clock: hosts sharing a project must keep their clocks within
 * a small fraction of the lease's duration of each other.
 */
import { hostname } from "node:os";
import { ObjectExistsError, ObjectNotFoundError, type ObjectStore } from "../storage/index.ts";
import { RunLeaseHeldError, RunLeaseLostError } from "./errors.ts";
import { childLocation, storeAt } from "./layer-tables.ts";
import type { ProjectConfig } from "./project-config.ts";

/** How long a lease lasts without renewal, by default. */
export const DEFAULT_LEASE_TTL_MS = 60_000;
/** How often a holder renews its lease, by default. */
export const DEFAULT_LEASE_RENEW_MS = 10_000;

/** One generation of the lease: who holds it and until when (times in ms since the epoch). */
export interface LeaseRecord {
  readonly generation: number;
  readonly runId: string;
  readonly host: string;
  readonly pid: number;
  readonly startedAt: number;
  readonly renewedAt: number;
  readonly expiresAt: number;
  /** The holder finished: the next run may take the lease at once. */
  readonly released: boolean;
}

/** Durations, identity and the clock of a lease; every field has a real default. */
export interface RunLeaseOptions {
  /** How long the lease lasts without renewal (default 60 s). */
  readonly ttlMs?: number;
  /** How often `startRenewing` renews (default 10 s); keep it well under `ttlMs`. */
  readonly renewEveryMs?: number;
  /** How long `acquire` waits for a holder to finish (default 0: fail at once). */
  readonly waitMs?: number;
  /** Told once per holder that `acquire` waits for. */
  readonly onWait?: (holder: LeaseRecord) => void;
  readonly host?: string;
  readonly pid?: number;
  /** The run's start time (default: when the lease is taken). */
  readonly startedAt?: number;
  /** The clock (default `Date.now`). */
  readonly now?: () => number;
  /** Waiting between polls (default a real timer); a test's fake clock advances here. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Jitter of the polls, in [0, 1) (default `Math.random`). */
  readonly random?: () => number;
}

/** The first and the longest pause between two polls of a waiting `acquire`. */
const FIRST_POLL_MS = 200;
const MAX_POLL_MS = 5_000;

/** The store of the project's run lease: `<system directory>/lease`, beside the run log. */
export function runLeaseStore(project: ProjectConfig): ObjectStore {
  return storeAt(project, childLocation(project.systemDirectory, "lease"));
}

/** The lease's live holder (newest generation, neither released nor expired), if any. */
export async function currentLeaseHolder(
  store: ObjectStore,
  now: () => number = Date.now,
): Promise<LeaseRecord | undefined> {
  const newest = await readNewest(store);
  return newest !== undefined && isLive(newest, now()) ? newest : undefined;
}

/** A held run lease. Take it with `RunLease.acquire`; always `release` it. */
export class RunLease {
  #record: LeaseRecord;
  #lost: RunLeaseLostError | undefined;
  #released = false;
  #timer: NodeJS.Timeout | undefined;
  #renewing: Promise<void> | undefined;

  private constructor(
    readonly store: ObjectStore,
    record: LeaseRecord,
    private readonly settings: Settings,
  ) {
    this.#record = record;
  }

  /**
   * Takes the lease for `runId`, waiting up to `options.waitMs` (polling with backoff) while another
   * run holds it. A lease that expired (its holder was killed) is taken over.
   * @throws RunLeaseHeldError when another run still holds it; storage errors
   */
  static async acquire(store: ObjectStore, runId: string, options: RunLeaseOptions = {}): Promise<RunLease> {
    const settings = resolveSettings(options);
    const { now } = settings;
    const start = now();
    let pause = FIRST_POLL_MS;
    let toldAbout: number | undefined;
    for (;;) {
      const taken = await take(store, runId, options.startedAt, settings);
      if (taken.held !== undefined) return new RunLease(store, taken.held, settings);
      const holder = taken.holder;
      const left = start + (options.waitMs ?? 0) - now();
      if (left <= 0) throw new RunLeaseHeldError(store.location, holder, options.waitMs ?? 0);
      if (toldAbout !== holder.generation) options.onWait?.(holder);
      toldAbout = holder.generation;
      // Poll again no later than the holder's expiry: a killed holder is taken over on time.
      const untilExpiry = Math.max(holder.expiresAt - now(), 0) + 1;
      await settings.sleep(Math.min(pause * (0.5 + settings.random() / 2), left, untilExpiry));
      pause = Math.min(pause * 2, MAX_POLL_MS);
    }
  }

  /** The record of the generation this run holds, as last written. */
  get record(): LeaseRecord {
    return this.#record;
  }

  /** Why the lease was lost, or undefined while it is held. */
  get lost(): RunLeaseLostError | undefined {
    return this.#lost;
  }

  /** @throws RunLeaseLostError once the lease is lost */
  assertHeld(): void {
    if (this.#lost) throw this.#lost;
  }

  /**
   * Extends the lease by its duration, after checking that it has not expired and that no newer
   * generation took it over.
   * Does nothing once released.
   * @throws RunLeaseLostError when it was lost (and from then on); storage errors (the lease is kept)
   */
  async renew(): Promise<void> {
    this.assertHeld();
    if (this.#released) return;
    const now = this.settings.now();
    const { generation, expiresAt } = this.#record;
    if (now >= expiresAt) {
      throw this.#lose(`the lease expired at ${new Date(expiresAt).toISOString()} before it was renewed`);
    }
    const generations = await listGenerations(this.store);
    const newest = generations.at(-1);
    if (newest !== undefined && newest > generation) {
      const taker = await readRecord(this.store, newest).catch(() => undefined);
      throw this.#lose(
        taker === undefined
          ? `a newer lease (generation ${newest}) exists`
          : `run ${taker.runId} on ${taker.host} took it over after it expired`,
      );
    }
    if (!generations.includes(generation)) throw this.#lose("its lease record was deleted");
    const renewed = { ...this.#record, renewedAt: now, expiresAt: now + this.settings.ttlMs };
    await this.store.put(keyOf(generation), encode(renewed));
    this.#record = renewed;
  }

  /**
   * Renews every `renewEveryMs` on a timer that never keeps the process alive; `onLost` is told once
   * when the lease is lost. A renewal that fails for another reason (the store unreachable) is tried
   * again at the next tick, until the lease expires.
   */
  startRenewing(onLost: (error: RunLeaseLostError) => void = () => {}): void {
    if (this.#timer !== undefined || this.#released) return;
    this.#timer = setInterval(() => {
      if (this.#renewing !== undefined || this.#lost !== undefined) return;
      this.#renewing = this.renew()
        .catch((error: unknown) => {
          if (error instanceof RunLeaseLostError) {
            this.#stopTimer();
            onLost(error);
          }
        })
        .finally(() => {
          this.#renewing = undefined;
        });
    }, this.settings.renewEveryMs);
    this.#timer.unref();
  }

  /**
   * Stops renewing, marks the record released (the next run may start at once) and deletes the older
   * generations. A lost lease is left as it is.
   */
  async release(): Promise<void> {
    this.#stopTimer();
    await this.#renewing;
    if (this.#lost !== undefined || this.#released) return;
    this.#released = true;
    const generations = await listGenerations(this.store);
    if ((generations.at(-1) ?? 0) > this.#record.generation) return;
    const released = { ...this.#record, renewedAt: this.settings.now(), released: true };
    await this.store.put(keyOf(released.generation), encode(released));
    this.#record = released;
    for (const older of generations) if (older < released.generation) await this.store.delete(keyOf(older));
  }

  #stopTimer(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #lose(reason: string): RunLeaseLostError {
    this.#lost ??= new RunLeaseLostError(this.store.location, this.#record.runId, reason);
    return this.#lost;
  }
}

interface Settings {
  readonly ttlMs: number;
  readonly renewEveryMs: number;
  readonly host: string;
  readonly pid: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
}

function resolveSettings(options: RunLeaseOptions): Settings {
  return {
    ttlMs: options.ttlMs ?? DEFAULT_LEASE_TTL_MS,
    renewEveryMs: options.renewEveryMs ?? DEFAULT_LEASE_RENEW_MS,
    host: options.host ?? hostname(),
    pid: options.pid ?? process.pid,
    now: options.now ?? Date.now,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    random: options.random ?? Math.random,
  };
}

/**
 * One attempt: the held record when this run created the next generation and no newer one exists,
 * else the live holder.
 */
async function take(
  store: ObjectStore,
  runId: string,
  startedAt: number | undefined,
  settings: Settings,
): Promise<{ held: LeaseRecord; holder?: undefined } | { held?: undefined; holder: LeaseRecord }> {
  for (;;) {
    const newest = await readNewest(store);
    const now = settings.now();
    if (newest !== undefined && isLive(newest, now)) return { holder: newest };
    const record: LeaseRecord = {
      generation: (newest?.generation ?? 0) + 1,
      runId,
      host: settings.host,
      pid: settings.pid,
      startedAt: startedAt ?? now,
      renewedAt: now,
      expiresAt: now + settings.ttlMs,
      released: false,
    };
    try {
      await store.put(keyOf(record.generation), encode(record), { ifNoneMatch: true });
    } catch (error) {
      if (error instanceof ObjectExistsError) continue; // another run won this generation
      throw error;
    }
    // A generation that a finished run pruned can be created again by a run that listed before the
    // prune: a newer generation then exists, and that one decides.
    const newer = (await listGenerations(store)).at(-1) ?? 0;
    if (newer <= record.generation) return { held: record };
    await store.delete(keyOf(record.generation));
  }
}

function isLive(record: LeaseRecord, now: number): boolean {
  return !record.released && now < record.expiresAt;
}

/** The newest generation's record; listed again when a prune removed it between list and read. */
async function readNewest(store: ObjectStore): Promise<LeaseRecord | undefined> {
  for (;;) {
    const newest = (await listGenerations(store)).at(-1);
    if (newest === undefined) return undefined;
    try {
      return await readRecord(store, newest);
    } catch (error) {
      if (!(error instanceof ObjectNotFoundError)) throw error;
    }
  }
}

/** The generations in the store, ascending; other keys are ignored. */
async function listGenerations(store: ObjectStore): Promise<number[]> {
  const generations: number[] = [];
  for await (const { key } of store.list("")) {
    const match = /^(\d{20})\.json$/.exec(key);
    if (match?.[1] !== undefined) generations.push(Number(match[1]));
  }
  return generations;
}

function keyOf(generation: number): string {
  return `${String(generation).padStart(20, "0")}.json`;
}

/** The record as stored: times as ISO text, so that a person can read the file. */
function encode(record: LeaseRecord): Uint8Array {
  const iso = (ms: number) => new Date(ms).toISOString();
  return new TextEncoder().encode(
    `${JSON.stringify({
      ...record,
      startedAt: iso(record.startedAt),
      renewedAt: iso(record.renewedAt),
      expiresAt: iso(record.expiresAt),
    })}\n`,
  );
}

/** A generation's record; one that cannot be parsed reads as released. @throws ObjectNotFoundError */
async function readRecord(store: ObjectStore, generation: number): Promise<LeaseRecord> {
  const text = new TextDecoder().decode(await store.get(keyOf(generation)));
  let raw: Record<string, unknown> = {};
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // A record that is not JSON holds nothing: the lease is free (puts are atomic, so only a person
    // editing the file can leave one).
  }
  const time = (value: unknown) => (typeof value === "string" ? Date.parse(value) : Number.NaN);
  const expiresAt = time(raw.expiresAt);
  return {
    generation,
    runId: String(raw.runId ?? "unknown"),
    host: String(raw.host ?? "unknown"),
    pid: typeof raw.pid === "number" ? raw.pid : 0,
    startedAt: time(raw.startedAt),
    renewedAt: time(raw.renewedAt),
    expiresAt,
    released: raw.released === true || Number.isNaN(expiresAt),
  };
}
