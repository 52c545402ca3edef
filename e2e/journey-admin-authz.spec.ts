import { expect, test, type APIRequestContext } from "@playwright/test";
import { sql } from "./support/db";
import { login } from "./support/session";

// Admin actions are enforced on the server: a non-admin calling them directly gets 403 and the database is
// exactly as before (no row, no audit event, no epoch bump). Bad input from an admin: 409/422, nothing changed.

/** Everything an admin action could touch, as one comparable snapshot. */
async function snapshot() {
  const [row] = await sql<Record<string, string>>(`
    SELECT (SELECT count(*) FROM "User")::text AS users,
           (SELECT string_agg(username || ':' || array_to_string(roles, '+') || ':' || disabled, ',' ORDER BY username) FROM "User") AS user_rows,
           (SELECT count(*) FROM "Group")::text AS groups,
           (SELECT count(*) FROM "GroupMember")::text AS memberships,
           (SELECT string_agg(key || '=' || value, ',' ORDER BY "userId", key, value) FROM "UserAttribute") AS attributes,
           (SELECT count(*) FROM "ApiKey" WHERE "revokedAt" IS NULL)::text AS active_keys,
           (SELECT count(*) FROM "Webhook")::text AS webhooks,
           (SELECT "trinoUrl" || ' ' || "serviceUser" || ' ' || "governedCatalog" || ' ' || "consoleUrl" FROM "Integration" WHERE id = 1) AS integration,
           (SELECT count(*) FROM "AuditEvent")::text AS audit,
           (SELECT value FROM "Epoch" WHERE id = 1)::text AS epoch`);
  return row;
}

async function ids() {
  const [alice] = await sql<{ id: string }>(`SELECT id FROM "User" WHERE username = 'alice'`);
  const [key] = await sql<{ id: string }>(`SELECT id FROM "ApiKey" WHERE "revokedAt" IS NULL ORDER BY "createdAt" LIMIT 1`);
  return { alice: alice.id, key: key.id };
}

const attempts = (id: { alice: string; key: string }) =>
  [
    ["POST /api/users", (r: APIRequestContext) => r.post("/api/users", { data: { username: "mallory", password: "mallory-password", roles: ["ADMIN"] } })],
    ["PATCH /api/users/:alice", (r: APIRequestContext) => r.patch(`/api/users/${id.alice}`, { data: { roles: ["ADMIN"], attributes: [{ key: "region", value: "US" }] } })],
    ["POST /api/groups", (r: APIRequestContext) => r.post("/api/groups", { data: { name: "mallory-crew", members: ["alice"] } })],
    ["POST /api/api-keys", (r: APIRequestContext) => r.post("/api/api-keys", { data: { name: "stolen" } })],
    ["DELETE /api/api-keys/:id", (r: APIRequestContext) => r.delete(`/api/api-keys/${id.key}`)],
    ["POST /api/webhooks", (r: APIRequestContext) => r.post("/api/webhooks", { data: { url: "http://127.0.0.1:9/leak", events: ["*"] } })],
    ["PUT /api/integration", (r: APIRequestContext) => r.put("/api/integration", { data: { trinoUrl: "http://evil:8080", serviceUser: "steward", governedCatalog: "governed", consoleUrl: "http://evil" } })],
  ] as const;

for (const persona of ["alice", "gwen", "audrey"]) {
  test(`${persona} (not ADMIN) calling admin routes directly gets 403 and changes nothing`, async ({ page }) => {
    await login(page, persona);
    const before = await snapshot();
    for (const [what, call] of attempts(await ids())) {
      const res = await call(page.request);
      expect(res.status(), what).toBe(403);
      expect((await res.json()).error, what).toMatch(/ADMIN/);
    }
    expect(await snapshot()).toEqual(before);
  });
}

test("signed out, admin routes answer 401 and change nothing", async ({ request }) => {
  const before = await snapshot();
  for (const [what, call] of attempts(await ids())) {
    const res = await call(request);
    expect(res.status(), what).toBe(401);
  }
  expect(await snapshot()).toEqual(before);
});

test("admin: a taken username is 409, an invalid one 422 with the field named, and nothing changes", async ({ page }) => {
  await login(page, "admin");
  const before = await snapshot();
  const taken = await page.request.post("/api/users", { data: { username: "ALICE", password: "long-enough-pw" } });
  expect(taken.status()).toBe(409);
  expect((await taken.json()).error).toBe("A user named 'alice' already exists.");
  const invalid = await page.request.post("/api/users", { data: { username: "bad name", password: "long-enough-pw" } });
  expect(invalid.status()).toBe(422);
  expect((await invalid.json()).fieldErrors).toHaveProperty("username");
  const unknownGroup = await page.request.post("/api/users", { data: { username: "zoe", password: "long-enough-pw", groups: ["no-such-group"] } });
  expect(unknownGroup.status()).toBe(422);
  expect((await unknownGroup.json()).error).toContain("Unknown group: no-such-group");
  const groupTaken = await page.request.post("/api/groups", { data: { name: "HR" } });
  expect(groupTaken.status()).toBe(409);
  const [admin] = await sql<{ id: string }>(`SELECT id FROM "User" WHERE username = 'admin'`);
  const selfDemote = await page.request.patch(`/api/users/${admin.id}`, { data: { roles: ["AUDITOR"] } });
  expect(selfDemote.status()).toBe(422);
  const selfDisable = await page.request.patch(`/api/users/${admin.id}`, { data: { disabled: true } });
  expect(selfDisable.status()).toBe(422);
  expect(await snapshot()).toEqual(before);
});
