/**
 * The engineInfo every commit records. Kept equal to package.json's version by a test
 * (test/delta/version.test.ts), so the protocol layer needs no file access to know it.
 */
export const LAKE_VERSION = "0.1.0";

export const ENGINE_INFO = `medallion-lake/${LAKE_VERSION}`;
