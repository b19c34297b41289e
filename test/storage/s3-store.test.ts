import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { type AddressInfo, createServer, type Socket } from "node:net";
import { Readable } from "node:stream";
import { it } from "node:test";
import { S3Client } from "@aws-sdk/client-s3";
import {
  createS3Client,
  ObjectExistsError,
  parseS3Url,
  S3RequestError,
  S3Store,
  StorageError,
} from "../../src/storage/index.ts";
import { MultipartEtag } from "../../src/storage/multipart-etag.ts";
import { startFaultyS3Proxy } from "../helpers/faulty-s3-proxy.ts";
import { describeWithS3, emptyBucket } from "../helpers/s3.ts";
import { describeObjectStoreContract } from "./object-store-contract.ts";
import { bytes, chunked, listKeys, patternBytes, readStream } from "./object-store-helpers.ts";

describeWithS3("S3Store", (bucket) => {
  describeObjectStoreContract("S3Store (real S3 server)", async () => {
    // A fresh prefix per test: an empty store without the cost of a bucket per test.
    const prefix = `contract/${randomUUID()}`;
    return {
      store: new S3Store({ client: bucket.client, bucket: bucket.name, prefix }),
      cleanup: () => emptyBucket(bucket.client, bucket.name, `${prefix}/`),
    };
  });

  it("is located at s3://bucket/prefix and only sees keys under its prefix", async () => {
    const store = new S3Store({ client: bucket.client, bucket: bucket.name, prefix: "/zone/a/" });
    const sibling = new S3Store({ client: bucket.client, bucket: bucket.name, prefix: "zone/ab" });
    assert.equal(store.location, `s3://${bucket.name}/zone/a`);
    await store.put("x.json", bytes("1"));
    await sibling.put("y.json", bytes("2"));
    assert.deepEqual(await listKeys(store, ""), ["x.json"]);
    assert.deepEqual(await listKeys(sibling, ""), ["y.json"]);
    assert.equal(store.localPath("x.json"), undefined);
  });

  it("uploads a stream larger than a part as a multipart upload, visible only when complete", async () => {
    const store = new S3Store({
      client: bucket.client,
      bucket: bucket.name,
      prefix: "multipart",
      partSizeBytes: 5 * 1024 * 1024,
    });
    const body = patternBytes(12 * 1024 * 1024 + 7, 3);
    const meta = await store.putStream("big.parquet", chunked(body, 1_000_003));
    assert.equal(meta.size, body.byteLength);
    const expected = new MultipartEtag(5 * 1024 * 1024);
    expected.update(body);
    assert.equal(meta.etag, expected.value(), "the server's multipart ETag, as the store computes it");
    assert.match(meta.etag, /-3"$/);
    await assert.rejects(
      store.putStream("big.parquet", chunked(patternBytes(11 * 1024 * 1024, 4)), { ifNoneMatch: true }),
      ObjectExistsError,
    );
    assert.equal((await store.head("big.parquet")).etag, meta.etag, "the original is untouched");
    assert.deepEqual(await readStream(store.getStream("big.parquet")), Buffer.from(body));
    assert.deepEqual(
      await store.getRange("big.parquet", 5 * 1024 * 1024 - 2, 5 * 1024 * 1024 + 2),
      body.slice(5 * 1024 * 1024 - 2, 5 * 1024 * 1024 + 2),
    );
  });

  it("treats a retried conditional put whose lost first attempt succeeded as its own", async () => {
    const client = createS3Client(bucket.connection);
    let dropped = 0;
    // The reply of the first PutObject is lost after the server stored the object: the SDK retries,
    // and the retry meets 412 for the store's own object.
    client.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        const request = args.request as { method?: string; headers?: Record<string, string> };
        if (request.method === "PUT" && request.headers?.["if-none-match"] === "*" && dropped++ === 0) {
          throw Object.assign(new Error("socket hang up"), { name: "TimeoutError", code: "ECONNRESET" });
        }
        return result;
      },
      { step: "deserialize", name: "loseFirstPutReply" },
    );
    const store = new S3Store({ client, bucket: bucket.name, prefix: "lost-reply" });
    const meta = await store.put("_delta_log/00000000000000000000.json", bytes("ours"), {
      ifNoneMatch: true,
    });
    assert.equal(dropped, 2, "the first reply was dropped and the request retried");
    assert.equal(meta.size, 4);
    // Someone else's object under the same key is still a lost race.
    await assert.rejects(
      store.put("_delta_log/00000000000000000000.json", bytes("theirs"), { ifNoneMatch: true }),
      ObjectExistsError,
    );
    client.destroy();
  });

  it("retries a conditional put that S3 answered with 409 ConditionalRequestConflict", async () => {
    const client = createS3Client(bucket.connection);
    let conflicts = 0;
    // S3 sends 409 while another conditional write of the key is in flight (the test server never
    // does): the first conditional PUT gets that answer instead of reaching the server.
    client.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { method?: string; headers?: Record<string, string> };
        if (request.method === "PUT" && request.headers?.["if-none-match"] === "*" && conflicts++ === 0) {
          const xml =
            "<Error><Code>ConditionalRequestConflict</Code><Message>A conflicting operation is in progress</Message></Error>";
          return {
            response: {
              statusCode: 409,
              headers: { "content-type": "application/xml" },
              body: Readable.from([Buffer.from(xml)]),
            },
            output: undefined,
          } as never;
        }
        return next(args);
      },
      { step: "deserialize", name: "conflictOnce" },
    );
    const store = new S3Store({ client, bucket: bucket.name, prefix: "conflict" });
    const meta = await store.put("_delta_log/00000000000000000000.json", bytes("ours"), {
      ifNoneMatch: true,
    });
    assert.equal(conflicts, 2, "the conflict was answered, then the put retried");
    assert.equal(meta.size, 4);
    assert.deepEqual(await store.get("_delta_log/00000000000000000000.json"), bytes("ours"));
    client.destroy();
  });

  it("recognises a conditional multipart upload whose lost completion reply was retried as its own", async () => {
    const client = createS3Client(bucket.connection);
    let dropped = 0;
    client.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        const request = args.request as { method?: string; query?: Record<string, unknown> };
        if (request.method === "POST" && request.query?.uploadId !== undefined && dropped++ === 0) {
          throw Object.assign(new Error("socket hang up"), { name: "TimeoutError", code: "ECONNRESET" });
        }
        return result;
      },
      { step: "deserialize", name: "loseFirstCompletionReply" },
    );
    const store = new S3Store({
      client,
      bucket: bucket.name,
      prefix: "lost-completion",
      partSizeBytes: 5 * 1024 * 1024,
    });
    const body = patternBytes(11 * 1024 * 1024, 7);
    const meta = await store.putStream("part-0.parquet", chunked(body, 700_001), { ifNoneMatch: true });
    assert.ok(dropped >= 1, "the completion reply was dropped");
    assert.equal(meta.size, body.byteLength);
    assert.deepEqual(await store.get("part-0.parquet"), body);
    client.destroy();
  });

  it("resumes a read whose body was cut off halfway, from where it broke", async () => {
    const proxy = await startFaultyS3Proxy(bucket.connection.endpoint ?? "", {}, 7);
    const client = createS3Client({ ...bucket.connection, endpoint: proxy.endpoint });
    try {
      const direct = new S3Store({ client: bucket.client, bucket: bucket.name, prefix: "cut" });
      const body = patternBytes(3 * 1024 * 1024, 5);
      await direct.put("data.parquet", body);
      const store = new S3Store({ client, bucket: bucket.name, prefix: "cut" });
      // The first GET's reply is cut halfway; once its first bytes arrive the network heals, so
      // the ranged GET that resumes it goes through.
      proxy.setRates({ "cut-body": 1 });
      const chunks: Buffer[] = [];
      for await (const chunk of store.getStream("data.parquet")) {
        chunks.push(Buffer.from(chunk));
        proxy.setRates({});
      }
      assert.equal(proxy.injected["cut-body"], 1);
      assert.equal(proxy.requests, 2, "one cut GET, one resumed ranged GET");
      assert.deepEqual(Buffer.concat(chunks), Buffer.from(body));
    } finally {
      client.destroy();
      await proxy.close();
    }
  });

  it("names the bucket when it does not exist", async () => {
    const store = new S3Store({ client: bucket.client, bucket: `${bucket.name}-missing`, prefix: "t" });
    await assert.rejects(store.get("a.json"), (error: unknown) => {
      assert.ok(error instanceof S3RequestError);
      assert.equal(
        error.message,
        `S3 GetObject s3://${bucket.name}-missing/t/a.json failed: NoSuchBucket: the bucket does not exist (HTTP 404)`,
      );
      return true;
    });
  });

  it("reports refused credentials without printing them", async () => {
    const secret = `wrong-secret-${randomUUID()}`;
    const client = new S3Client({
      endpoint: bucket.connection.endpoint,
      forcePathStyle: true,
      region: process.env.AWS_REGION ?? "us-east-1",
      credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? "x", secretAccessKey: secret },
      maxAttempts: 1,
    });
    const store = new S3Store({ client, bucket: bucket.name });
    await assert.rejects(store.head("a.json"), (error: unknown) => {
      assert.ok(error instanceof S3RequestError);
      assert.equal(error.status, 403);
      assert.ok(!error.message.includes(secret));
      return true;
    });
    client.destroy();
  });
});

