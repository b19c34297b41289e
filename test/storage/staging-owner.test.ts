import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { LocalStore, ownedName, ownerOf, removeLeftBehind } from "../../src/storage/index.ts";
import { exitedPid, liveProcess } from "../helpers/processes.ts";

describe("staging owners", () => {
  let dir: string;
  let live: Awaited<ReturnType<typeof liveProcess>>;
  let dead: number;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "lake-staging-owner-"));
    live = await liveProcess();
    dead = await exitedPid();
  });
  after(async () => {
    await live.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("a staging name says which process of which host made it", () => {
    assert.deepEqual(ownerOf(ownedName("1feb3325-e40f")), { pid: process.pid, host: hostname() });
    assert.deepEqual(ownerOf("42@build.example.com.abc_1.partial", ".partial"), {
      pid: 42,
      host: "build.example.com",
    });
    assert.equal(ownerOf("0d1c5f7e-1b2a-4c3d-9e8f-0a1b2c3d4e5f"), undefined);
    assert.equal(ownerOf("cache"), undefined);
  });

  it("removes what gone processes left and keeps a live process's, another host's recent entries and foreign names", async () => {
    const folder = join(dir, "mixed");
    await mkdir(folder);
    const twoDaysAgo = (Date.now() - 2 * 24 * 3600_000) / 1000;
    const entries = {
      dead: `${dead}@${hostname()}.a1`,
      live: `${live.pid}@${hostname()}.b2`,
      mine: ownedName("c3"),
      otherHostRecent: "77@another-host.d4",
      otherHostOld: "78@another-host.e5",
      foreign: "notes.txt",
    };
    for (const name of Object.values(entries)) await writeFile(join(folder, name), "x");
    await mkdir(join(folder, `${dead}@${hostname()}.f6`));
    await writeFile(join(folder, `${dead}@${hostname()}.f6`, "0.csv"), "x");
    await utimes(join(folder, entries.otherHostOld), twoDaysAgo, twoDaysAgo);

    const removed = await removeLeftBehind(folder);

    assert.deepEqual(
      removed.map((p) => p.slice(folder.length + 1)).sort(),
      [entries.dead, `${dead}@${hostname()}.f6`, entries.otherHostOld].sort(),
    );
    assert.deepEqual(
      (await readdir(folder)).sort(),
      [entries.live, entries.mine, entries.otherHostRecent, entries.foreign].sort(),
    );
  });

  it("names from before staging named its owner are removed once a day old, and only those that match", async () => {
    const folder = join(dir, "unowned");
    await mkdir(folder);
    const twoDaysAgo = (Date.now() - 2 * 24 * 3600_000) / 1000;
    for (const name of ["ingest-AbC123", "ingest-XyZ789", "notes-AbC123"]) await mkdir(join(folder, name));
    for (const name of ["ingest-AbC123", "notes-AbC123"])
      await utimes(join(folder, name), twoDaysAgo, twoDaysAgo);

    await removeLeftBehind(folder, { unowned: /^ingest-[A-Za-z0-9]{6}$/ });

    assert.deepEqual((await readdir(folder)).sort(), ["ingest-XyZ789", "notes-AbC123"]);
  });

  it("a local store removes the temporary files of killed writers from its .lake-tmp, not a live writer's", async () => {
    const root = join(dir, "table");
    const store = new LocalStore(root);
    await store.put("part-0.parquet", new Uint8Array([1]));
    const temp = join(root, ".lake-tmp");
    await writeFile(join(temp, `${dead}@${hostname()}.0d1c5f7e-1b2a-4c3d-9e8f-0a1b2c3d4e5f`), "partial");
    await writeFile(join(temp, `${live.pid}@${hostname()}.1d1c5f7e-1b2a-4c3d-9e8f-0a1b2c3d4e5f`), "writing");

    assert.equal(await store.removeLeftBehind(), 1);
    assert.deepEqual(await readdir(temp), [`${live.pid}@${hostname()}.1d1c5f7e-1b2a-4c3d-9e8f-0a1b2c3d4e5f`]);
    assert.equal(await new LocalStore(join(dir, "never-written")).removeLeftBehind(), 0);
  });
});
