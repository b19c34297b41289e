import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import { REPO_ROOT } from "./synth.ts";

// The Dockerfile, linted with dockerfilelint (hadolint cannot be installed offline here), and the
// promises its header makes, read from its instructions. What the image holds is shown by
// package-install.test.ts, which installs the package the way its deps stage does.

const exec = promisify(execFile);
const dockerfile = readFileSync(join(REPO_ROOT, "Dockerfile"), "utf8");
const instructions = dockerfile
  .replace(/\\\n\s*/g, " ")
  .split("\n")
  .filter((line) => line.trim() !== "" && !line.startsWith("#"));
/** The instructions of one stage, by its name. */
const stage = (name: string) => {
  const start = instructions.findIndex((line) => new RegExp(`^FROM \\S+ AS ${name}$`).test(line));
  const end = instructions.findIndex((line, i) => i > start && line.startsWith("FROM "));
  return instructions.slice(start, end === -1 ? undefined : end);
};

describe("the Dockerfile", () => {
  it("passes dockerfilelint, but for a tag on a FROM that names an earlier stage", async () => {
    type Report = { files: { issues: { line: string; content: string; title: string }[] }[] };
    const report: Report = await exec("npx", ["dockerfilelint", "-j", "Dockerfile"], { cwd: REPO_ROOT }).then(
      ({ stdout }) => JSON.parse(stdout),
      // dockerfilelint exits with the number of issues.
      (error: { stdout: string }) => JSON.parse(error.stdout),
    );
    const stages = [...dockerfile.matchAll(/^FROM \S+ AS (\S+)$/gm)].map((m) => m[1]);
    const issues = (report.files[0]?.issues ?? []).filter(
      (issue) =>
        !(
          issue.title === "Base Image Missing Tag" && stages.includes(/^FROM (\S+)/.exec(issue.content)?.[1])
        ),
    );
    assert.deepEqual(issues, []);
  });

  it("builds on a pinned Node 20 slim image and installs production dependencies by the lockfile", () => {
    const bases = instructions.filter((l) => l.startsWith("FROM ")).map((l) => l.split(" ")[1]);
    assert.deepEqual(bases, [
      "node:20.20-bookworm-slim",
      "node:20.20-bookworm-slim",
      "node:20.20-bookworm-slim",
      "runtime",
    ]);
    assert.ok(stage("deps").some((l) => l.includes("npm ci --omit=dev --ignore-scripts")));
    assert.ok(!stage("runtime").some((l) => /npm (ci|install)/.test(l)), "the runtime installs nothing");
  });

  it("runs lake as a non-root user, with lake as the entrypoint, in the runtime and the task", () => {
    const runtime = stage("runtime");
    assert.ok(runtime.includes("USER lake"));
    assert.ok(runtime.indexOf("USER lake") < runtime.indexOf('ENTRYPOINT ["lake"]'));
    assert.ok(!stage("task").some((l) => l.startsWith("USER ")), "the task keeps the runtime's user");
  });
});
