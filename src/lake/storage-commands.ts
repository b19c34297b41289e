/**
 * `lake storage apply` and `lake storage status`: the project's S3 locations grouped by bucket, the
 * lifecycle rules each bucket gets from lake.json, and each bucket's settings read, planned or set
 * (`buckets/`). Local folders are listed with why bucket settings do not apply to them.
 */
import {
  applyBucket,
  type BucketPlan,
  type BucketSettingName,
  type LifecycleRuleSpec,
  OWNED_RULE_ID_PREFIX,
  planBucket,
  readBucketState,
  SETTING_LABELS,
  type UnsupportedSetting,
} from "../buckets/index.ts";
import { loadProject, type ProjectConfig, ZONES, type Zone } from "../pipeline/index.ts";
import { createS3Client, parseS3Url } from "../storage/index.ts";

/** Why a local folder gets none of the bucket settings. */
export const LOCAL_FOLDER_NOTE =
  "Versioning, lifecycle tiers, public access and encryption are S3 bucket settings: they do not apply to local folders.";

/** A zone, or `system` (the lake's own tables: the run log). */
export type LocationName = Zone | "system";

/** One storage location of the project. */
export interface StorageLocation {
  readonly name: LocationName;
  /** A folder, or `s3://bucket[/prefix]`. */
  readonly location: string;
}

/** A location in a bucket, with the key prefix its lifecycle rules filter on ("" or ending in `/`). */
export interface BucketLocation extends StorageLocation {
  readonly prefix: string;
}

/** One bucket of the project: the locations in it and the lifecycle rules it gets. */
export interface BucketLayout {
  readonly bucket: string;
  readonly locations: readonly BucketLocation[];
  readonly lifecycleRules: readonly LifecycleRuleSpec[];
  /** Things about this layout worth knowing before applying it. */
  readonly notes: readonly string[];
}

/** One setting of one bucket, for people and `--json`. */
export interface SettingReport {
  readonly setting: BucketSettingName;
  readonly label: string;
  /** What the bucket had when it was read, one line per item. */
  readonly current: readonly string[];
  readonly wanted: string;
  /** Status and dry run: what apply would change. Apply: what it changed. */
  readonly changes: readonly string[];
  /** Why this server cannot report or set it; set only then. */
  readonly unsupported?: string;
}

/** One bucket: its locations, and its settings as read, planned or set. */
export interface BucketReport {
  readonly bucket: string;
  readonly locations: readonly BucketLocation[];
  /** Whether the bucket existed before the command. */
  readonly existed: boolean;
  readonly settings: readonly SettingReport[];
  /** Status and dry run: every change apply would make (bucket creation first). Apply: what it did. */
  readonly changes: readonly string[];
  /** The settings this server does not support. */
  readonly unsupported: readonly (UnsupportedSetting & { readonly label: string })[];
  readonly notes: readonly string[];
}

/** What `lake storage status` or `apply` found or did for the whole project. */
export interface StorageReport {
  readonly project: { readonly name: string; readonly root: string };
  readonly mode: "status" | "dry-run" | "apply";
  readonly buckets: readonly BucketReport[];
  /** Locations that are local folders: no bucket settings apply. */
  readonly localLocations: readonly StorageLocation[];
  /** `LOCAL_FOLDER_NOTE` when there are local locations. */
  readonly localNote?: string;
  /** Things about the whole project worth knowing before applying. */
  readonly notes: readonly string[];
}

/**
 * Makes every bucket of the project exist with its settings; with `dryRun`, changes nothing and
 * reports what apply would change. Settings the server does not support are in `unsupported`.
 * @throws ProjectConfigError for a bad lake.json; S3RequestError when a bucket cannot be read or set
 *   (buckets before it stay set: apply is idempotent, run it again).
 */
export async function applyStorage(
  projectDir: string,
  options: { readonly dryRun?: boolean } = {},
): Promise<StorageReport> {
  const project = await loadProject(projectDir);
  if (options.dryRun === true) return planStorage(project, "dry-run");
  return withBuckets(project, "apply", async (client, layout) => {
    const result = await applyBucket(client, layout.bucket, { lifecycleRules: layout.lifecycleRules });
    return bucketReport(layout, result.plan, {
      existed: !result.created,
      changes: [...(result.created ? [`bucket: create s3://${layout.bucket}`] : []), ...result.applied],
      unsupported: result.unsupported,
    });
  });
}

/**
 * What each bucket of the project has set, and what `lake storage apply` would change.
 * @throws ProjectConfigError for a bad lake.json; S3RequestError when a bucket cannot be read.
 */
export async function storageStatus(projectDir: string): Promise<StorageReport> {
  return planStorage(await loadProject(projectDir), "status");
}

/**
 * The project's locations: those on S3 grouped by bucket (in the order of their first location),
 * each bucket with its lifecycle rules, and the local folders.
 */
export function bucketLayouts(project: ProjectConfig): {
  buckets: BucketLayout[];
  local: StorageLocation[];
} {
  const all: StorageLocation[] = [
    ...ZONES.map((zone) => ({ name: zone, location: project.zones[zone] })),
    { name: "system" as const, location: project.systemDirectory },
  ];
  const local = all.filter((l) => !l.location.startsWith("s3://"));
  const byBucket = new Map<string, BucketLocation[]>();
  for (const { name, location } of all) {
    if (!location.startsWith("s3://")) continue;
    const { bucket, prefix } = parseS3Url(location);
    byBucket.set(bucket, [
      ...(byBucket.get(bucket) ?? []),
      { name, location, prefix: prefix === "" ? "" : `${prefix}/` },
    ]);
  }
  const buckets = [...byBucket].map(([bucket, locations]) => layoutOf(project, bucket, locations));
  return { buckets, local };
}

