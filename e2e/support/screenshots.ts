import path from "node:path";
import type { Page } from "@playwright/test";

export const SCREENSHOT_DIR = path.join(process.env.STEWARD_RESULTS_DIR ?? "test-results", "screenshots");

/** A full-page screenshot into `${STEWARD_RESULTS_DIR:-test-results}/screenshots/<name>.png`. */
export async function screenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}) {
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: opts.fullPage ?? true });
}
