import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cp, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { leftBehindStaging } from "../../scripts/crash/left-behind.ts";
import { compareTableStates, readTableState, type TableState } from "../../scripts/crash/table-state.ts";
import { type DatasetManifest, generateDataset } from "../../src/datagen/index.ts";
import { DeltaContext } from "../../src/engine/index.ts";
import { landFiles, listRuns, loadProject, type ProjectConfig } from "../../src/pipeline/index.ts";
import { lake } from "../helpers/cli.ts";
import { retailProject } from "../helpers/retail-project.ts";
import { mountTmpfs, resizeTmpfs, tmpfsUnavailable, unmount } from "../helpers/tmpfs.ts";

/** Room enough for everything once the test frees space. */
const FREED = 256 * 1024 * 1024;

/** The folders put on a small disk, by the lake.json setting that names them. */
const FULL_FOLDERS: ReadonlyArray<{ setting: string; folder: (p: ProjectConfig) => string }> = [
  { setting: "engine.tempDirectory", folder: (p) => p.engine.tempDirectory },
  { setting: "zones.bronze", folder: (p) => p.zones.bronze },
  { setting: "zones.silver", folder: (p) => p.zones.silver },
  { setting: "zones.gold", folder: (p) => p.zones.gold },
];

describe("a full disk", () => {
  let dir: string;
  let unavailable: string | undefined;
  let drops: string;
  let manifest: DatasetManifest;
  let landed: ProjectConfig;
  let reference: TableState;
  /** What the clean run left in each folder, in bytes as the disk counts them. */
  const used = new Map<string, number>();
  const mounted: string[] = [];

  before(async () => {
    unavailable = await tmpfsUnavailable();
    if (unavailable !== undefined) return;
    dir = await mkdtemp(join(tmpdir(), "lake-full-disk-"));
    drops = join(dir, "drops");
    manifest = await generateDataset({
      out: drops,
      rows: 20_000,
      files: 2,
      customers: 2_000,
      products: 300,
      locations: 40,
      workers: 0,
    });
    landed = await retailProject(dir, "landed");
    await landFiles(landed, dropFiles());
    const clean = join(dir, "clean");
    await cp(landed.root, clean, { recursive: true });
    assert.equal((await lake("run", "--project", clean)).code, 0);
    reference = await readTableState(clean);
    const cleanProject = await loadProject(clean);
    for (const { setting, folder } of FULL_FOLDERS) used.set(setting, await diskUsage(folder(cleanProject)));
    used.set("zones.landing", await diskUsage(cleanProject.zones.landing));
  });
  after(async () => {
    for (const folder of mounted) await unmount(folder).catch(() => undefined);
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  for (const { setting, folder } of FULL_FOLDERS) {
    it(`${setting} on a full disk: lake run fails naming the path and the setting, no table changes half, and a re-run completes once space is freed`, {
      timeout: 120_000,
    }, async (t) => {
      if (unavailable !== undefined) return t.skip(unavailable);
      const root = join(dir, setting);
      await cp(landed.root, root, { recursive: true });
      const project = await loadProject(root);
      const full = folder(project);
      // Half of what a clean run needs there: the disk fills in the middle of the run. The staging
      // folder at its fullest holds about the landed CSV files once more.
      const size = (setting === "engine.tempDirectory" ? used.get("zones.landing") : used.get(setting)) ?? 0;
      await mountTmpfs(full, size / 2);
      mounted.push(full);

      const failed = await lake("run", "--project", root);

      assert.equal(failed.code, 1, failed.stderr);
      const pattern = new RegExp(
        `^lake: Cannot write ${regexQuote(full)}/\\S+: no space left on the device \\(ENOSPC\\) \\(${regexQuote(setting)} in lake.json is ${regexQuote(full)}\\), during (bronze|silver|gold)\\.\\w+: free space there or point ${regexQuote(setting)} at a larger disk, then run lake run again: what was committed is unchanged and the run continues from there\\n$`,
      );
      assert.match(failed.stderr, pattern);
      // Every table is readable, and each holds what it holds after a clean run or does not exist yet:
      // no commit happened in part.
      const state = await readTableState(root);
      const sameTables = Object.fromEntries(
        Object.keys(state).map((table) => [table, reference[table] ?? []]),
      );
      assert.deepEqual(compareTableStates(sameTables, state), []);
      const [run] = await DeltaContext.with((ctx) => listRuns(ctx, project));
      assert.equal(run?.status, "failed");
      assert.equal(`lake: ${run?.error}\n`, failed.stderr);

      await resizeTmpfs(full, FREED);
      const rerun = await lake("run", "--project", root);
      assert.equal(rerun.code, 0, rerun.stderr);
      assert.deepEqual(compareTableStates(reference, await readTableState(root)), []);
      assert.deepEqual(await leftBehindStaging(root), []);
    });
  }

  it("zones.landing on a full disk: lake ingest fails naming the file and the setting, keeps only whole files, and completes once space is freed", {
    timeout: 60_000,
  }, async (t) => {
    if (unavailable !== undefined) return t.skip(unavailable);
    const project = await retailProject(dir, "ingest");
    await mountTmpfs(project.zones.landing, (used.get("zones.landing") ?? 0) / 2);
    mounted.push(project.zones.landing);

    const failed = await lake("ingest", ...dropFiles(), "--project", project.root);

    assert.equal(failed.code, 1, failed.stderr);
    const landing = regexQuote(project.zones.landing);
    assert.match(
      failed.stderr,
      new RegExp(
        `^lake: Cannot write ${landing}/sales/sales_transactions_\\d+\\.csv: no space left on the device \\(ENOSPC\\) \\(zones.landing in lake.json is ${landing}\\), during lake ingest: free space there or point zones.landing at a larger disk, then run lake ingest again: the files already landed are kept\\n$`,
      ),
    );
    const partly = await landedFiles(project);
    assert.ok(
      partly.length > 0 && partly.length < manifest.files.length,
      `landed before the disk filled: ${partly.length}`,
    );

    await resizeTmpfs(project.zones.landing, FREED);
    const rerun = await lake("ingest", ...dropFiles(), "--project", project.root);
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.equal((await landedFiles(project)).length, manifest.files.length);
  });

  /** The files in the landing zone, each checked to be whole (the same bytes as its drop). */
  async function landedFiles(project: ProjectConfig): Promise<string[]> {
    const names: string[] = [];
    for (const source of await readdir(project.zones.landing)) {
      if (source.startsWith(".")) continue;
      for (const name of await readdir(join(project.zones.landing, source))) {
        assert.deepEqual(
          await readFile(join(project.zones.landing, source, name)),
          await readFile(join(drops, name)),
          `landing/${source}/${name} is whole`,
        );
        names.push(name);
      }
    }
    return names;
  }

  function dropFiles(): string[] {
    return manifest.files.map((f) => join(drops, f.name));
  }
});

/** What a folder's files take on the disk, in bytes (`du`). */
async function diskUsage(folder: string): Promise<number> {
  const { stdout } = await promisify(execFile)("du", ["-sk", folder]);
  return Number(stdout.split("\t")[0]) * 1024;
}

function regexQuote(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
