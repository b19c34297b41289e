import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  currentLeaseHolder,
  type LeaseRecord,
  RunLease,
  RunLeaseHeldError,
  RunLeaseLostError,
  type RunLeaseOptions,
} from "../../src/pipeline/index.ts";
import { LocalStore, type ObjectStore, S3Store } from "../../src/storage/index.ts";
import { describeWithS3 } from "../helpers/s3.ts";

const T0 = Date.parse("2026-03-01T12:00:00Z");
const TTL = 60_000;

/** A clock that moves only when told to (or when a waiting acquire sleeps on it). */
function fakeClock(start = T0) {
  const clock = {
    ms: start,
    now: () => clock.ms,
    sleep: async (ms: number) => {
      clock.ms += ms;
    },
  };
  return clock;
}

/** The generation files in the lease store. */
async function keys(store: ObjectStore): Promise<string[]> {
  const found: string[] = [];
  for await (const { key } of store.list("")) found.push(key);
  return found;
}

/** Writes a generation's record as a run on another host would. */
async function plant(store: ObjectStore, record: Omit<LeaseRecord, "renewedAt"> & { renewedAt?: number }) {
  const iso = (ms: number) => new Date(ms).toISOString();
  const body = JSON.stringify({
    ...record,
    startedAt: iso(record.startedAt),
    renewedAt: iso(record.renewedAt ?? record.startedAt),
    expiresAt: iso(record.expiresAt),
  });
  await store.put(`${String(record.generation).padStart(20, "0")}.json`, new TextEncoder().encode(body));
}

