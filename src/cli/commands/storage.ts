/** `lake storage apply [--dry-run] [--project DIR] [--json]`, `lake storage status [--project DIR] [--json]` */
import { applyStorage, type BucketReport, type StorageReport, storageStatus } from "../../lake/index.ts";
import { CliError } from "../cli-error.ts";
import type { Command } from "../command.ts";

const usage = `Usage: lake storage apply [--dry-run] [--project DIR] [--json]
       lake storage status [--project DIR] [--json]

Keeps the S3 buckets of the project's zones (s3://bucket[/prefix] in lake.json) set up.
  apply    creates a missing bucket and sets, on each:
             versioning        Enabled
             public access     all four Block Public Access flags on
             TLS-only policy   a bucket policy statement denying every request not made over TLS
             encryption        default encryption SSE-S3 (AES256), unless a default is already set
             lifecycle         per zone prefix, from lake.json storage.lifecycle (default: landing and
                               bronze to Standard-IA after 30 days, Glacier after 90); noncurrent
                               versions expire after storage.noncurrentVersionExpirationDays (30);
                               unfinished multipart uploads are aborted after
                               storage.abortIncompleteUploadsAfterDays (7)
           Lifecycle rules and policy statements it does not own are kept. Running it again
           changes nothing.
  status   shows what each bucket has set and what apply would change.
Zones in local folders are listed too: bucket settings do not apply to them.
Credentials come from the AWS environment, a profile or an IAM role, never from lake.json.

Options:
  --dry-run       (apply) print what would change, change nothing
  --project DIR   the project folder (default: the current folder or the nearest parent with lake.json)
  --json          print the report as JSON

Exit codes: 0 done; 1 an S3 error, or a setting the server does not support (apply sets all the
others first); 2 a usage or config error.`;

export const storage: Command = {
  summary: "create the zones' S3 buckets and keep their settings (versioning, lifecycle, ...)",
  usage,
  options: { "dry-run": { type: "boolean" }, project: { type: "string" }, json: { type: "boolean" } },
  async run(args, io) {
    const [action, ...extra] = args.positionals;
    if (action !== "apply" && action !== "status") {
      const what =
        action === undefined ? "Missing the storage command" : `Unknown storage command "${action}"`;
      throw new CliError(`${what}: expected apply or status.\n\n${usage}`);
    }
    if (extra.length > 0) throw new CliError(`Unexpected argument "${extra[0]}".\n\n${usage}`);
    const dryRun = args.values["dry-run"] === true;
    if (dryRun && action === "status") throw new CliError(`--dry-run goes with apply.\n\n${usage}`);
    const projectDir = typeof args.values.project === "string" ? args.values.project : ".";
    const report =
      action === "status" ? await storageStatus(projectDir) : await applyStorage(projectDir, { dryRun });
    io.stdout(args.values.json === true ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
    if (report.mode === "apply") failOnUnsupported(report.buckets);
  },
};

/**
 * Apply exits 1 when the server refused a setting as not supported: the buckets are not what the
 * project asks for, and a script must notice. Everything else was set before this.
 */
function failOnUnsupported(buckets: readonly BucketReport[]): void {
  const refused = buckets.flatMap((b) =>
    b.unsupported.map((u) => `${u.label} on s3://${b.bucket} (${u.reason})`),
  );
  if (refused.length === 0) return;
  throw new CliError(
    `storage apply: the server does not support ${refused.join("; ")}. Every other setting is in place; set ${
      refused.length === 1 ? "this one" : "these"
    } another way or use a server that supports ${refused.length === 1 ? "it" : "them"}.`,
    1,
  );
}

function formatReport(report: StorageReport): string {
  const lines = [`Project ${report.project.name} (${report.project.root})`];
  if (report.mode === "dry-run") lines.push("Dry run: nothing was changed.");
  if (report.buckets.length === 0) lines.push("No zone is on S3: there are no bucket settings to apply.");
  for (const bucket of report.buckets) lines.push("", ...formatBucket(bucket, report.mode));
  if (report.localLocations.length > 0) {
    lines.push("", "Local folders:");
    for (const { name, location } of report.localLocations) lines.push(`  ${name.padEnd(8)} ${location}`);
    lines.push(`  ${report.localNote ?? ""}`);
  }
  if (report.notes.length > 0) lines.push("", ...report.notes.map((note) => `Note: ${note}`));
  return `${lines.join("\n")}\n`;
}

function formatBucket(bucket: BucketReport, mode: StorageReport["mode"]): string[] {
  const where = bucket.locations.map((l) => `${l.name} (${l.prefix || "whole bucket"})`).join(", ");
  const lines = [`s3://${bucket.bucket}: ${where}`];
  if (mode === "status") {
    if (!bucket.existed) lines.push('  does not exist yet: "lake storage apply" creates it');
    else
      for (const setting of bucket.settings) {
        setting.current.forEach((line, i) => {
          lines.push(`  ${(i === 0 ? setting.label : "").padEnd(20)} ${line}`);
        });
      }
  }
  const verb = mode === "apply" ? "changed" : "would change";
  for (const change of bucket.changes) lines.push(`  ${verb}: ${change}`);
  // Status shows it in the setting's line already.
  if (mode !== "status")
    for (const { label, reason } of bucket.unsupported)
      lines.push(`  not supported by this server: ${label} (${reason})`);
  for (const note of bucket.notes) lines.push(`  note: ${note}`);
  if (bucket.changes.length === 0) {
    const done = mode === "apply" ? "Nothing to change" : "Up to date";
    lines.push(bucket.unsupported.length === 0 ? `  ${done}.` : `  ${done} otherwise.`);
  } else if (mode === "status") lines.push('  Run "lake storage apply" to make these changes.');
  return lines;
}
