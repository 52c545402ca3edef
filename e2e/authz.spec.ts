import { expect, test } from "@playwright/test";
import { sql } from "./support/db";
import { login } from "./support/session";

// Security lives on the server: direct requests without the role get 403 and change nothing.
async function policyCount() {
  const [row] = await sql<{ n: string }>(`SELECT count(*)::text AS n FROM "DataPolicy"`);
  return Number(row.n);
}

async function auditCount() {
  const [row] = await sql<{ n: string }>(`SELECT count(*)::text AS n FROM "AuditEvent"`);
  return Number(row.n);
}

const maskEveryone = (dataSourceId: string) => ({
  name: "should never exist",
  scope: "LOCAL",
  dataSourceId,
  who: { type: "EVERYONE" },
  action: { type: "MASK", target: { columns: ["name"] }, mask: { method: "NULL" } },
});

test("signed out, the policy API answers 401 and changes nothing", async ({ request }) => {
  const before = await policyCount();
  const res = await request.post("/api/policies", { data: { name: "x" } });
  expect(res.status()).toBe(401);
  expect((await res.json()).error).toMatch(/sign in/i);
  expect(await policyCount()).toBe(before);
});

test("alice (no GOVERNOR) posting a policy directly gets 403 and nothing changes", async ({ page }) => {
  await login(page, "alice");
  const [ds] = await sql<{ id: string }>(`SELECT id FROM "DataSource" LIMIT 1`);
  const [policies, audits] = [await policyCount(), await auditCount()];
  const res = await page.request.post("/api/policies", { data: maskEveryone(ds.id) });
  expect(res.status()).toBe(403);
  expect((await res.json()).error).toMatch(/GOVERNOR/);
  expect(await policyCount()).toBe(policies);
  expect(await auditCount()).toBe(audits);
});

test("alice cannot delete an existing policy either", async ({ page }) => {
  await login(page, "alice");
  const [policy] = await sql<{ id: string }>(`SELECT id FROM "DataPolicy" LIMIT 1`);
  const res = await page.request.delete(`/api/policies/${policy.id}`);
  expect(res.status()).toBe(403);
  expect(await sql(`SELECT id FROM "DataPolicy" WHERE id = $1`, [policy.id])).toHaveLength(1);
});

test("olivia (data owner, not governor) cannot create a global policy", async ({ page }) => {
  await login(page, "olivia");
  const before = await policyCount();
  const res = await page.request.post("/api/policies", {
    data: { name: "global by owner", scope: "GLOBAL", tag: "PII", who: { type: "EVERYONE" }, action: { type: "MASK", target: { tag: "PII" }, mask: { method: "NULL" } } },
  });
  expect(res.status()).toBe(403);
  expect(await policyCount()).toBe(before);
});

test("invalid policy input gets 422 with a clear message and changes nothing", async ({ page }) => {
  await login(page, "gwen");
  const [ds] = await sql<{ id: string }>(`SELECT id FROM "DataSource" LIMIT 1`);
  const before = await policyCount();
  const res = await page.request.post("/api/policies", {
    data: { ...maskEveryone(ds.id), action: { type: "MASK", target: { columns: ["name"] }, mask: { method: "SHOW_FIRST", n: -3 } } },
  });
  expect(res.status()).toBe(422);
  expect((await res.json()).error).toMatch(/Invalid input/);
  expect(await policyCount()).toBe(before);
});
