/**
 * Debian's chromium for the browser tests (playwright-core never downloads one). scripts/run-tests.ts
 * installs it when it is missing; a test file that needs it skips with the reason when it is still
 * missing, except under CI, where that is a failure.
 */
import { accessSync, constants } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** Where the browser is: `CHROMIUM_PATH`, or Debian's package. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Why the browser tests cannot run here, or undefined when they can. @throws under CI instead. */
export function chromiumMissing(): string | undefined {
  try {
    accessSync(CHROMIUM_PATH, constants.X_OK);
    return undefined;
  } catch {
    const reason = `no chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH)`;
    if (process.env.CI) throw new Error(`Under CI the browser tests must run: ${reason}`);
    return reason;
  }
}

/** Launches the browser headless. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH });
}