/** Every lease test, on a fresh store from `makeStore` per test. */
function leaseSuite(makeStore: () => Promise<ObjectStore>): void {
  const options = (clock: ReturnType<typeof fakeClock>, extra: RunLeaseOptions = {}): RunLeaseOptions => ({
    ttlMs: TTL,
    host: "host-a",
    pid: 101,
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5,
    ...extra,
  });

  it("gives the lease to exactly one of 8 concurrent acquirers; the others are told who holds it", async () => {
    const store = await makeStore();
    const clock = fakeClock();
    const settled = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        RunLease.acquire(store, `run-${i}`, options(clock, { host: `host-${i}`, pid: 1000 + i })),
      ),
    );
    const winners = settled.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    assert.equal(winners.length, 1);
    const winner = winners[0] as RunLease;
    for (const r of settled) {
      if (r.status === "fulfilled") continue;
      assert.ok(r.reason instanceof RunLeaseHeldError, String(r.reason));
      assert.equal(r.reason.holder.runId, winner.record.runId);
    }
    assert.deepEqual(await keys(store), ["00000000000000000001.json"]);
    assert.equal((await currentLeaseHolder(store, clock.now))?.runId, winner.record.runId);
    await winner.release();
    assert.equal(await currentLeaseHolder(store, clock.now), undefined);
  });

  it("refuses a second run with who holds the lease, what to do, and when it expires", async () => {
    const store = await makeStore();
    const clock = fakeClock();
    const first = await RunLease.acquire(store, "run-1", options(clock));
    clock.ms += 5_000;
    await assert.rejects(
      RunLease.acquire(store, "run-2", options(clock, { host: "host-b" })),
      (error: unknown) => {
        assert.ok(error instanceof RunLeaseHeldError);
        assert.equal(
          error.message,
          "another run (run-1, host-a, started at 2026-03-01T12:00:00.000Z) holds the project: wait for " +
            "it to finish (lake run --wait SECONDS), or, if that run (pid 101) was killed, run again after " +
            `its lease expires at 2026-03-01T12:01:00.000Z (lease in ${store.location})`,
        );
        return true;
      },
    );
    await first.release();
  });

  it("renewal extends the lease: it outlives its first expiry", async () => {
    const store = await makeStore();
    const clock = fakeClock();
    const lease = await RunLease.acquire(store, "run-1", options(clock));
    clock.ms += 40_000;
    await lease.renew();
    assert.equal(lease.record.expiresAt, T0 + 40_000 + TTL);
    clock.ms += 40_000; // past the first expiry, before the renewed one
    await assert.rejects(RunLease.acquire(store, "run-2", options(clock)), RunLeaseHeldError);
    assert.equal((await currentLeaseHolder(store, clock.now))?.renewedAt, T0 + 40_000);
    await lease.release();
  });

  it("takes over an expired lease; the old holder learns on renewal that it lost it", async () => {
    const store = await makeStore();
    const clock = fakeClock();
    const old = await RunLease.acquire(store, "run-1", options(clock));
    clock.ms += TTL; // expired: as if run-1 were killed, or stalled
    const next = await RunLease.acquire(store, "run-2", options(clock, { host: "host-b" }));
    assert.equal(next.record.generation, 2);
    await assert.rejects(old.renew(), {
      name: "RunLeaseLostError",
      message:
        `run run-1 lost its lease on the project (${store.location}): the lease expired at ` +
        "2026-03-01T12:01:00.000Z before it was renewed. It stops so that two runs never write at once; " +
        "what it committed is kept, and the next lake run continues from there",
    });
    assert.ok(old.lost instanceof RunLeaseLostError);
    assert.throws(() => old.assertHeld(), RunLeaseLostError);
    await old.release(); // a lost lease is left alone
    assert.equal((await currentLeaseHolder(store, clock.now))?.runId, "run-2");
    await next.release();
  });

  it("a holder whose clock lags learns on renewal that a newer generation took over", async () => {
    const store = await makeStore();
    const lagging = fakeClock();
    const old = await RunLease.acquire(store, "run-1", options(lagging));
    const later = fakeClock(T0 + TTL + 1);
    const next = await RunLease.acquire(store, "run-2", options(later, { host: "host-b" }));
    lagging.ms += 5_000;
    await assert.rejects(old.renew(), /: run run-2 on host-b took it over after it expired\. It stops/);
    await next.release();
  });

  it("release lets the next run in at once and prunes the older generations", async () => {
    const store = await makeStore();
    const clock = fakeClock();
    const first = await RunLease.acquire(store, "run-1", options(clock));
    await first.release();
    await first.renew(); // a released lease is not renewed
    const second = await RunLease.acquire(store, "run-2", options(clock));
    assert.deepEqual(await keys(store), ["00000000000000000001.json", "00000000000000000002.json"]);
    await second.release();
    assert.deepEqual(await keys(store), ["00000000000000000002.json"]);
    const record = JSON.parse(new TextDecoder().decode(await store.get("00000000000000000002.json")));
    assert.deepEqual(record, {
      generation: 2,
      runId: "run-2",
      host: "host-a",
      pid: 101,
      startedAt: "2026-03-01T12:00:00.000Z",
      renewedAt: "2026-03-01T12:00:00.000Z",
      expiresAt: "2026-03-01T12:01:00.000Z",
      released: true,
    });
  });

  it("waits with --wait for the holder to finish, telling once whom it waits for", async () => {
    const store = await makeStore();
    const clock = fakeClock();
    const holder = await RunLease.acquire(store, "run-1", options(clock));
    const sleeps: number[] = [];
    const told: string[] = [];
    const waiter = await RunLease.acquire(
      store,
      "run-2",
      options(clock, {
        waitMs: 30_000,
        onWait: (h) => told.push(h.runId),
        sleep: async (ms) => {
          sleeps.push(ms);
          clock.ms += ms;
          if (sleeps.length === 4) await holder.release();
        },
      }),
    );
    assert.deepEqual(told, ["run-1"]);
    assert.deepEqual(sleeps, [150, 300, 600, 1200]); // backoff with the middle of its jitter
    assert.equal(waiter.record.generation, 2);
    await waiter.release();
  });

  it("gives up when the wait runs out, saying how long it waited", async () => {
    const store = await makeStore();
    const clock = fakeClock();
    const holder = await RunLease.acquire(store, "run-1", options(clock));
    await assert.rejects(
      RunLease.acquire(store, "run-2", options(clock, { waitMs: 20_000 })),
      /holds the project, still after waiting 20 s: wait for it/,
    );
    assert.equal(clock.ms, T0 + 20_000);
    await holder.release();
  });

  it("a waiting run takes over a killed holder's lease when it expires", async () => {
    const store = await makeStore();
    const clock = fakeClock();
    await RunLease.acquire(store, "killed", options(clock)); // never renewed, never released
    const waiter = await RunLease.acquire(store, "run-2", options(clock, { waitMs: 120_000 }));
    assert.equal(waiter.record.generation, 2);
    assert.ok(clock.ms >= T0 + TTL && clock.ms < T0 + TTL + 5_000, `took over at +${clock.ms - T0} ms`);
    await waiter.release();
  });

  it("takes over a stale lease at once: started long ago, its renewal expired", async () => {
    const store = await makeStore();
    const clock = fakeClock();
    await plant(store, {
      generation: 7,
      runId: "stale",
      host: "gone",
      pid: 4242,
      startedAt: T0 - 86_400_000,
      renewedAt: T0 - 86_400_000 + 30_000,
      expiresAt: T0 - 86_400_000 + 90_000,
      released: false,
    });
    const lease = await RunLease.acquire(store, "run-1", options(clock));
    assert.equal(lease.record.generation, 8);
    await lease.release();
    assert.deepEqual(await keys(store), ["00000000000000000008.json"]);
  });

  it("a run that re-creates a pruned generation from a stale listing backs off", async () => {
    const store = await makeStore();
    const clock = fakeClock();
    // Generation 1 was pruned after generation 2 was taken; this run listed before either.
    await plant(store, {
      generation: 2,
      runId: "run-2",
      host: "host-b",
      pid: 7,
      startedAt: T0,
      expiresAt: T0 + TTL,
      released: false,
    });
    let firstList = true;
    const stale: ObjectStore = {
      location: store.location,
      get: (key) => store.get(key),
      getRange: (key, start, end) => store.getRange(key, start, end),
      head: (key) => store.head(key),
      list: (prefix) => {
        if (!firstList) return store.list(prefix);
        firstList = false;
        return (async function* () {})(); // the listing from before generations 1 and 2
      },
      put: (key, body, putOptions) => store.put(key, body, putOptions),
      putStream: (key, body, putOptions) => store.putStream(key, body, putOptions),
      getStream: (key) => store.getStream(key),
      delete: (key) => store.delete(key),
      localPath: (key) => store.localPath(key),
    };
    await assert.rejects(RunLease.acquire(stale, "late", options(clock)), (error: unknown) => {
      assert.ok(error instanceof RunLeaseHeldError);
      assert.equal(error.holder.runId, "run-2");
      return true;
    });
    assert.deepEqual(await keys(store), ["00000000000000000002.json"]);
  });

  it("renews on a timer, and tells the run when a newer generation took the lease", async () => {
    const store = await makeStore();
    const lease = await RunLease.acquire(store, "run-1", { ttlMs: 2_000, renewEveryMs: 100 });
    const lost = new Promise<RunLeaseLostError>((resolve) => lease.startRenewing(resolve));
    const first = lease.record.expiresAt;
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.ok(lease.record.expiresAt > first, "renewed");
    await plant(store, {
      generation: 2,
      runId: "intruder",
      host: "host-x",
      pid: 9,
      startedAt: Date.now(),
      expiresAt: Date.now() + 60_000,
      released: false,
    });
    // The renewal timer is unref'd: this test's own timer keeps the process alive while it waits.
    let keepAlive: NodeJS.Timeout | undefined;
    const error = await Promise.race([
      lost,
      new Promise<never>((_, reject) => {
        keepAlive = setTimeout(() => reject(new Error("the loss was never reported")), 5_000);
      }),
    ]);
    clearTimeout(keepAlive);
    assert.match(error.message, /: run intruder on host-x took it over after it expired\./);
    assert.throws(() => lease.assertHeld(), RunLeaseLostError);
    await lease.release();
    assert.equal((await currentLeaseHolder(store))?.runId, "intruder");
  });
}

describe("the run lease on a local folder", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "lake-run-lease-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));
  leaseSuite(async () => new LocalStore(join(dir, randomUUID(), "lease")));
});

describeWithS3("the run lease on S3", (bucket) => {
  leaseSuite(async () => new S3Store({ client: bucket.client, bucket: bucket.name, prefix: randomUUID() }));
});
