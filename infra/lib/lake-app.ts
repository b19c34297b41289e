/**
 * The CDK app: the stack from the settings in cdk.json's context (or `-c lake:…=…`), with cdk-nag's
 * AwsSolutions checks as a validation plugin, so `cdk synth` fails on any finding not acknowledged
 * (with its reason) in `nag-acknowledgements.ts`.
 */
import { isAbsolute, relative, resolve } from "node:path";
import { App, type AppProps, Validations } from "aws-cdk-lib";
import * as logs from "aws-cdk-lib/aws-logs";
import { AwsSolutionsChecks } from "cdk-nag";
import { deployedProject } from "./lake-project.ts";
import { LakeStack } from "./lake-stack.ts";
import { acknowledgeFindings } from "./nag-acknowledgements.ts";

/** A context setting of the app has a value it cannot use. */
export class StackSettingError extends Error {
  constructor(
    readonly setting: string,
    readonly problem: string,
  ) {
    super(`cdk.json context "${setting}" ${problem} (set it in cdk.json or with -c ${setting}=…)`);
    this.name = "StackSettingError";
  }
}

/**
 * The app and its one stack. `repoRoot` is the Docker build context; the project folder (setting
 * `lake:project`) must lie inside it.
 * @throws StackSettingError naming the setting; ProjectConfigError when the project's lake.json is wrong.
 */
export function lakeApp(repoRoot: string, props: AppProps = {}): { app: App; stack: LakeStack } {
  const app = new App(props);
  const setting = new Settings(app);
  const account = setting.text("lake:account");
  const region = setting.text("lake:region");
  const projectPath = setting.text("lake:project");
  const inContext = relative(repoRoot, resolve(repoRoot, projectPath));
  if (inContext.startsWith("..") || isAbsolute(inContext))
    throw new StackSettingError(
      "lake:project",
      `is ${projectPath}, outside ${repoRoot} (the image's build context)`,
    );
  const prefix = setting.optionalText("lake:bucketPrefix") ?? `medallion-lake-${account}-${region}`;
  if (!/^[a-z0-9][a-z0-9-]{1,40}$/.test(prefix))
    throw new StackSettingError(
      "lake:bucketPrefix",
      `is "${prefix}": use up to 41 lowercase letters, digits and -`,
    );
  const project = deployedProject(resolve(repoRoot, projectPath), prefix, region);
  const dashboard = setting.optionalText("lake:dashboardInstanceType");
  const alarmEmail = setting.optionalText("lake:alarmEmail");
  const retention = setting.number("lake:logRetentionDays");
  if (!Object.values(logs.RetentionDays).includes(retention))
    throw new StackSettingError(
      "lake:logRetentionDays",
      `is ${retention}: CloudWatch keeps logs 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, … days`,
    );
  const stack = new LakeStack(app, setting.text("lake:stackName"), {
    env: { account, region },
    description: `Medallion Lake ${project.name}: zone buckets, lake run on Fargate Spot, alarm${dashboard === undefined ? "" : ", dashboard"}`,
    project,
    buildContext: repoRoot,
    projectPath: inContext,
    kmsEncryption: setting.flag("lake:kmsEncryption"),
    taskCpu: setting.number("lake:taskCpu"),
    taskMemoryMiB: setting.number("lake:taskMemoryMiB"),
    schedule: setting.text("lake:schedule"),
    leaseWaitSeconds: setting.number("lake:leaseWaitSeconds"),
    logRetention: retention as logs.RetentionDays,
    accessLogDays: setting.number("lake:accessLogDays"),
    ...(alarmEmail === undefined ? {} : { alarmEmail }),
    ...(dashboard === undefined ? {} : { dashboardInstanceType: dashboard }),
  });
  acknowledgeFindings(stack);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

/** Context values as the app needs them: `-c` gives strings, cdk.json JSON values. */
class Settings {
  constructor(private readonly app: App) {}

  text(key: string): string {
    const value = this.optionalText(key);
    if (value === undefined) throw new StackSettingError(key, "is missing");
    return value;
  }

  optionalText(key: string): string | undefined {
    const value: unknown = this.app.node.tryGetContext(key);
    if (value === undefined || value === null || value === "") return undefined;
    if (typeof value !== "string")
      throw new StackSettingError(key, `must be text, not ${JSON.stringify(value)}`);
    return value;
  }

  number(key: string): number {
    const value: unknown = this.app.node.tryGetContext(key);
    const number = typeof value === "string" && value !== "" ? Number(value) : value;
    if (typeof number !== "number" || !Number.isInteger(number) || number < 1)
      throw new StackSettingError(key, `must be a whole number >= 1, not ${JSON.stringify(value)}`);
    return number;
  }

  flag(key: string): boolean {
    const value: unknown = this.app.node.tryGetContext(key);
    if (value === undefined || value === false || value === "false") return false;
    if (value === true || value === "true") return true;
    throw new StackSettingError(key, `must be true or false, not ${JSON.stringify(value)}`);
  }
}
