import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { sql } from "./support/db";
import { screenshot } from "./support/screenshots";
import { login } from "./support/session";
import { queryAs, TRINO_URL } from "./support/trino";

// Settings against the real Trino: test the connection, create the governed catalog through CREATE CATALOG,
// revoke its key (the catalog fails closed), and webhooks delivered to a real local HTTP server.
test.describe.configure({ mode: "serial" });

const CONSOLE_URL = `http://127.0.0.1:${process.env.STEWARD_TEST_PORT ?? 3917}`;
const integration = (page: Page) => page.getByRole("form", { name: "Trino integration" });

test("admin tests the Trino connection: success, then a clear failure for a wrong URL", async ({ page }) => {
  await login(page, "admin");
  await page.goto("/settings");
  await expect(integration(page).getByLabel("Trino URL")).toHaveValue(TRINO_URL);
  await integration(page).getByRole("button", { name: "Test connection" }).click();
  const result = page.getByTestId("connection-result");
  await expect(result).toContainText(/Connected to Trino 476 as steward: SELECT 1 worked\. The catalog governed exists\./);
  await expect(page.getByTestId("connection-auth")).toHaveText("Trino authenticates: steward cannot be claimed without its password.");
  await screenshot(page, "admin-settings-connection-ok");

  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  const nowhere = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise((resolve) => closed.close(resolve));
  await integration(page).getByLabel("Trino URL").fill(nowhere);
  await integration(page).getByRole("button", { name: "Test connection" }).click();
  await expect(result).toContainText(`Connection failed: Trino at ${nowhere} is not reachable: the connection was refused (is Trino running on that port?)`);
  await integration(page).getByLabel("Trino URL").fill("not a url");
  await integration(page).getByRole("button", { name: "Test connection" }).click();
  await expect(integration(page).locator("#trinoUrl-error")).toContainText("must be an http(s) URL");
  await screenshot(page, "admin-settings-connection-failed", { fullPage: false });
  // Nothing was saved by testing.
  const [row] = await sql<{ trinoUrl: string }>(`SELECT "trinoUrl" FROM "Integration" WHERE id = 1`);
  expect(row.trinoUrl).toBe(TRINO_URL);
});

test("admin creates the governed catalog from Settings: the API key comes from Trino's environment and is in no recorded query", async ({ page }) => {
  const catalog = `governed_adm_${Date.now().toString(36)}`;
  const apiKey = process.env.STEWARD_API_KEY ?? "";
  expect(apiKey).toMatch(/^stw_/);
  await login(page, "admin");
  await page.goto("/settings");
  let created = false;
  try {
    await integration(page).getByLabel("Governed catalog name").fill(catalog);
    await integration(page).getByRole("button", { name: "Save settings" }).click();
    await expect(integration(page).getByText("Settings saved.")).toBeVisible();
    await expect(page.getByTestId("catalog-properties")).toContainText(
      `connector.name=steward\nsteward.console-url=${CONSOLE_URL}\nsteward.api-key=\${ENV:STEWARD_API_KEY}`,
    );
    await expect(page.getByTestId("catalog-sql")).toContainText(`CREATE CATALOG ${catalog} USING steward WITH (`);
    await expect(page.getByTestId("catalog-sql")).toContainText(`"steward.api-key" = '\${ENV:STEWARD_API_KEY}'`);

    await page.getByRole("button", { name: `Create catalog ${catalog} in Trino` }).click();
    await expect(page.getByTestId("catalog-result")).toHaveText(
      `Created catalog ${catalog}. Its API key comes from Trino's environment variable STEWARD_API_KEY and the console accepts it. Revoking that key makes the catalog fail closed.`,
    );
    created = true;
    await screenshot(page, "admin-settings-catalog-created");

    const tables = await queryAs("alice", `SHOW TABLES FROM ${catalog}.hr`);
    expect(tables.rows.flat()).toContain("employees");
    const count = await queryAs("alice", `SELECT count(*) FROM ${catalog}.hr.employees`);
    expect(Number(count.rows[0][0])).toBeGreaterThan(100);

    // Trino recorded the statement (the service user sees every query): the reference, never the key.
    const history = await queryAs("steward", `SELECT query FROM system.runtime.queries WHERE query LIKE '%CREATE CATALOG ${catalog}%'`);
    const texts = history.rows.map((r) => String(r[0])).filter((q) => q.startsWith("CREATE CATALOG"));
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain(`"steward.api-key" = '\${ENV:STEWARD_API_KEY}'`);
    const everything = JSON.stringify((await queryAs("steward", `SELECT query FROM system.runtime.queries`)).rows);
    expect(everything.includes(apiKey), "the API key is in Trino's query history").toBe(false);

    // Creating it again: Trino says it exists; the console says so.
    await page.getByRole("button", { name: `Create catalog ${catalog} in Trino` }).click();
    await expect(page.getByRole("region", { name: "Governed catalog" }).getByRole("alert")).toContainText(`Trino already has a catalog named ${catalog}`);
  } finally {
    if (created) await queryAs("steward", `DROP CATALOG ${catalog}`);
    const res = await page.request.put("/api/integration", {
      data: { trinoUrl: TRINO_URL, serviceUser: "steward", governedCatalog: "governed", consoleUrl: CONSOLE_URL },
    });
    expect(res.status(), await res.text()).toBe(200);
  }
  const audit = await sql<{ action: string }>(`SELECT action FROM "AuditEvent" WHERE "targetId" = $1 ORDER BY "createdAt"`, [catalog]);
  expect(audit.map((a) => a.action)).toEqual(["catalog.create"]);
});

