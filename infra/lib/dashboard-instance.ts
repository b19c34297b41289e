/**
 * The optional dashboard: `lake serve` in the lake's image on one EC2 Spot instance, reached only
 * through SSM port forwarding. The launch template requires IMDSv2 and names no SSH key; the security
 * group has no inbound rule; the Auto Scaling group (of one) starts a new instance when Spot reclaims
 * the old one. The instance may only read the lake's buckets.
 */
import { Fn, Stack } from "aws-cdk-lib";
import * as autoscaling from "aws-cdk-lib/aws-autoscaling";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import type * as ecrAssets from "aws-cdk-lib/aws-ecr-assets";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import { Construct } from "constructs";
import { lakeS3Statements } from "./lake-access-policy.ts";
import { type DeployedProject, PROJECT_DIR_IN_IMAGE } from "./lake-project.ts";

/** The port `lake serve` listens on (its default), on the instance's loopback interface only. */
export const DASHBOARD_PORT = 4300;

export interface DashboardInstanceProps {
  readonly vpc: ec2.IVpc;
  readonly project: DeployedProject;
  readonly image: ecrAssets.DockerImageAsset;
  readonly encryptionKey?: kms.IKey;
  readonly instanceType: string;
}

export class DashboardInstance extends Construct {
  readonly group: autoscaling.AutoScalingGroup;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: DashboardInstanceProps) {
    super(scope, id);
    const role = new iam.Role(this, "Role", {
      assumedBy: new iam.ServicePrincipal("ec2.amazonaws.com"),
      description: "lake dashboard: SSM sessions, pull the lake image, read the lake's buckets",
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName("AmazonSSMManagedInstanceCore")],
    });
    for (const statement of lakeS3Statements(props.project.buckets, Stack.of(this).partition, "read"))
      role.addToPrincipalPolicy(iam.PolicyStatement.fromJson(statement));
    props.encryptionKey?.grant(role, "kms:Decrypt");
    props.image.repository.grantPull(role);
    this.role = role;

    const { region } = Stack.of(this);
    const registry = Fn.select(0, Fn.split("/", props.image.imageUri));
    const userData = ec2.UserData.forLinux();
    userData.addCommands(
      "dnf install -y docker",
      "systemctl enable --now docker",
      `aws ecr get-login-password --region ${region} | docker login --username AWS --password-stdin ${registry}`,
      // The host's network: lake serve listens on the instance's loopback address (its default), which
      // only the SSM port forward reaches, so it needs no token.
      `docker run -d --restart unless-stopped --network host --name lake-dashboard ${props.image.imageUri} serve --project ${PROJECT_DIR_IN_IMAGE} --port ${DASHBOARD_PORT}`,
    );

    const securityGroup = new ec2.SecurityGroup(this, "SecurityGroup", {
      vpc: props.vpc,
      description: "lake dashboard: outbound only (SSM, ECR, S3); reached through SSM port forwarding",
      allowAllOutbound: true,
    });
    const template = new ec2.LaunchTemplate(this, "LaunchTemplate", {
      instanceType: new ec2.InstanceType(props.instanceType),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
      role,
      userData,
      securityGroup,
      requireImdsv2: true,
      httpPutResponseHopLimit: 2,
      associatePublicIpAddress: true,
      spotOptions: { interruptionBehavior: ec2.SpotInstanceInterruption.TERMINATE },
      blockDevices: [{ deviceName: "/dev/xvda", volume: ec2.BlockDeviceVolume.ebs(30, { encrypted: true }) }],
    });
    this.group = new autoscaling.AutoScalingGroup(this, "Group", {
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      launchTemplate: template,
      minCapacity: 1,
      maxCapacity: 1,
    });
  }
}
