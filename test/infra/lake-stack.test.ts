import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { LifecycleRule } from "@aws-sdk/client-s3";
import { type CfnElement, Stack } from "aws-cdk-lib";
import { Match } from "aws-cdk-lib/assertions";
import { lakeS3Statements } from "../../infra/lib/lake-access-policy.ts";
import { STOP_TIMEOUT_SECONDS } from "../../infra/lib/pipeline-task.ts";
import {
  LAKE_BUCKET_SETTINGS,
  newBucketState,
  planBucket,
  tlsOnlyStatement,
} from "../../src/buckets/index.ts";
import { cdkJsonContext, type Synthesized, synthesize } from "./synth.ts";

// The stack as `cdk synth` makes it from cdk.json (with the dashboard on), checked on its template.
// cdk-nag's AwsSolutions checks run inside synth: an unacknowledged finding would throw in `before`.

type Resource = { Type: string; Properties?: Record<string, unknown> };

/** A property of a resource that must be there. */
function prop<T>(resource: Resource | undefined, key: string): T {
  const value = resource?.Properties?.[key];
  assert.notEqual(value, undefined, `${resource?.Type}.${key}`);
  return value as T;
}
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Sid?: string };

describe("the lake's stack", () => {
  let synthesized: Synthesized;
  let resources: Record<string, Resource>;
  const ofType = (type: string) => Object.values(resources).filter((r) => r.Type === type);
  before(async () => {
    synthesized = await synthesize({ "lake:dashboardInstanceType": "t3.medium" });
    resources = synthesized.template.toJSON().Resources as Record<string, Resource>;
  });
  after(() => synthesized.dispose());

  it("gives each zone its own bucket, plus one for access logs", () => {
    const names = ofType("AWS::S3::Bucket").map((b) => b.Properties?.BucketName);
    const prefix = "medallion-lake-123456789012-eu-west-1";
    assert.deepEqual(names.sort(), [
      `${prefix}-access-logs`,
      `${prefix}-bronze`,
      `${prefix}-gold`,
      `${prefix}-landing`,
      `${prefix}-silver`,
    ]);
  });

  it("versions every bucket, blocks public access and encrypts with SSE-S3 by default", () => {
    for (const bucket of ofType("AWS::S3::Bucket")) {
      const p = bucket.Properties ?? {};
      assert.deepEqual(
        p.VersioningConfiguration,
        { Status: LAKE_BUCKET_SETTINGS.versioning },
        String(p.BucketName),
      );
      assert.deepEqual(p.PublicAccessBlockConfiguration, LAKE_BUCKET_SETTINGS.publicAccessBlock);
      assert.deepEqual(p.BucketEncryption, {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
      });
    }
  });

  it("denies every request not made over TLS on every bucket, with the statement lake storage apply sets", () => {
    const policies = ofType("AWS::S3::BucketPolicy");
    assert.equal(policies.length, 5);
    const { Resource: _byName, ...wanted } = tlsOnlyStatement("any");
    for (const policy of policies) {
      const { Statement } = prop<{ Statement: Record<string, unknown>[] }>(policy, "PolicyDocument");
      const tls = Statement.find((s) => s.Sid === LAKE_BUCKET_SETTINGS.tlsOnlyStatementId) ?? {};
      const { Resource, ...rest } = tls;
      assert.deepEqual(rest, wanted);
      assert.equal((Resource as unknown[]).length, 2, "the bucket and its objects");
    }
  });

  it("gives each zone bucket the lifecycle rules lake storage apply would send for the same lake.json", () => {
    const bucketNamed = (name: string) =>
      ofType("AWS::S3::Bucket").find((b) => b.Properties?.BucketName === name);
    const { project } = synthesized.stack;
    for (const layout of project.buckets) {
      const { Rules } = prop<{ Rules: Record<string, unknown>[] }>(
        bucketNamed(layout.bucket),
        "LifecycleConfiguration",
      );
      const plan = planBucket(newBucketState(layout.bucket), { lifecycleRules: layout.lifecycleRules });
      const request = plan.settings.find((s) => s.setting === "lifecycle")?.request;
      assert.ok(request?.operation === "PutBucketLifecycleConfiguration", "apply would set lifecycle rules");
      const applied = request.input.LifecycleConfiguration?.Rules ?? [];
      assert.deepEqual(Rules.map(fromCloudFormation), applied.map(normalized), layout.bucket);
    }
    const landing = prop<{ Rules: unknown[] }>(
      bucketNamed(project.zoneBuckets.landing),
      "LifecycleConfiguration",
    );
    assert.deepEqual(landing.Rules, [
      {
        Id: "medallion-lake-landing-tiers",
        Status: "Enabled",
        Transitions: [
          { StorageClass: "STANDARD_IA", TransitionInDays: 30 },
          { StorageClass: "GLACIER", TransitionInDays: 90 },
        ],
      },
      {
        Id: "medallion-lake-landing-cleanup",
        Status: "Enabled",
        NoncurrentVersionExpiration: { NoncurrentDays: 30 },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
      },
    ]);
  });

  it("has no inbound rule on any security group", () => {
    assert.deepEqual(ofType("AWS::EC2::SecurityGroupIngress"), []);
    const groups = ofType("AWS::EC2::SecurityGroup");
    assert.equal(groups.length, 2, "the task's and the dashboard's");
    for (const group of groups) assert.equal(group.Properties?.SecurityGroupIngress, undefined);
    assert.equal(ofType("Custom::VpcRestrictDefaultSG").length, 1, "the default group's rules are removed");
  });

  it("grants the task role exactly the lake's S3 statements: no s3:*, no * resource, no managed policy", () => {
    const task = synthesized.stack.pipeline.taskDefinition.taskRole;
    const taskRoleId = Stack.of(task).getLogicalId(task.node.defaultChild as CfnElement);
    const policy = ofType("AWS::IAM::Policy").find((p) =>
      JSON.stringify(p.Properties?.Roles).includes(taskRoleId),
    );
    const { Statement } = prop<{ Statement: Statement[] }>(policy, "PolicyDocument");
    const asText = (statements: readonly Record<string, unknown>[]) =>
      statements
        .map(
          (s): Record<string, unknown> => ({
            ...s,
            Action: [s.Action].flat().sort(),
            Resource: [s.Resource]
              .flat()
              .map((r) => JSON.stringify(r).replaceAll('",{"Ref":"AWS::Partition"},"', "aws"))
              .map((r) => r.replace(/^\{"Fn::Join":\["",\["(.*)"\]\]\}$/, "$1").replaceAll('"', ""))
              .sort(),
          }),
        )
        .sort((a, b) => String(a.Sid).localeCompare(String(b.Sid)));
    assert.deepEqual(asText(Statement), asText(lakeS3Statements(synthesized.stack.project.buckets)));
    for (const role of ofType("AWS::IAM::Role"))
      for (const arn of (role.Properties?.ManagedPolicyArns as unknown[] | undefined) ?? [])
        assert.doesNotMatch(JSON.stringify(arn), /FullAccess|AdministratorAccess/);
  });

  it("has no wildcard S3 action and no S3 action on every resource, in any policy of the stack", () => {
    for (const policy of ofType("AWS::IAM::Policy")) {
      for (const s of prop<{ Statement: Statement[] }>(policy, "PolicyDocument").Statement) {
        const actions = [s.Action].flat();
        for (const action of actions) assert.doesNotMatch(action, /^(\*|s3:\*|s3:[A-Za-z]*\*)$/);
        if (actions.some((a) => a.startsWith("s3:")))
          assert.ok(!([s.Resource].flat() as unknown[]).includes("*"), JSON.stringify(s));
      }
    }
  });

  it("stops the task with the two minutes Spot gives, through an init process that passes SIGTERM on", () => {
    const [task] = ofType("AWS::ECS::TaskDefinition");
    const [container] = prop<Record<string, unknown>[]>(task, "ContainerDefinitions");
    assert.equal(container?.StopTimeout, STOP_TIMEOUT_SECONDS);
    assert.equal(STOP_TIMEOUT_SECONDS, 120);
    assert.equal(
      (container?.LinuxParameters as { InitProcessEnabled?: boolean } | undefined)?.InitProcessEnabled,
      true,
    );
    assert.deepEqual(container?.Command, ["run", "--project", "/project", "--wait", "600"]);
    assert.deepEqual(Object.keys(container?.LogConfiguration ?? {}), ["LogDriver", "Options"]);
    assert.equal((container?.LogConfiguration as { LogDriver?: string } | undefined)?.LogDriver, "awslogs");
    assert.equal(prop(ofType("AWS::Logs::LogGroup")[0], "RetentionInDays"), 30);
  });

  it("runs on Fargate Spot, on the schedule of cdk.json and when an object is created in the landing bucket", () => {
    const template = synthesized.template;
    template.hasResourceProperties("AWS::ECS::ClusterCapacityProviderAssociations", {
      CapacityProviders: Match.arrayWith(["FARGATE_SPOT"]),
    });
    const spot = {
      EcsParameters: Match.objectLike({
        CapacityProviderStrategy: [{ CapacityProvider: "FARGATE_SPOT", Weight: 1 }],
        LaunchType: Match.absent(),
      }),
    };
    template.hasResourceProperties("AWS::Events::Rule", {
      ScheduleExpression: cdkJsonContext()["lake:schedule"],
      Targets: [Match.objectLike(spot)],
    });
    const landing = synthesized.stack.buckets.landing;
    template.hasResourceProperties("AWS::Events::Rule", {
      EventPattern: {
        source: ["aws.s3"],
        "detail-type": ["Object Created"],
        detail: {
          bucket: {
            name: [{ Ref: Stack.of(landing).getLogicalId(landing.node.defaultChild as CfnElement) }],
          },
        },
      },
      Targets: [Match.objectLike(spot)],
    });
    template.hasResourceProperties("AWS::S3::Bucket", {
      BucketName: Match.stringLikeRegexp("-landing$"),
      NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
    });
  });

  it("publishes a failed run, but not a Spot interruption, to the alarm topic", () => {
    synthesized.template.hasResourceProperties("AWS::Events::Rule", {
      EventPattern: Match.objectLike({
        source: ["aws.ecs"],
        detail: Match.objectLike({
          lastStatus: ["STOPPED"],
          $or: [
            { stopCode: ["EssentialContainerExited"], containers: { exitCode: [{ "anything-but": 0 }] } },
            { stopCode: ["TaskFailedToStart"] },
          ],
        }),
      }),
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp("RunFailed") } })],
    });
    synthesized.template.hasResourceProperties("AWS::SNS::TopicPolicy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ]),
      },
    });
  });

  it("starts the dashboard on Spot with IMDSv2 required, no SSH key and a public IP for SSM only", () => {
    const [template] = ofType("AWS::EC2::LaunchTemplate");
    const data = prop<Record<string, unknown>>(template, "LaunchTemplateData");
    assert.deepEqual(data.MetadataOptions, { HttpPutResponseHopLimit: 2, HttpTokens: "required" });
    assert.equal(data.KeyName, undefined);
    const userData = JSON.stringify(data.UserData);
    assert.match(
      userData,
      /docker login --username AWS --password-stdin ",\{"Fn::Select":\[0,\{"Fn::Split":\["\/"/,
    );
    assert.match(
      userData,
      /docker run -d --restart unless-stopped --network host --name lake-dashboard ".*" serve --project \/project --port 4300"/,
    );
    assert.equal((data.InstanceMarketOptions as { MarketType: string }).MarketType, "spot");
    assert.equal((data.BlockDeviceMappings as { Ebs: { Encrypted: boolean } }[])[0]?.Ebs.Encrypted, true);
    synthesized.template.hasResourceProperties("AWS::AutoScaling::AutoScalingGroup", {
      MinSize: "1",
      MaxSize: "1",
    });
  });

  it("acknowledges each cdk-nag finding it keeps, on its construct, with a reason", () => {
    const acknowledged = synthesized.stack.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === "aws:cdk:acknowledged-rules"))
      .flatMap((m) => Object.entries(m.data as Record<string, string>))
      .filter(([id]) => id.startsWith("AwsSolutions::"));
    const ids = new Set(acknowledged.map(([id]) => id.replace(/\[.*/, "")));
    assert.deepEqual([...ids].sort(), [
      "AwsSolutions::AwsSolutions-AS3",
      "AwsSolutions::AwsSolutions-ECS4",
      "AwsSolutions::AwsSolutions-IAM4",
      "AwsSolutions::AwsSolutions-IAM5",
    ]);
    for (const [id, reason] of acknowledged) assert.ok(reason.length > 40, `${id}: "${reason}"`);
  });
});

/** A lifecycle rule of the template in the SDK's shape. */
function fromCloudFormation(rule: Record<string, unknown>): LifecycleRule {
  const transitions = rule.Transitions as { StorageClass: string; TransitionInDays: number }[] | undefined;
  return normalized({
    ID: rule.Id as string,
    Status: rule.Status as "Enabled",
    Filter: { Prefix: (rule.Prefix as string | undefined) ?? "" },
    ...(transitions === undefined
      ? {}
      : {
          Transitions: transitions.map((t) => ({
            Days: t.TransitionInDays,
            StorageClass: t.StorageClass as "GLACIER",
          })),
        }),
    ...(rule.NoncurrentVersionExpiration === undefined
      ? {}
      : { NoncurrentVersionExpiration: rule.NoncurrentVersionExpiration as { NoncurrentDays: number } }),
    ...(rule.AbortIncompleteMultipartUpload === undefined
      ? {}
      : {
          AbortIncompleteMultipartUpload: rule.AbortIncompleteMultipartUpload as {
            DaysAfterInitiation: number;
          },
        }),
  });
}

function normalized(rule: LifecycleRule): LifecycleRule {
  return JSON.parse(JSON.stringify(rule));
}
