/**
 * The pipeline on S3 next to the same pipeline on local folders: `npm run bench:s3 [-- --rows N]`.
 *
 * Generates the retail dataset (cached in `.bench/s3/`, 10 sales files), then runs landing → gold
 * for files 1-9 and an incremental run for file 10, once in a project on local folders and once in
 * a project whose four zones are buckets on an S3 server: the one in `S3_ENDPOINT` (with the AWS_*
 * credentials), else the Ceph test server this script starts and stops (the server keeps objects in
 * RAM: keep `--rows` to a few million). Prints seconds per step and the server's setup time.
 * A benchmark, not a test: nothing is asserted.
 */
import { existsSync } from "node:fs";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { cpus, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { type S3TestServer, startS3TestServer } from "../scripts/s3-test-server.ts";
import { generateDataset } from "../src/datagen/index.ts";
import { ingestFiles, initProject, runProject } from "../src/lake/index.ts";
import { createS3Client } from "../src/storage/index.ts";

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const { values } = parseArgs({ options: { rows: { type: "string", default: "1000000" } } });
const rows = Number(values.rows);
const ZONES = ["landing", "bronze", "silver", "gold"] as const;

const time = async <T>(label: string, work: () => Promise<T>): Promise<number> => {
  const start = performance.now();
  await work();
  const seconds = (performance.now() - start) / 1000;
  console.log(`  ${label.padEnd(40)} ${seconds.toFixed(2).padStart(8)} s`);
  return seconds;
};

console.log(
  `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
);
let server: S3TestServer | undefined;
if (!process.env.S3_ENDPOINT) {
  const started = performance.now();
  server = startS3TestServer();
  Object.assign(process.env, server.env);
  console.log(
    `S3 test server setup (install if missing + fresh cluster): ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}
try {
  const data = join(ROOT, ".bench", "s3", `data-${rows}`);
  if (!existsSync(join(data, "manifest.json"))) {
    await rm(data, { recursive: true, force: true });
    await generateDataset({ out: data, rows, files: 10 });
  }
  const csvs = (await readdir(data)).filter((f) => f.endsWith(".csv")).sort();
  const last = csvs.filter((f) => f.startsWith("sales_transactions")).at(-1) ?? "";
  const first = csvs.filter((f) => f !== last).map((f) => join(data, f));
  console.log(`Workload: ${rows.toLocaleString("en-US")} sales rows in 10 files\n`);

  const client = createS3Client({ endpoint: process.env.S3_ENDPOINT });
  const prefix = `bench-${Date.now()}`;
  for (const zone of ZONES) await client.send(new CreateBucketCommand({ Bucket: `${prefix}-${zone}` }));
  client.destroy();

  for (const where of ["local folders", "S3 (a bucket per zone)"]) {
    const dir = join(ROOT, ".bench", "s3", where.startsWith("S3") ? "project-s3" : "project-local");
    await rm(dir, { recursive: true, force: true });
    await initProject(dir);
    if (where.startsWith("S3")) {
      const json = JSON.parse(await readFile(join(dir, "lake.json"), "utf8")) as Record<string, unknown>;
      json.zones = Object.fromEntries(ZONES.map((zone) => [zone, `s3://${prefix}-${zone}`]));
      json.storage = { s3: { endpoint: process.env.S3_ENDPOINT, forcePathStyle: true } };
      await writeFile(join(dir, "lake.json"), JSON.stringify(json, null, 2));
    }
    console.log(`${where}:`);
    const land = await time("land 9 files", () => ingestFiles(dir, first));
    const full = await time("full run, bronze → gold", () => runProject(dir));
    await time("land the last file", () => ingestFiles(dir, [join(data, last)]));
    await time("incremental run", () => runProject(dir));
    console.log(`  ${"landing + full run".padEnd(40)} ${(land + full).toFixed(2).padStart(8)} s\n`);
  }
} finally {
  server?.stop();
}
