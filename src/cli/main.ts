#!/usr/bin/env node
/** The `lake` executable. */
import { runCli } from "./run-cli.ts";

// The AWS SDK warns on every run under Node 20 that its releases after January 2027 will need
// Node 22. The SDK version is pinned (package.json) for Node 20, so the warning tells a user of the
// CLI nothing they can act on; setting the variable yourself keeps your choice.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

// A reader that stops early (`lake read … | head`) closes the pipe: that ends the command quietly.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(0);
});

process.exitCode = await runCli(process.argv.slice(2));
