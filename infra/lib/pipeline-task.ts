/**
 * `lake run` as a Fargate Spot task: the cluster, the task definition with its least-privilege role,
 * its logs, the two things that start it (a schedule, and files arriving in the landing bucket), and
 * the alarm when a run fails. Overlapping starts are safe: the project's run lease lets one run at a
 * time, and a run started meanwhile waits for it (`--wait`), then loads what is left.
 */
import { Duration, Stack } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as cwActions from "aws-cdk-lib/aws-cloudwatch-actions";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as ecs from "aws-cdk-lib/aws-ecs";
import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as logs from "aws-cdk-lib/aws-logs";
import * as sns from "aws-cdk-lib/aws-sns";
import * as subscriptions from "aws-cdk-lib/aws-sns-subscriptions";
import { Construct } from "constructs";
import { FargateSpotTask } from "./fargate-spot-task.ts";
import { lakeS3Statements } from "./lake-access-policy.ts";
import type { LakeBuckets } from "./lake-buckets.ts";
import { type DeployedProject, PROJECT_DIR_IN_IMAGE } from "./lake-project.ts";

/**
 * Seconds between SIGTERM and SIGKILL when ECS stops the task: Spot gives two minutes' notice, the
 * most Fargate allows. `lake run` stops at a safe point well within it (`npm run test:crash --
 * --signal TERM` measures how long it takes).
 */
export const STOP_TIMEOUT_SECONDS = 120;

export interface PipelineTaskProps {
  readonly vpc: ec2.IVpc;
  readonly project: DeployedProject;
  readonly buckets: LakeBuckets;
  readonly encryptionKey?: kms.IKey;
  readonly image: ecs.ContainerImage;
  /** Fargate task size: vCPU units (1024 = 1 vCPU) and MiB. */
  readonly cpu: number;
  readonly memoryMiB: number;
  /** An EventBridge schedule expression, e.g. `cron(0 3 * * ? *)`. */
  readonly schedule: string;
  /** How long a run started while another holds the lease waits for it. */
  readonly leaseWaitSeconds: number;
  readonly logRetention: logs.RetentionDays;
  /** Where the alarm sends mail; none: subscribe to the topic yourself. */
  readonly alarmEmail?: string;
}

export class PipelineTask extends Construct {
  readonly cluster: ecs.Cluster;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly logGroup: logs.LogGroup;
  readonly alarmTopic: sns.Topic;
  readonly securityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: PipelineTaskProps) {
    super(scope, id);
    const { vpc, project } = props;
    this.cluster = new ecs.Cluster(this, "Cluster", { vpc, enableFargateCapacityProviders: true });

    const taskRole = new iam.Role(this, "TaskRole", {
      assumedBy: new iam.ServicePrincipal("ecs-tasks.amazonaws.com"),
      description: `lake run of ${project.name}: the lake's S3 actions on its buckets only`,
    });
    for (const statement of lakeS3Statements(project.buckets, Stack.of(this).partition))
      taskRole.addToPrincipalPolicy(iam.PolicyStatement.fromJson(statement));
    props.encryptionKey?.grant(taskRole, "kms:Decrypt", "kms:GenerateDataKey");

    this.taskDefinition = new ecs.FargateTaskDefinition(this, "Task", {
      cpu: props.cpu,
      memoryLimitMiB: props.memoryMiB,
      taskRole,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.X86_64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    this.logGroup = new logs.LogGroup(this, "Logs", { retention: props.logRetention });
    this.taskDefinition.addContainer("lake", {
      image: props.image,
      command: ["run", "--project", PROJECT_DIR_IN_IMAGE, "--wait", String(props.leaseWaitSeconds)],
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: "run", logGroup: this.logGroup }),
      stopTimeout: Duration.seconds(STOP_TIMEOUT_SECONDS),
      // An init process as PID 1 passes SIGTERM on to lake and reaps what it leaves.
      linuxParameters: new ecs.LinuxParameters(this, "Linux", { initProcessEnabled: true }),
    });

    // Outbound only: the task calls ECR, CloudWatch Logs and S3; nothing calls it.
    this.securityGroup = new ec2.SecurityGroup(this, "TaskSecurityGroup", {
      vpc,
      description: "lake run: outbound only (ECR, CloudWatch Logs, S3); no inbound rule",
      allowAllOutbound: true,
    });
    const runRole = new iam.Role(this, "StartRole", {
      assumedBy: new iam.ServicePrincipal("events.amazonaws.com"),
      description: "EventBridge starts lake run on Fargate Spot",
    });
    FargateSpotTask.grantRun(runRole, this.cluster, this.taskDefinition);
    const target = new FargateSpotTask({
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      subnets: vpc.selectSubnets({ subnetType: ec2.SubnetType.PUBLIC }),
      securityGroup: this.securityGroup,
      assignPublicIp: true,
      role: runRole,
    });
    const scheduled = new events.Rule(this, "Schedule", {
      description: `lake run of ${project.name} on a schedule`,
      schedule: events.Schedule.expression(props.schedule),
      targets: [target],
    });
    const arrivals = new events.Rule(this, "FilesArrived", {
      description: `lake run of ${project.name} when files arrive in s3://${project.zoneBuckets.landing}`,
      eventPattern: {
        source: ["aws.s3"],
        detailType: ["Object Created"],
        detail: { bucket: { name: [props.buckets.landing.bucketName] } },
      },
      targets: [target],
    });

    this.alarmTopic = new sns.Topic(this, "RunFailed", {
      displayName: `lake run of ${project.name} failed`,
      enforceSSL: true,
    });
    if (props.alarmEmail !== undefined)
      this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    this.#alarmOnFailedRuns(project);
    // A run EventBridge could not start (no permission, a bad task definition) is no task at all.
    for (const [name, rule] of [
      ["Schedule", scheduled],
      ["FilesArrived", arrivals],
    ] as const) {
      new cloudwatch.Alarm(this, `${name}NotStarted`, {
        alarmDescription: `EventBridge could not start lake run (${name} rule)`,
        metric: new cloudwatch.Metric({
          namespace: "AWS/Events",
          metricName: "FailedInvocations",
          dimensionsMap: { RuleName: rule.ruleName },
          statistic: "Sum",
          period: Duration.minutes(5),
        }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(new cwActions.SnsAction(this.alarmTopic));
    }
  }

  /**
   * A task of this cluster that stopped with a non-zero exit, or never started, publishes to the
   * alarm topic. A task Spot reclaimed is left out: the run records itself as interrupted and the
   * next run completes the work.
   */
  #alarmOnFailedRuns(project: DeployedProject): void {
    const rule = new events.Rule(this, "RunFailedRule", {
      description: `lake run of ${project.name} failed`,
      eventPattern: {
        source: ["aws.ecs"],
        detailType: ["ECS Task State Change"],
        detail: {
          clusterArn: [this.cluster.clusterArn],
          lastStatus: ["STOPPED"],
          $or: [
            { stopCode: ["EssentialContainerExited"], containers: { exitCode: [{ "anything-but": 0 }] } },
            { stopCode: ["TaskFailedToStart"] },
          ],
        },
      },
    });
    rule.addTarget(
      new targets.SnsTopic(this.alarmTopic, {
        message: events.RuleTargetInput.fromText(
          `lake run of ${project.name} failed: task ${events.EventField.fromPath("$.detail.taskArn")} stopped (${events.EventField.fromPath("$.detail.stoppedReason")}). Logs: CloudWatch log group ${this.logGroup.logGroupName}.`,
        ),
      }),
    );
  }
}
