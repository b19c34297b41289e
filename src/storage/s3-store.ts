/**
 * An `ObjectStore` in an S3 bucket (or under a prefix of one), through the AWS SDK v3.
 *
 * Put-if-absent is S3's conditional create (`If-None-Match: *`): of concurrent writers exactly one
 * gets 200, the others 412, so Delta commits need no lock service. Large objects are uploaded in
 * parts; a multipart upload becomes visible only when completed, so puts stay atomic. The SDK
 * retries throttling, 5xx and network errors with backoff and jitter (see `s3-client.ts`).
 */

import { Readable } from "node:stream";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { clampRange } from "./clamp-range.ts";
import { ObjectExistsError, ObjectNotFoundError, StorageError } from "./errors.ts";
import { validateKey, validatePrefix } from "./key.ts";
import { MultipartEtag } from "./multipart-etag.ts";
import type { ListOptions, ObjectMeta, ObjectStore, PutOptions } from "./object-store.ts";
import { attempts, isBrokenReply, isConditionalConflict, S3RequestError, s3Failure } from "./s3-errors.ts";

/** Where an S3Store keeps its objects. */
export interface S3StoreOptions {
  readonly client: S3Client;
  readonly bucket: string;
  /** A key prefix inside the bucket, without leading or trailing `/` (default: the bucket's root). */
  readonly prefix?: string;
  /** `putStream` bodies up to this size are one PutObject; larger ones a multipart upload (default 16 MiB). */
  readonly partSizeBytes?: number;
}

/**
 * The IAM actions an S3Store's requests need: on the bucket, ListObjectsV2 (`s3:ListBucket`); on its
 * objects, GetObject and HeadObject (`s3:GetObject`), PutObject, conditional or multipart
 * (`s3:PutObject`), DeleteObject, and the abort of a multipart upload that failed. Granting these on
 * the lake's buckets, and nothing else, is enough for every lake command but `lake storage apply`.
 */
export const S3_STORE_ACTIONS = {
  bucket: ["s3:ListBucket"],
  objects: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
} as const;

/** An `s3://bucket/prefix` URL split into its bucket and prefix. */
export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url);
  if (match === null) {
    throw new StorageError(`Not an S3 location: ${url} (expected s3://bucket or s3://bucket/prefix)`);
  }
  return { bucket: match[1] as string, prefix: (match[2] ?? "").replace(/^\/+|\/+$/g, "") };
}

/** An `ObjectStore` backed by S3. */
export class S3Store implements ObjectStore {
  /** `s3://bucket/prefix`. */
  readonly location: string;
  readonly #client: S3Client;
  readonly #bucket: string;
  /** The key prefix with its trailing `/` (empty at the bucket's root). */
  readonly #root: string;
  readonly #partSize: number;

  constructor(options: S3StoreOptions) {
    const prefix = (options.prefix ?? "").replace(/^\/+|\/+$/g, "");
    if (prefix !== "") validatePrefix(`${prefix}/`);
    this.#client = options.client;
    this.#bucket = options.bucket;
    this.#root = prefix === "" ? "" : `${prefix}/`;
    this.#partSize = options.partSizeBytes ?? 16 * 1024 * 1024;
    this.location = `s3://${options.bucket}${prefix === "" ? "" : `/${prefix}`}`;
  }

  /** @throws ObjectNotFoundError, InvalidKeyError, S3RequestError */
  async get(key: string): Promise<Uint8Array> {
    return this.#readBody("GetObject", key, () => this.#getObject(key));
  }

  /** Clamped as `clampRange` says. @throws ObjectNotFoundError, InvalidKeyError, RangeError, S3RequestError */
  async getRange(key: string, start: number, end: number): Promise<Uint8Array> {
    validateKey(key);
    clampRange(start, end, Number.MAX_SAFE_INTEGER); // refuses bad offsets before any request
    if (end <= start) {
      await this.head(key);
      return new Uint8Array(0);
    }
    try {
      const last = end === Number.POSITIVE_INFINITY ? "" : String(end - 1);
      return await this.#readBody("GetObject", key, () => this.#getObject(key, `bytes=${start}-${last}`));
    } catch (error) {
      // 416: the range starts at or past the end of an existing object.
      if (error instanceof S3RequestError && error.status === 416) return new Uint8Array(0);
      throw error;
    }
  }

