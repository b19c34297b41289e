import { createHash } from "node:crypto";

/**
 * The ETag S3 gives an object uploaded in parts of `partSize` bytes: the MD5 of the parts' MD5s,
 * then `-<parts>` (for objects not encrypted with KMS).
 */
export class MultipartEtag {
  readonly #partDigests: Buffer[] = [];
  #part = createHash("md5");
  #partBytes = 0;
  size = 0;

  constructor(readonly partSize: number) {}

  update(bytes: Uint8Array): void {
    let offset = 0;
    while (offset < bytes.byteLength) {
      const take = Math.min(this.partSize - this.#partBytes, bytes.byteLength - offset);
      this.#part.update(bytes.subarray(offset, offset + take));
      this.#partBytes += take;
      this.size += take;
      offset += take;
      if (this.#partBytes === this.partSize) this.#finishPart();
    }
  }

  value(): string {
    const digests =
      this.#partBytes > 0 ? [...this.#partDigests, this.#part.copy().digest()] : this.#partDigests;
    return `"${createHash("md5").update(Buffer.concat(digests)).digest("hex")}-${digests.length}"`;
  }

  #finishPart(): void {
    this.#partDigests.push(this.#part.digest());
    this.#part = createHash("md5");
    this.#partBytes = 0;
  }
}