it("fails a request to a server that accepts the connection and never answers, after its retries", async () => {
  const sockets: Socket[] = [];
  const silent = createServer((socket) => sockets.push(socket)).listen(0, "127.0.0.1");
  await once(silent, "listening");
  const env = { ...process.env };
  // Signing needs some credentials; this server never looks at them.
  process.env.AWS_ACCESS_KEY_ID ??= "test";
  process.env.AWS_SECRET_ACCESS_KEY ??= "test";
  const client = createS3Client({
    endpoint: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
    idleTimeoutMs: 200,
    maxAttempts: 2,
  });
  try {
    const store = new S3Store({ client, bucket: "stalled" });
    await assert.rejects(store.head("a.json"), (error: unknown) => {
      assert.ok(error instanceof S3RequestError, String(error));
      assert.equal(sockets.length, 2, "the stalled request was retried once");
      return true;
    });
  } finally {
    client.destroy();
    for (const socket of sockets) socket.destroy();
    silent.close();
    process.env = env;
  }
});

it("parseS3Url splits s3://bucket/prefix and refuses other locations", () => {
  assert.deepEqual(parseS3Url("s3://lake-bronze"), { bucket: "lake-bronze", prefix: "" });
  assert.deepEqual(parseS3Url("s3://lake-bronze/retail/sales/"), {
    bucket: "lake-bronze",
    prefix: "retail/sales",
  });
  assert.throws(() => parseS3Url("s3://Bad_Bucket/x"), StorageError);
  assert.throws(() => parseS3Url("/data/lake"), {
    message: "Not an S3 location: /data/lake (expected s3://bucket or s3://bucket/prefix)",
  });
});
