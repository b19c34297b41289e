import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { field, struct } from "../../src/delta/index.ts";
import { DeltaContext, writeTable } from "../../src/engine/index.ts";
import { S3Store } from "../../src/storage/index.ts";
import { lake } from "../helpers/cli.ts";
import { describeWithS3 } from "../helpers/s3.ts";

// The table commands on an s3:// location, with the server named the way the AWS SDK reads it.
describeWithS3("lake commands on an s3:// table", (bucket) => {
  const previous = process.env.AWS_ENDPOINT_URL_S3;
  const location = () => `s3://${bucket.name}/sales/orders`;
  before(async () => {
    process.env.AWS_ENDPOINT_URL_S3 = bucket.connection.endpoint;
    const store = new S3Store({ client: bucket.client, bucket: bucket.name, prefix: "sales/orders" });
    const schema = struct(field("id", "long"), field("region", "string"));
    await DeltaContext.with(async (ctx) => {
      await writeTable(
        ctx,
        store,
        { rows: [{ id: 1n, region: "North" }], schema },
        { partitionBy: ["region"] },
      );
      await writeTable(ctx, store, { rows: [{ id: 2n, region: "West" }], schema });
    });
  });
  after(() => {
    if (previous === undefined) delete process.env.AWS_ENDPOINT_URL_S3;
    else process.env.AWS_ENDPOINT_URL_S3 = previous;
  });

  it("describe, history and read work on the table in the bucket", async () => {
    const described = await lake("describe", location(), "--json");
    assert.equal(described.code, 0, described.stderr);
    const json = JSON.parse(described.stdout) as { location: string; version: number; numRows: number };
    assert.deepEqual([json.location, json.version, json.numRows], [location(), 1, 2]);
    const history = await lake("history", location());
    assert.equal(history.code, 0, history.stderr);
    assert.match(history.stdout, /WRITE/);
    const read = await lake("read", location(), "--version", "0", "--format", "jsonl");
    assert.equal(read.code, 0, read.stderr);
    assert.equal(read.stdout, '{"id":"1","region":"North"}\n');
  });

  it("a missing table in the bucket exits 1 naming its location", async () => {
    const result = await lake("describe", `s3://${bucket.name}/nothing/here`);
    assert.equal(result.code, 1);
    assert.match(result.stderr, new RegExp(`s3://${bucket.name}/nothing/here`));
  });
});
