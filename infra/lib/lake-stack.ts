/**
 * The lake on AWS: its buckets, `lake run` on Fargate Spot with its triggers and alarm, and, as an
 * option, the dashboard on an EC2 Spot instance. Network: a VPC with public subnets only and no NAT
 * gateway; the task and the instance get public IPs to reach AWS APIs, and their security groups
 * have no inbound rule (docs/deploy-aws.md compares this with private subnets and endpoints).
 */
import { CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as ecrAssets from "aws-cdk-lib/aws-ecr-assets";
import * as ecs from "aws-cdk-lib/aws-ecs";
import * as kms from "aws-cdk-lib/aws-kms";
import type * as logs from "aws-cdk-lib/aws-logs";
import type { Construct } from "constructs";
import { DashboardInstance } from "./dashboard-instance.ts";
import { LakeBuckets } from "./lake-buckets.ts";
import type { DeployedProject } from "./lake-project.ts";
import { PipelineTask } from "./pipeline-task.ts";

export interface LakeStackProps extends StackProps {
  readonly project: DeployedProject;
  /** The folder the image is built from (the repository), and the project folder inside it. */
  readonly buildContext: string;
  readonly projectPath: string;
  /** Encrypt the buckets with a KMS key of the stack (default: SSE-S3). */
  readonly kmsEncryption: boolean;
  readonly taskCpu: number;
  readonly taskMemoryMiB: number;
  readonly schedule: string;
  readonly leaseWaitSeconds: number;
  readonly logRetention: logs.RetentionDays;
  readonly accessLogDays: number;
  readonly alarmEmail?: string;
  /** The EC2 instance type of the dashboard; none: no dashboard. */
  readonly dashboardInstanceType?: string;
}

export class LakeStack extends Stack {
  readonly buckets: LakeBuckets;
  readonly pipeline: PipelineTask;
  readonly dashboard?: DashboardInstance;
  readonly project: DeployedProject;

  constructor(scope: Construct, id: string, props: LakeStackProps) {
    super(scope, id, props);
    this.project = props.project;
    const encryptionKey = props.kmsEncryption
      ? new kms.Key(this, "LakeKey", { enableKeyRotation: true, description: "Medallion Lake buckets" })
      : undefined;
    this.buckets = new LakeBuckets(this, "Buckets", {
      project: props.project,
      accessLogDays: props.accessLogDays,
      ...(encryptionKey === undefined ? {} : { encryptionKey }),
    });
    const vpc = new ec2.Vpc(this, "Network", {
      maxAzs: 2,
      natGateways: 0,
      // The default security group keeps no rule either (its default admits its own members).
      restrictDefaultSecurityGroup: true,
      subnetConfiguration: [{ name: "public", subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 }],
      // S3 traffic stays on AWS's network at no charge.
      gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
    });
    // Rejected traffic only: the evidence that nothing gets in, at a few cents a month.
    vpc.addFlowLog("RejectedTraffic", {
      destination: ec2.FlowLogDestination.toS3(this.buckets.accessLogs, "vpc-flow-logs/"),
      trafficType: ec2.FlowLogTrafficType.REJECT,
    });
    const image = new ecrAssets.DockerImageAsset(this, "Image", {
      directory: props.buildContext,
      target: "task",
      platform: ecrAssets.Platform.LINUX_AMD64,
      buildArgs: { PROJECT: props.projectPath, LAKE_JSON: props.project.lakeJson },
    });
    this.pipeline = new PipelineTask(this, "Pipeline", {
      vpc,
      project: props.project,
      buckets: this.buckets,
      image: ecs.ContainerImage.fromDockerImageAsset(image),
      cpu: props.taskCpu,
      memoryMiB: props.taskMemoryMiB,
      schedule: props.schedule,
      leaseWaitSeconds: props.leaseWaitSeconds,
      logRetention: props.logRetention,
      ...(encryptionKey === undefined ? {} : { encryptionKey }),
      ...(props.alarmEmail === undefined ? {} : { alarmEmail: props.alarmEmail }),
    });
    if (props.dashboardInstanceType !== undefined) {
      this.dashboard = new DashboardInstance(this, "Dashboard", {
        vpc,
        project: props.project,
        image,
        instanceType: props.dashboardInstanceType,
        ...(encryptionKey === undefined ? {} : { encryptionKey }),
      });
      new CfnOutput(this, "DashboardGroup", {
        value: this.dashboard.group.autoScalingGroupName,
        description: "The dashboard's Auto Scaling group: its one instance is the SSM target",
      });
    }
    new CfnOutput(this, "LandingBucket", { value: this.buckets.landing.bucketName });
    new CfnOutput(this, "Cluster", { value: this.pipeline.cluster.clusterName });
    new CfnOutput(this, "TaskDefinition", { value: this.pipeline.taskDefinition.family });
    new CfnOutput(this, "LogGroup", { value: this.pipeline.logGroup.logGroupName });
    new CfnOutput(this, "AlarmTopic", { value: this.pipeline.alarmTopic.topicArn });
  }
}