test("admin creates an API key (shown once) and revokes it; the view API then answers 401", async ({ page }) => {
  await login(page, "admin");
  await page.goto("/settings");
  const name = `e2e key ${Date.now().toString(36)}`;
  const form = page.getByRole("form", { name: "New API key" });
  await form.getByLabel("New key name").fill(name);
  await form.getByRole("button", { name: "Create API key" }).click();
  const key = (await page.getByTestId("new-api-key").textContent()) ?? "";
  expect(key).toMatch(/^stw_/);
  const epochOk = await page.request.get("/api/trino/v1/epoch", { headers: { authorization: `Bearer ${key}` } });
  expect(epochOk.status()).toBe(200);
  await page.reload();
  await expect(page.getByTestId("new-api-key")).toHaveCount(0);
  await expect(page.getByRole("main")).not.toContainText(key);
  await page.getByRole("button", { name: `Revoke the key ${name}` }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Revoke key" }).click();
  await expect(page.getByRole("row").filter({ hasText: name })).toContainText("revoked");
  const epochRevoked = await page.request.get("/api/trino/v1/epoch", { headers: { authorization: `Bearer ${key}` } });
  expect(epochRevoked.status()).toBe(401);
});

test("webhooks: a signed event reaches a real HTTP server after the change; disabled and deleted hooks get nothing", async ({ page }) => {
  const secret = "e2e-webhook-secret-0123456789";
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/steward`;
  try {
    await login(page, "admin");
    await page.goto("/settings");
    const form = page.getByRole("form", { name: "New webhook" });
    await form.getByLabel("URL").fill("ftp://nope");
    await form.getByLabel("Events").fill("group.*");
    await form.getByRole("button", { name: "Add webhook" }).click();
    await expect(form.locator("#webhook-url-error")).toBeVisible();
    await form.getByLabel("URL").fill(url);
    await form.getByLabel("Secret").fill(secret);
    await form.getByRole("button", { name: "Add webhook" }).click();
    await expect(page.getByRole("table", { name: "Webhooks" })).toContainText(url);
    await screenshot(page, "admin-settings-webhooks");

    // A matching event (group.create) is delivered, signed; a non-matching one (apikey.create) is not.
    const group = `hook-${Date.now().toString(36)}`;
    expect((await page.request.post("/api/api-keys", { data: { name: "not a group event" } })).status()).toBe(200);
    expect((await page.request.post("/api/groups", { data: { name: group } })).status()).toBe(200);
    await expect.poll(() => received.length).toBe(1);
    const [hit] = received;
    expect(hit.headers["x-steward-event"]).toBe("group.create");
    expect(hit.headers["x-steward-signature"]).toBe(`sha256=${createHmac("sha256", secret).update(hit.body).digest("hex")}`);
    expect(JSON.parse(hit.body)).toMatchObject({ action: "group.create", actor: "admin", targetType: "group", details: { name: group } });

    // Disabled: nothing arrives.
    await page.getByRole("button", { name: `Disable the webhook ${url}` }).click();
    await expect(page.getByRole("row").filter({ hasText: url })).toContainText("disabled");
    expect((await page.request.post("/api/groups", { data: { name: `${group}-2` } })).status()).toBe(200);
    await page.waitForTimeout(1000);
    expect(received).toHaveLength(1);

    await page.getByRole("button", { name: `Delete the webhook ${url}` }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete webhook" }).click();
    await expect(page.getByRole("table", { name: "Webhooks" })).toHaveCount(0);
    await expect(page.getByText("No webhooks yet.")).toBeVisible();
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
