import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { createInterface } from "node:readline";
import { describe, it } from "node:test";
import {
  InvalidKeyError,
  LocalStore,
  ObjectExistsError,
  ObjectNotFoundError,
} from "../../src/storage/index.ts";
import { describeObjectStoreContract } from "./object-store-contract.ts";
import { bytes, chunked, listAll, patternBytes } from "./object-store-helpers.ts";

async function tempFolder(): Promise<{ path: string; cleanup(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), "lake-local-store-"));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

/** Runs `body` with a fresh temporary folder, removed afterwards. */
async function withFolder(body: (folder: string) => Promise<void>): Promise<void> {
  const folder = await tempFolder();
  try {
    await body(folder.path);
  } finally {
    await folder.cleanup();
  }
}

describeObjectStoreContract("LocalStore", async () => {
  const folder = await tempFolder();
  // A root below the temp folder, so the store also has to create its own root.
  return { store: new LocalStore(join(folder.path, "lake")), cleanup: folder.cleanup };
});

describe("LocalStore", () => {
  it("names location and object paths after the absolute root, even when given a relative one", async () => {
    await withFolder(async (folder) => {
      const store = new LocalStore(relative(process.cwd(), folder));
      assert.equal(store.location, `file://${folder}`);
      assert.equal(
        store.localPath("bronze/orders/part 0.parquet"),
        join(folder, "bronze", "orders", "part 0.parquet"),
      );
      await store.put("bronze/orders/part 0.parquet", bytes("p"));
      assert.equal(await readFile(join(folder, "bronze/orders/part 0.parquet"), "utf8"), "p");
    });
  });

  it("refuses keys that reach outside the root through a symbolic link, touching nothing there", async () => {
    await withFolder(async (folder) => {
      const outside = join(folder, "outside");
      await mkdir(outside);
      await writeFile(join(outside, "secret"), "secret");
      await mkdir(join(folder, "root"));
      await symlink(outside, join(folder, "root", "escape"), "dir");
      await symlink(join(outside, "secret"), join(folder, "root", "leak"), "file");
      const store = new LocalStore(join(folder, "root"));

      await assert.rejects(store.get("escape/secret"), {
        name: "InvalidKeyError",
        message:
          'Invalid object key "escape/secret": it resolves outside the store root through a symbolic link',
      });
      await assert.rejects(store.get("leak"), InvalidKeyError);
      await assert.rejects(store.head("escape/secret"), InvalidKeyError);
      await assert.rejects(store.getRange("escape/secret", 0, 3), InvalidKeyError);
      await assert.rejects(store.put("escape/new", bytes("x")), InvalidKeyError);
      await assert.rejects(store.put("escape/deep/er/new", bytes("x")), InvalidKeyError);
      await assert.rejects(store.delete("escape/secret"), InvalidKeyError);
      await assert.rejects(listAll(store, "escape/"), InvalidKeyError);
      assert.deepEqual(await listAll(store, ""), [], "list follows no symbolic link");
      assert.deepEqual((await readdir(outside)).sort(), ["secret"]);
    });
  });

  it("works in a root that is itself reached through a symbolic link", async () => {
    await withFolder(async (folder) => {
      await mkdir(join(folder, "real"));
      await symlink(join(folder, "real"), join(folder, "alias"), "dir");
      const store = new LocalStore(join(folder, "alias"));
      await store.put("a/b.json", bytes("b"));
      assert.deepEqual(await store.get("a/b.json"), bytes("b"));
      assert.deepEqual(
        (await listAll(store, "a/")).map((meta) => meta.key),
        ["a/b.json"],
      );
      await store.delete("a/b.json");
      assert.ok(existsSync(join(folder, "real")));
    });
  });

  it("never lists its temporary folder, reserves its name, and leaves no temporary file behind", async () => {
    await withFolder(async (folder) => {
      const store = new LocalStore(folder);
      await store.put("kept", bytes("k"));
      await store.putStream("streamed", chunked(bytes("s")));
      await assert.rejects(store.put("kept", bytes("x"), { ifNoneMatch: true }), ObjectExistsError);
      async function* failing(): AsyncGenerator<Uint8Array> {
        yield bytes("half");
        throw new Error("interrupted");
      }
      await assert.rejects(store.putStream("failed", failing()), { message: "interrupted" });
      assert.deepEqual(await readdir(join(folder, ".lake-tmp")), []);
      // A crashed writer's leftover must stay invisible too.
      await writeFile(join(folder, ".lake-tmp", "leftover"), "partial");
      assert.deepEqual(
        (await listAll(store, "")).map((meta) => meta.key),
        ["kept", "streamed"],
      );
      assert.deepEqual(await listAll(store, ".lake"), []);
      await assert.rejects(store.get(".lake-tmp/leftover"), {
        name: "InvalidKeyError",
        message:
          'Invalid object key ".lake-tmp/leftover": the folder .lake-tmp is reserved for files being written',
      });
      await assert.rejects(store.put(".lake-tmp/x", bytes("x")), InvalidKeyError);
    });
  });

  it("removes the folders a delete empties, but never the root", async () => {
    await withFolder(async (folder) => {
      const store = new LocalStore(join(folder, "root"));
      await store.put("t/p=1/q=2/part.parquet", bytes("x"));
      await store.put("t/keep", bytes("x"));
      await store.delete("t/p=1/q=2/part.parquet");
      assert.deepEqual(await readdir(join(folder, "root", "t")), ["keep"]);
      await store.delete("t/keep");
      assert.deepEqual(await readdir(join(folder, "root")), [".lake-tmp"]);
    });
  });

  it("gives an overwrite a new etag even with the same size within the same millisecond", async () => {
    await withFolder(async (folder) => {
      const store = new LocalStore(folder);
      const etags = new Set<string>();
      for (let i = 0; i < 5; i++) etags.add((await store.put("same", bytes(`v${i}`))).etag);
      assert.equal(etags.size, 5);
    });
  });

  it("never lets a reader observe a partially written object", async () => {
    await withFolder(async (folder) => {
      const store = new LocalStore(folder);
      const before = patternBytes(1024 * 1024, 1);
      const after = patternBytes(24 * 1024 * 1024, 2);
      await store.put("overwritten", before);
      let writing = true;
      const writes = Promise.all([
        store.putStream("overwritten", chunked(after, 256 * 1024)),
        store.putStream("created", chunked(after, 256 * 1024)),
      ]).finally(() => {
        writing = false;
      });
      const seen = { before: 0, after: 0, missing: 0 };
      while (writing) {
        const overwritten = Buffer.from(await store.get("overwritten"));
        if (overwritten.equals(before)) seen.before++;
        else if (overwritten.equals(after)) seen.after++;
        else assert.fail(`read ${overwritten.byteLength} bytes, neither the old nor the new object`);
        const created = await store.get("created").then(Buffer.from, (error: unknown) => {
          if (error instanceof ObjectNotFoundError) return undefined;
          throw error;
        });
        if (created === undefined) seen.missing++;
        else assert.ok(created.equals(after), `read ${created.byteLength} bytes of a new object`);
      }
      await writes;
      assert.ok(
        seen.before > 0 && seen.missing > 0,
        `reads did not overlap the writes: ${JSON.stringify(seen)}`,
      );
    });
  });

  it("lets exactly one of 8 processes win each put-if-absent race", { timeout: 60_000 }, async () => {
    await withFolder(async (folder) => {
      const fixture = join(import.meta.dirname, "fixtures", "race-put-if-absent.ts");
      const keys = Array.from({ length: 12 }, (_, i) => `t/_delta_log/${String(i).padStart(20, "0")}.json`);
      const children = Array.from({ length: 8 }, (_, writer) =>
        spawn(process.execPath, ["--import", "tsx", fixture, folder, String(writer), ...keys], {
          stdio: ["pipe", "pipe", "inherit"],
        }),
      );
      const exits = children.map((child) => once(child, "exit"));
      const lines = children.map((child) => createInterface({ input: child.stdout })[Symbol.asyncIterator]());
      let won: string[][];
      try {
        for (const line of lines) assert.equal((await line.next()).value, "ready");
        for (const child of children) child.stdin.end("go\n");
        won = await Promise.all(
          lines.map(async (line) => JSON.parse(String((await line.next()).value)) as string[]),
        );
        assert.deepEqual(await Promise.all(exits), Array(8).fill([0, null]));
      } finally {
        // If one contender failed, the others would wait for "go" forever.
        for (const child of children) if (child.exitCode === null) child.kill();
      }

      const store = new LocalStore(folder);
      for (const key of keys) {
        const winners = won.flatMap((keysWon, writer) => (keysWon.includes(key) ? [writer] : []));
        assert.equal(winners.length, 1, `${key} won by ${JSON.stringify(winners)}`);
        assert.deepEqual(await store.get(key), bytes(String(winners[0])));
      }
    });
  });
});