/** The lifecycle rules and notes of one bucket. */
function layoutOf(project: ProjectConfig, bucket: string, locations: BucketLocation[]): BucketLayout {
  const policy = project.buckets;
  const rules: LifecycleRuleSpec[] = [];
  const notes: string[] = [];
  for (const { name, prefix } of locations) {
    if (name === "system") continue;
    const { infrequentAccessAfterDays: ia, glacierAfterDays: glacier } = policy.lifecycle[name];
    const transitions = [
      ...(ia === undefined ? [] : [{ days: ia, storageClass: "STANDARD_IA" as const }]),
      ...(glacier === undefined ? [] : [{ days: glacier, storageClass: "GLACIER" as const }]),
    ];
    if (transitions.length === 0) continue;
    rules.push({ id: `${OWNED_RULE_ID_PREFIX}${name}-tiers`, prefix, transitions });
    for (const inner of locations) {
      if (inner.name !== name && inner.prefix.startsWith(prefix))
        notes.push(
          `${inner.name} (${shown(inner.prefix)}) lies inside ${name} (${shown(prefix)}): ${name}'s tiers apply to it too`,
        );
    }
  }
  // One cleanup rule per outermost prefix: a rule on `gold/` already covers `gold/_system/`.
  locations.forEach(({ name, prefix }, index) => {
    const covered = locations.some(
      (other, otherIndex) =>
        prefix.startsWith(other.prefix) && (other.prefix !== prefix || otherIndex < index),
    );
    if (covered) return;
    rules.push({
      id: `${OWNED_RULE_ID_PREFIX}${name}-cleanup`,
      prefix,
      noncurrentVersionExpirationDays: policy.noncurrentVersionExpirationDays,
      abortIncompleteUploadsAfterDays: policy.abortIncompleteUploadsAfterDays,
    });
  });
  return { bucket, locations, lifecycleRules: rules, notes };
}

/** Status or dry run: each bucket's plan, nothing changed. */
function planStorage(project: ProjectConfig, mode: "status" | "dry-run"): Promise<StorageReport> {
  return withBuckets(project, mode, async (client, layout) => {
    const state = await readBucketState(client, layout.bucket);
    const plan = planBucket(state, { lifecycleRules: layout.lifecycleRules });
    return bucketReport(layout, plan, {
      existed: state.exists,
      changes: [
        ...(state.exists ? [] : [`bucket: create s3://${layout.bucket}`]),
        ...plan.settings.flatMap((s) => s.changes),
      ],
      unsupported: plan.settings.flatMap((s) =>
        s.unsupported === undefined ? [] : [{ setting: s.setting, reason: s.unsupported }],
      ),
    });
  });
}

/** Runs `each` for every bucket of the project with one S3 client (none when all is local). */
async function withBuckets(
  project: ProjectConfig,
  mode: StorageReport["mode"],
  each: (client: ReturnType<typeof createS3Client>, layout: BucketLayout) => Promise<BucketReport>,
): Promise<StorageReport> {
  const { buckets, local } = bucketLayouts(project);
  const reports: BucketReport[] = [];
  if (buckets.length > 0) {
    const client = createS3Client(project.s3);
    try {
      for (const layout of buckets) reports.push(await each(client, layout));
    } finally {
      client.destroy();
    }
  }
  const endpoint = project.s3.endpoint;
  const plainHttp = buckets.length > 0 && endpoint?.startsWith("http://") === true;
  return {
    project: { name: project.name, root: project.root },
    mode,
    buckets: reports,
    localLocations: local,
    ...(local.length === 0 ? {} : { localNote: LOCAL_FOLDER_NOTE }),
    notes: plainHttp
      ? [
          `storage.s3.endpoint ${endpoint} is plain HTTP: a server that enforces the TLS-only policy refuses the lake's own requests once it is set; use https://`,
        ]
      : [],
  };
}

function bucketReport(
  layout: BucketLayout,
  plan: BucketPlan,
  outcome: {
    readonly existed: boolean;
    readonly changes: readonly string[];
    readonly unsupported: readonly UnsupportedSetting[];
  },
): BucketReport {
  return {
    bucket: layout.bucket,
    locations: layout.locations,
    existed: outcome.existed,
    settings: plan.settings.map(({ setting, current, wanted, changes, unsupported }) => {
      // Apply learns from the server's answer what it does not support, after the plan was made.
      const refused = outcome.unsupported.find((u) => u.setting === setting)?.reason ?? unsupported;
      return {
        setting,
        label: SETTING_LABELS[setting],
        current: outcome.existed ? current : ["(no bucket yet)"],
        wanted,
        changes: refused === undefined ? changes : [],
        ...(refused === undefined ? {} : { unsupported: refused }),
      };
    }),
    changes: outcome.changes,
    unsupported: outcome.unsupported.map((u) => ({ ...u, label: SETTING_LABELS[u.setting] })),
    notes: layout.notes,
  };
}

function shown(prefix: string): string {
  return prefix === "" ? "the whole bucket" : prefix;
}
