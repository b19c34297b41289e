/**
 * `npm run schema`: writes `schema/lake.schema.json` from the schema in src/pipeline/config-schema.ts,
 * after any change there (test/pipeline/config-schema.test.ts fails until the file is written again),
 * formatted as the lint wants it.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { LAKE_SCHEMA, SCHEMA_FILE } from "../src/pipeline/config-schema.ts";

writeFileSync(SCHEMA_FILE, `${JSON.stringify(LAKE_SCHEMA, null, 2)}\n`);
execFileSync("npx", ["biome", "format", "--write", SCHEMA_FILE], { stdio: "ignore" });
process.stdout.write(`${SCHEMA_FILE} written\n`);