  /** @throws ObjectNotFoundError, InvalidKeyError, S3RequestError */
  async head(key: string): Promise<ObjectMeta> {
    validateKey(key);
    try {
      const output = await this.#client.send(
        new HeadObjectCommand({ Bucket: this.#bucket, Key: this.#root + key }),
      );
      return {
        key,
        size: output.ContentLength ?? 0,
        lastModified: toMillis(output.LastModified),
        etag: output.ETag ?? "",
      };
    } catch (error) {
      throw s3Failure(this.location, "HeadObject", key, error);
    }
  }

  /** Pages through ListObjectsV2 (S3 lists in UTF-8 byte order). @throws InvalidKeyError, S3RequestError */
  async *list(prefix: string, options: ListOptions = {}): AsyncIterable<ObjectMeta> {
    validatePrefix(prefix);
    let continuationToken: string | undefined;
    do {
      let page: ListObjectsV2CommandOutput | undefined;
      // A page whose reply broke off after it started is requested again (the SDK's retries end once
      // a reply has started), as whole bodies are.
      for (let attempt = 1; page === undefined; attempt++) {
        try {
          page = await this.#client.send(
            new ListObjectsV2Command({
              Bucket: this.#bucket,
              Prefix: this.#root + prefix,
              ...(options.startAfter === undefined ? {} : { StartAfter: this.#root + options.startAfter }),
              ...(continuationToken === undefined ? {} : { ContinuationToken: continuationToken }),
            }),
          );
        } catch (error) {
          if (attempt >= BODY_ATTEMPTS || !isBrokenReply(error))
            throw s3Failure(this.location, "ListObjectsV2", prefix, error);
        }
      }
      for (const object of page.Contents ?? []) {
        if (object.Key === undefined) continue;
        yield {
          key: object.Key.slice(this.#root.length),
          size: object.Size ?? 0,
          lastModified: toMillis(object.LastModified),
          etag: object.ETag ?? "",
        };
      }
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken !== undefined);
  }

  /**
   * One PutObject, conditional with `ifNoneMatch`.
   * @throws ObjectExistsError with `ifNoneMatch` when the key exists; InvalidKeyError, S3RequestError
   */
  async put(key: string, body: Uint8Array, options: PutOptions = {}): Promise<ObjectMeta> {
    validateKey(key);
    for (let conflicts = 0; ; conflicts++) {
      try {
        await this.#client.send(
          new PutObjectCommand({
            Bucket: this.#bucket,
            Key: this.#root + key,
            Body: body,
            ...(options.ifNoneMatch ? { IfNoneMatch: "*" } : {}),
          }),
        );
        // Put replies carry no size or modification time; head is the single source of the meta.
        return this.head(key);
      } catch (error) {
        // S3 answers 409 ConditionalRequestConflict while another conditional write of the key is in
        // flight: nothing was written, and the answer to a retry (200 or 412) decides the race.
        if (isConditionalConflict(error) && conflicts < CONFLICT_RETRIES) {
          await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** conflicts * (0.5 + Math.random())));
          continue;
        }
        const failure = s3Failure(this.location, "PutObject", key, error);
        // A retried conditional put may be refused because its own earlier attempt succeeded (the
        // reply was lost): the object then holds exactly our bytes, and the put is ours.
        const retried = attempts(error) > 1 || conflicts > 0;
        if (failure instanceof ObjectExistsError && retried && (await this.#holds(key, body))) {
          return this.head(key);
        }
        throw failure;
      }
    }
  }

  /**
   * A body that fits in one part is one PutObject (see {@link put}); a larger one is a multipart
   * upload, visible only once completed, conditional with `ifNoneMatch` (If-None-Match on the
   * completion, which S3 enforces atomically; some compatible servers, Ceph 16 among them, ignore it
   * there, so the key is also checked before the upload starts). A retried completion refused with
   * 412 is recognised as ours by its multipart ETag, computed here from the parts' MD5s. Delta
   * commits are small, so they always take the single-PutObject path.
   * @throws ObjectExistsError, InvalidKeyError, S3RequestError, and the stream's own error
   */
  async putStream(
    key: string,
    body: AsyncIterable<Uint8Array>,
    options: PutOptions = {},
  ): Promise<ObjectMeta> {
    validateKey(key);
    const chunks = body[Symbol.asyncIterator]();
    const { head, done } = await readUpTo(chunks, this.#partSize);
    if (done) return this.put(key, head, options);
    if (options.ifNoneMatch && (await this.#exists(key))) {
      await chunks.return?.(); // release the caller's stream (an open file)
      throw new ObjectExistsError(this.location, key);
    }
    const etag = new MultipartEtag(this.#partSize);
    let bodyError: unknown;
    const rest = async function* () {
      try {
        etag.update(head);
        yield head;
        for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
          etag.update(next.value);
          yield next.value;
        }
      } catch (error) {
        bodyError = error;
        throw error;
      }
    };
    const upload = new Upload({
      client: this.#client,
      params: {
        Bucket: this.#bucket,
        Key: this.#root + key,
        Body: Readable.from(rest(), { objectMode: false }),
        ...(options.ifNoneMatch ? { IfNoneMatch: "*" } : {}),
      },
      partSize: this.#partSize,
      queueSize: 2,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (error) {
      // The caller's stream failed: its own error, not a storage one (the upload was aborted).
      if (bodyError !== undefined) throw bodyError;
      await chunks.return?.();
      const failure = s3Failure(this.location, "Upload", key, error);
      if (failure instanceof ObjectExistsError) {
        const meta = await this.head(key).catch(() => undefined);
        if (meta?.etag === etag.value() && meta.size === etag.size) return meta;
      }
      throw failure;
    }
    // The completion's reply may carry no ETag (Ceph); head is the single source of the meta.
    return this.head(key);
  }

  /** @throws ObjectNotFoundError (when reading starts), InvalidKeyError, S3RequestError */
  async *getStream(key: string): AsyncIterable<Uint8Array> {
    let output = await this.#getObject(key);
    const etag = output.ETag;
    let offset = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        for await (const chunk of output.Body as AsyncIterable<Uint8Array>) {
          offset += chunk.byteLength;
          yield chunk;
        }
        return;
      } catch (error) {
        // The connection broke mid-body (the SDK retries only until the headers arrive): resume
        // from where it broke, from the same version of the object.
        if (attempt >= BODY_ATTEMPTS)
          throw s3Failure(this.location, "GetObject (reading the body)", key, error);
        output = await this.#getObject(key, `bytes=${offset}-`, etag);
      }
    }
  }

  /** @throws InvalidKeyError, S3RequestError */
  async delete(key: string): Promise<void> {
    validateKey(key);
    try {
      await this.#client.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: this.#root + key }));
    } catch (error) {
      throw s3Failure(this.location, "DeleteObject", key, error);
    }
  }

  /** Objects in S3 have no local path. @throws InvalidKeyError */
  localPath(key: string): string | undefined {
    validateKey(key);
    return undefined;
  }

  /**
   * A whole body; a transfer that breaks after the headers is requested again (a few times), since
   * the SDK's retries end once a reply has started.
   */
  async #readBody(
    operation: string,
    key: string,
    request: () => Promise<GetObjectCommandOutput>,
  ): Promise<Uint8Array> {
    for (let attempt = 1; ; attempt++) {
      const output = await request();
      try {
        return await (output.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray();
      } catch (error) {
        if (attempt >= BODY_ATTEMPTS)
          throw s3Failure(this.location, `${operation} (reading the body)`, key, error);
      }
    }
  }

  async #getObject(key: string, range?: string, ifMatch?: string): Promise<GetObjectCommandOutput> {
    validateKey(key);
    try {
      return await this.#client.send(
        new GetObjectCommand({
          Bucket: this.#bucket,
          Key: this.#root + key,
          ...(range === undefined ? {} : { Range: range }),
          ...(ifMatch === undefined ? {} : { IfMatch: ifMatch }),
        }),
      );
    } catch (error) {
      throw s3Failure(this.location, "GetObject", key, error);
    }
  }

  async #exists(key: string): Promise<boolean> {
    try {
      await this.head(key);
      return true;
    } catch (error) {
      if (error instanceof ObjectNotFoundError) return false;
      throw error;
    }
  }

  /** Whether the object at `key` holds exactly `body`. */
  async #holds(key: string, body: Uint8Array): Promise<boolean> {
    try {
      return Buffer.from(await this.get(key)).equals(body);
    } catch {
      return false;
    }
  }
}

/** Attempts at reading a whole body whose transfer breaks after the reply started. */
const BODY_ATTEMPTS = 3;

/** How often a conditional put is retried after 409 ConditionalRequestConflict. */
const CONFLICT_RETRIES = 5;

/** S3 times have whole seconds in HEAD replies; listings are truncated alike so both agree. */
function toMillis(date: Date | undefined): number {
  return date === undefined ? 0 : Math.floor(date.getTime() / 1000) * 1000;
}

/** Reads from `chunks` until `limit` bytes are buffered or the stream ends. */
async function readUpTo(
  chunks: AsyncIterator<Uint8Array>,
  limit: number,
): Promise<{ head: Buffer; done: boolean }> {
  const buffered: Uint8Array[] = [];
  let size = 0;
  while (size <= limit) {
    const next = await chunks.next();
    if (next.done) return { head: Buffer.concat(buffered), done: true };
    buffered.push(next.value);
    size += next.value.byteLength;
  }
  return { head: Buffer.concat(buffered), done: false };
}
