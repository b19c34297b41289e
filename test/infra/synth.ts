/**
 * The CDK app synthesized the way `cdk synth` does it (cdk.json's context, cdk-nag as a validation
 * plugin), into a temporary folder. Synthesis takes seconds, so each test file synthesizes once.
 */
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Template } from "aws-cdk-lib/assertions";
import { lakeApp } from "../../infra/lib/lake-app.ts";
import type { LakeStack } from "../../infra/lib/lake-stack.ts";

export const REPO_ROOT = resolve(import.meta.dirname, "../..");

/** cdk.json's context: what `cdk synth` gives the app. */
export function cdkJsonContext(): Record<string, unknown> {
  return (
    JSON.parse(readFileSync(join(REPO_ROOT, "cdk.json"), "utf8")) as { context: Record<string, unknown> }
  ).context;
}

export interface Synthesized {
  readonly stack: LakeStack;
  readonly template: Template;
  /** The folder the app was synthesized into; `dispose` removes it. */
  readonly outdir: string;
  dispose(): Promise<void>;
}

/** Synthesizes the app with cdk.json's context and `overrides`; throws on an unacknowledged finding. */
export async function synthesize(overrides: Record<string, unknown> = {}): Promise<Synthesized> {
  const outdir = await mkdtemp(join(tmpdir(), "lake-cdk-"));
  const { app, stack } = lakeApp(REPO_ROOT, { outdir, context: { ...cdkJsonContext(), ...overrides } });
  app.synth();
  return {
    stack,
    template: Template.fromStack(stack),
    outdir,
    dispose: () => rm(outdir, { recursive: true, force: true }),
  };
}
