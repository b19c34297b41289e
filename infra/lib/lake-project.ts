/**
 * The lake project the stack deploys: the project folder's lake.json with every zone in its own
 * bucket, checked by the same parser as `lake run`, and the buckets with their lifecycle rules as
 * `lake storage apply` would set them (`bucketLayouts`, one definition for both). No CDK here: the
 * S3 test of the task role's policy uses it too.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type BucketLayout, bucketLayouts, parseProject, ZONES, type Zone } from "../../src/lake/index.ts";

/** Where the project lives in the task's image. */
export const PROJECT_DIR_IN_IMAGE = "/project";

/** The project as the task runs it. */
export interface DeployedProject {
  readonly name: string;
  /** Every bucket's name starts with this. */
  readonly bucketPrefix: string;
  /** lake.json as the image gets it: the project's own, with the zones and the region replaced. */
  readonly lakeJson: string;
  /** Each zone's bucket. */
  readonly zoneBuckets: Readonly<Record<Zone, string>>;
  /** Every bucket with its locations and lifecycle rules. */
  readonly buckets: readonly BucketLayout[];
}

/**
 * Reads `<projectDir>/lake.json` and puts each zone in the bucket `<bucketPrefix>-<zone>`; the run
 * log stays in gold's bucket under `_system/`. The result is checked as `lake run` checks it.
 * @throws ProjectConfigError naming the setting when lake.json is wrong.
 */
export function deployedProject(projectDir: string, bucketPrefix: string, region: string): DeployedProject {
  const path = join(projectDir, "lake.json");
  const config = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  const zoneBuckets = Object.fromEntries(ZONES.map((zone) => [zone, `${bucketPrefix}-${zone}`])) as Record<
    Zone,
    string
  >;
  const { systemDirectory: _local, ...rest } = config;
  const deployed = {
    ...rest,
    zones: Object.fromEntries(ZONES.map((zone) => [zone, `s3://${zoneBuckets[zone]}`])),
    storage: { ...(rest.storage as Record<string, unknown> | undefined), s3: { region } },
  };
  const project = parseProject(deployed, join(PROJECT_DIR_IN_IMAGE, "lake.json"));
  return {
    name: project.name,
    bucketPrefix,
    lakeJson: JSON.stringify(deployed),
    zoneBuckets,
    buckets: bucketLayouts(project).buckets,
  };
}
