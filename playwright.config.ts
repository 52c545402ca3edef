import { defineConfig } from "@playwright/test";

const port = Number(process.env.STEWARD_TEST_PORT ?? 3917);
// localhost, not 127.0.0.1: Next hands route handlers "localhost" URLs, and OIDC needs one origin throughout.
const baseURL = `http://localhost:${port}`;
const results = process.env.STEWARD_RESULTS_DIR ?? "test-results";
const oidcPort = Number(process.env.STEWARD_TEST_OIDC_PORT ?? port + 81);

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
  webServer: [
    {
      // A real OpenID Connect provider for the SSO sign-in tests.
      command: "node e2e/support/oidc-provider.mjs",
      url: `http://127.0.0.1:${oidcPort}/.well-known/openid-configuration`,
      timeout: 30_000,
      reuseExistingServer: false,
      env: { STEWARD_TEST_OIDC_PORT: String(oidcPort), STEWARD_TEST_PORT: String(port) },
    },
    {
      // scripts/serve.mjs = next start, with the client address taken from the socket (sign-in throttle)
      command: `node scripts/serve.mjs`,
      url: `http://127.0.0.1:${port}/api/health`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
      env: {
        HOST: "127.0.0.1",
        PORT: String(port),
        STEWARD_SEED: "demo",
        AUTH_SECRET: "steward-test-secret",
        AUTH_URL: `${baseURL}/api/auth`,
        STEWARD_BOOTSTRAP_API_KEY: process.env.STEWARD_API_KEY ?? "",
        STEWARD_TRINO_URL: process.env.STEWARD_TRINO_URL ?? "",
        STEWARD_TRINO_PASSWORD: process.env.STEWARD_TRINO_PASSWORD ?? "",
        STEWARD_GOVERNED_CATALOG: process.env.STEWARD_GOVERNED_CATALOG ?? "",
        NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS ?? "",
        STEWARD_CONSOLE_URL: `http://127.0.0.1:${port}`,
        DATABASE_URL: process.env.DATABASE_URL ?? "",
        STEWARD_OIDC_ISSUER: `http://127.0.0.1:${oidcPort}`,
        STEWARD_OIDC_CLIENT_ID: "steward",
        STEWARD_OIDC_CLIENT_SECRET: "steward-oidc-test-secret",
      },
    },
  ],
});
