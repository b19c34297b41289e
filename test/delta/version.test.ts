import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { it } from "node:test";
import { ENGINE_INFO, LAKE_VERSION } from "../../src/delta/version.ts";

it("records the package version as engineInfo medallion-lake/<version>", () => {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  assert.equal(LAKE_VERSION, pkg.version);
  assert.equal(ENGINE_INFO, `medallion-lake/${pkg.version}`);
});
