/**
 * An EventBridge target that runs the task on Fargate Spot. aws-events-targets' `EcsTask` always
 * sends a launch type, and a RunTask with a launch type ignores capacity providers; this target
 * sends the capacity provider strategy instead.
 */
import type * as ec2 from "aws-cdk-lib/aws-ec2";
import type * as ecs from "aws-cdk-lib/aws-ecs";
import type * as events from "aws-cdk-lib/aws-events";
import * as iam from "aws-cdk-lib/aws-iam";

export interface FargateSpotTaskProps {
  readonly cluster: ecs.ICluster;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly subnets: ec2.SelectedSubnets;
  readonly securityGroup: ec2.ISecurityGroup;
  /** A public IP for reaching ECR, CloudWatch Logs and S3 without a NAT gateway (no inbound rule). */
  readonly assignPublicIp: boolean;
  /** The role EventBridge runs the task with (shared by every rule that starts the task). */
  readonly role: iam.IRole;
}

export class FargateSpotTask implements events.IRuleTarget {
  constructor(private readonly props: FargateSpotTaskProps) {}

  /** Allows the role to run this task definition in this cluster and pass the task's roles. */
  static grantRun(
    role: iam.IGrantable,
    cluster: ecs.ICluster,
    taskDefinition: ecs.FargateTaskDefinition,
  ): void {
    role.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["ecs:RunTask"],
        resources: [taskDefinition.taskDefinitionArn],
        conditions: { ArnEquals: { "ecs:cluster": cluster.clusterArn } },
      }),
    );
    const passed = [taskDefinition.taskRole, taskDefinition.obtainExecutionRole()];
    role.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ["iam:PassRole"], resources: passed.map((r) => r.roleArn) }),
    );
  }

  bind(): events.RuleTargetConfig {
    const { cluster, taskDefinition, subnets, securityGroup, assignPublicIp, role } = this.props;
    return {
      arn: cluster.clusterArn,
      role,
      retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 },
      ecsParameters: {
        taskDefinitionArn: taskDefinition.taskDefinitionArn,
        taskCount: 1,
        capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
        networkConfiguration: {
          awsVpcConfiguration: {
            subnets: subnets.subnetIds,
            securityGroups: [securityGroup.securityGroupId],
            assignPublicIp: assignPublicIp ? "ENABLED" : "DISABLED",
          },
        },
      },
    };
  }
}
