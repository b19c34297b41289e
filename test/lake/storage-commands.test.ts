import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bucketLayouts } from "../../src/lake/index.ts";
import { parseProject } from "../../src/pipeline/index.ts";

// Which bucket gets which lifecycle rules, from lake.json alone (no server).

const CLEANUP = { noncurrentVersionExpirationDays: 30, abortIncompleteUploadsAfterDays: 7 };
const DEFAULT_TIERS = [
  { days: 30, storageClass: "STANDARD_IA" },
  { days: 90, storageClass: "GLACIER" },
];

describe("bucketLayouts", () => {
  it("lists every location of a local project as a local folder, with no bucket", () => {
    const layouts = bucketLayouts(parseProject({ name: "shop" }, "/p/lake.json"));
    assert.deepEqual(layouts, {
      buckets: [],
      local: [
        { name: "landing", location: "/p/lake/landing" },
        { name: "bronze", location: "/p/lake/bronze" },
        { name: "silver", location: "/p/lake/silver" },
        { name: "gold", location: "/p/lake/gold" },
        { name: "system", location: "/p/lake/_system" },
      ],
    });
  });

  it("gives zones sharing a bucket one rule set per prefix, and the run log under gold none of its own", () => {
    const project = parseProject(
      {
        zones: {
          landing: "s3://acme-lake/landing",
          bronze: "s3://acme-lake/bronze",
          silver: "lake/silver",
          gold: "s3://acme-gold",
        },
      },
      "/p/lake.json",
    );
    assert.deepEqual(bucketLayouts(project), {
      buckets: [
        {
          bucket: "acme-lake",
          locations: [
            { name: "landing", location: "s3://acme-lake/landing", prefix: "landing/" },
            { name: "bronze", location: "s3://acme-lake/bronze", prefix: "bronze/" },
          ],
          lifecycleRules: [
            { id: "medallion-lake-landing-tiers", prefix: "landing/", transitions: DEFAULT_TIERS },
            { id: "medallion-lake-bronze-tiers", prefix: "bronze/", transitions: DEFAULT_TIERS },
            { id: "medallion-lake-landing-cleanup", prefix: "landing/", ...CLEANUP },
            { id: "medallion-lake-bronze-cleanup", prefix: "bronze/", ...CLEANUP },
          ],
          notes: [],
        },
        {
          bucket: "acme-gold",
          locations: [
            { name: "gold", location: "s3://acme-gold", prefix: "" },
            { name: "system", location: "s3://acme-gold/_system", prefix: "_system/" },
          ],
          lifecycleRules: [{ id: "medallion-lake-gold-cleanup", prefix: "", ...CLEANUP }],
          notes: [],
        },
      ],
      local: [{ name: "silver", location: "/p/lake/silver" }],
    });
  });

  it("takes the tiers and days from storage in lake.json, and notes a location inside a tiered one", () => {
    const project = parseProject(
      {
        zones: {
          landing: "s3://acme/landing",
          bronze: "s3://acme/bronze",
          silver: "s3://acme/silver",
          gold: "s3://acme/gold",
        },
        storage: {
          lifecycle: {
            landing: { glacierAfterDays: null },
            bronze: { infrequentAccessAfterDays: null },
            gold: { glacierAfterDays: 365 },
          },
          noncurrentVersionExpirationDays: 10,
          abortIncompleteUploadsAfterDays: 2,
        },
      },
      "/p/lake.json",
    );
    const [acme] = bucketLayouts(project).buckets;
    assert.deepEqual(acme?.lifecycleRules, [
      { id: "medallion-lake-landing-tiers", prefix: "landing/", transitions: [DEFAULT_TIERS[0]] },
      { id: "medallion-lake-bronze-tiers", prefix: "bronze/", transitions: [DEFAULT_TIERS[1]] },
      {
        id: "medallion-lake-gold-tiers",
        prefix: "gold/",
        transitions: [{ days: 365, storageClass: "GLACIER" }],
      },
      {
        id: "medallion-lake-landing-cleanup",
        prefix: "landing/",
        noncurrentVersionExpirationDays: 10,
        abortIncompleteUploadsAfterDays: 2,
      },
      {
        id: "medallion-lake-bronze-cleanup",
        prefix: "bronze/",
        noncurrentVersionExpirationDays: 10,
        abortIncompleteUploadsAfterDays: 2,
      },
      {
        id: "medallion-lake-silver-cleanup",
        prefix: "silver/",
        noncurrentVersionExpirationDays: 10,
        abortIncompleteUploadsAfterDays: 2,
      },
      {
        id: "medallion-lake-gold-cleanup",
        prefix: "gold/",
        noncurrentVersionExpirationDays: 10,
        abortIncompleteUploadsAfterDays: 2,
      },
    ]);
    // Zones never overlap (lake.json refuses it); the run log beside gold is inside gold's prefix.
    assert.deepEqual(acme?.notes, [
      "system (gold/_system/) lies inside gold (gold/): gold's tiers apply to it too",
    ]);
  });
});
