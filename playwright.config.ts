import { defineConfig } from "@playwright/test";

const port = Number(process.env.STEWARD_TEST_PORT ?? 3917);
const baseURL = `http://127.0.0.1:${port}`;
const results = process.env.STEWARD_RESULTS_DIR ?? "test-results";

export default defineConfig({
  testDir: "e2e",
  outputDir: `${results}/playwright`,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["json", { outputFile: `${results}/playwright.json` }], ["html", { outputFolder: `${results}/playwright-report`, open: "never" }]],
  use: {
    baseURL,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
  },
  webServer: {
    command: `npx next start -H 127.0.0.1 -p ${port}`,
    url: `${baseURL}/api/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      STEWARD_SEED: "demo",
      AUTH_SECRET: "steward-test-secret",
      STEWARD_BOOTSTRAP_API_KEY: process.env.STEWARD_API_KEY ?? "",
      STEWARD_TRINO_URL: process.env.STEWARD_TRINO_URL ?? "",
      STEWARD_CONSOLE_URL: baseURL,
      DATABASE_URL: process.env.DATABASE_URL ?? "",
    },
  },
});
