import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { commitKey, field, parseActions, scanRows, struct } from "../../src/delta/index.ts";
import { DeltaContext, writeTable } from "../../src/engine/index.ts";
import { LocalStore, type ObjectStore, S3Store } from "../../src/storage/index.ts";
import { describeWithS3 } from "../helpers/s3.ts";

const WORKERS = 8;
const COMMITS_PER_WORKER = 50;
const worker = fileURLToPath(new URL("fixtures/append-worker.ts", import.meta.url));

/** Runs one worker process to completion; rejects with its stderr on a non-zero exit. */
function runWorker(location: string, index: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [
      "--import",
      "tsx",
      worker,
      location,
      String(index),
      String(COMMITS_PER_WORKER),
    ]);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`worker ${index} exited ${code}: ${stderr}`)),
    );
  });
}

/** Where the workers append: a table location and the store reading it, and how to remove it. */
interface Target {
  readonly location: string;
  readonly store: ObjectStore;
  cleanup(): Promise<void>;
}

function describeConcurrentAppends(name: string, makeTarget: () => Promise<Target>): void {
  describe(`${WORKERS} processes appending ${COMMITS_PER_WORKER} commits each to one ${name} table`, () => {
    let target: Target;
    let ctx: DeltaContext;
    const schema = struct(field("id", "long"), field("worker", "integer"));
    const logFiles = async (suffix: string) => {
      const names: string[] = [];
      for await (const meta of target.store.list("_delta_log/"))
        if (meta.key.endsWith(suffix)) names.push(meta.key.slice("_delta_log/".length));
      return names;
    };

    before(async () => {
      target = await makeTarget();
      ctx = await DeltaContext.open({ threads: 1 });
      await writeTable(ctx, target.store, { rows: [], schema });
      // Settled, not all: a failing worker must not leave the others writing after the suite.
      const settled = await Promise.allSettled(
        Array.from({ length: WORKERS }, (_, i) => runWorker(target.location, i + 1)),
      );
      const failed = settled.find((r) => r.status === "rejected");
      if (failed) throw failed.reason;
      const outputs = settled.map((r) => (r.status === "fulfilled" ? r.value : ""));
      assert.equal(outputs.join("").trim().split("\n").length, WORKERS * COMMITS_PER_WORKER);
    });
    after(async () => {
      ctx.close();
      await target.cleanup();
    });

    it("leaves contiguous versions 0..400, one add per append commit", async () => {
      const commits = (await logFiles(".json")).filter((name) => /^\d{20}\.json$/.test(name));
      assert.equal(commits.length, WORKERS * COMMITS_PER_WORKER + 1);
      assert.deepEqual(
        commits,
        commits.map((_, version) => commitKey(version).slice("_delta_log/".length)),
      );
      for (let version = 1; version < commits.length; version++) {
        const actions = parseActions(new TextDecoder().decode(await target.store.get(commitKey(version))));
        assert.equal(actions.filter((a) => "add" in a).length, 1, `version ${version} holds one add`);
      }
    });

    it("holds every appended row exactly once", async () => {
      const snapshot = await ctx.snapshot(target.store);
      const ids: bigint[] = [];
      for await (const row of scanRows(snapshot, target.store, ctx.parquet)) ids.push(row.id as bigint);
      const expected: bigint[] = [];
      for (let w = 1; w <= WORKERS; w++)
        for (let i = 0; i < COMMITS_PER_WORKER; i++) expected.push(BigInt(w * 1000 + i));
      assert.deepEqual(
        ids.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
        expected.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
      );
    });

    it("wrote the checkpoints every 10 commits and points _last_checkpoint at the newest", async () => {
      assert.equal((await logFiles(".checkpoint.parquet")).length, (WORKERS * COMMITS_PER_WORKER) / 10);
      const last = JSON.parse(
        new TextDecoder().decode(await target.store.get("_delta_log/_last_checkpoint")),
      ) as { version: number };
      assert.equal(last.version, WORKERS * COMMITS_PER_WORKER);
    });
  });
}

describeConcurrentAppends("local", async () => {
  const dir = await mkdtemp(join(tmpdir(), "lake-concurrency-"));
  return {
    location: dir,
    store: new LocalStore(dir),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

describeWithS3("concurrent appends on S3", (bucket) => {
  describeConcurrentAppends("S3", async () => ({
    location: `s3://${bucket.name}/concurrent`,
    store: new S3Store({ client: bucket.client, bucket: bucket.name, prefix: "concurrent" }),
    cleanup: async () => {},
  }));
});
