/**
 * Every cdk-nag AwsSolutions finding the stack keeps, acknowledged on the construct it arises on,
 * each with why it stays. Anything else fails `cdk synth` and the tests.
 */
import { Stack, Validations } from "aws-cdk-lib";
import type { IConstruct } from "constructs";
import type { LakeStack } from "./lake-stack.ts";

export function acknowledgeFindings(stack: LakeStack): void {
  const { pipeline, dashboard, project } = stack;
  const objectArns = project.buckets.flatMap(({ bucket, locations }) =>
    [...new Set(locations.map((l) => l.prefix))].map(
      (prefix) => `arn:<AWS::Partition>:s3:::${bucket}/${prefix}*`,
    ),
  );
  const bucketObjects = (scope: IConstruct, what: string) => {
    for (const arn of objectArns)
      acknowledge(
        scope,
        `AwsSolutions-IAM5[Resource::${arn}]`,
        `${what} objects of the lake's own bucket: Delta data files and log entries are named at run time, so the resource is the bucket's objects, never another bucket's`,
      );
  };

  acknowledge(
    pipeline.cluster,
    "AwsSolutions-ECS4",
    "Container Insights bills per task metric; a run takes minutes a day, and its CloudWatch logs and the lake's run log (_system.runs) say what it did",
  );
  bucketObjects(pipeline.taskDefinition.taskRole, "Reads, writes and deletes");
  acknowledge(
    pipeline.taskDefinition.obtainExecutionRole(),
    "AwsSolutions-IAM5[Resource::*]",
    "ecr:GetAuthorizationToken, which pulls the image, has no resource-level permissions; the repository actions are limited to the image's repository",
  );
  const restrictDefault = Stack.of(stack).node.tryFindChild(
    "Custom::VpcRestrictDefaultSGCustomResourceProvider",
  );
  if (restrictDefault !== undefined)
    acknowledge(
      restrictDefault,
      "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
      "CDK's provider that removes the default security group's rules writes its own logs with this policy",
    );
  if (dashboard !== undefined) {
    const role = dashboard.role;
    acknowledge(
      role,
      "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]",
      "the policy AWS maintains for Session Manager: SSM port forwarding is the only way in (no SSH key, no inbound rule)",
    );
    bucketObjects(role, "Reads (s3:GetObject only)");
    acknowledge(
      role,
      "AwsSolutions-IAM5[Resource::*]",
      "ecr:GetAuthorizationToken, which pulls the image, has no resource-level permissions; the repository actions are limited to the image's repository",
    );
    acknowledge(
      dashboard.group,
      "AwsSolutions-AS3",
      "a group of one instance that only replaces a reclaimed Spot instance; there is no scaling to be told about",
    );
  }
}

function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions::${id}`, reason });
}
