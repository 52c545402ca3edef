import { expect, request, test, type APIRequestContext } from "@playwright/test";
import { apiLogin, CONSOLE_URL } from "./support/api-session";
import { sql } from "./support/db";
import { login } from "./support/session";
import { screenshot } from "./support/screenshots";

// Security issue #8, items 7 and 8, over real HTTP against the running console: headers, same-origin JSON
// writes, bounded bodies, bad input as a 4xx (never a 500), sessions that end, and the sign-in throttle.

const suffix = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const PASSWORD = "security-e2e-password";

async function createUser(admin: APIRequestContext, username: string): Promise<string> {
  const res = await admin.post("/api/users", { data: { username, password: PASSWORD } });
  expect(res.status(), await res.text()).toBe(200);
  return ((await res.json()) as { id: string }).id;
}

/** Whether the context's session cookie still signs it in (a console page, not the login redirect). */
async function signedIn(ctx: APIRequestContext): Promise<boolean> {
  const res = await ctx.get("/data-sources", { maxRedirects: 0 });
  return res.status() === 200;
}

async function groupExists(name: string) {
  return (await sql(`SELECT 1 FROM "Group" WHERE name = $1`, [name])).length > 0;
}

test("every page and API answer forbids framing and content sniffing", async ({ request }) => {
  for (const path of ["/login", "/api/health", "/api/trino/v1/epoch"]) {
    const res = await request.get(path, { maxRedirects: 0 });
    const h = res.headers();
    expect(h["content-security-policy"], path).toContain("frame-ancestors 'none'");
    expect(h["x-frame-options"], path).toBe("DENY");
    expect(h["x-content-type-options"], path).toBe("nosniff");
  }
});

test("writes from another origin are 403; non-JSON bodies 415; huge bodies 413; bad JSON 422 — nothing changes", async () => {
  const admin = await apiLogin("admin");
  const name = `sec-${suffix()}`;

  const foreign = await admin.post("/api/groups", { data: { name }, headers: { origin: "http://evil.example" } });
  expect(foreign.status()).toBe(403);
  expect((await foreign.json()).error).toMatch(/Cross-origin/);
  const nullOrigin = await admin.post("/api/groups", { data: { name }, headers: { origin: "null" } });
  expect(nullOrigin.status()).toBe(403);

  const plain = await admin.post("/api/groups", { data: JSON.stringify({ name }), headers: { "content-type": "text/plain" } });
  expect(plain.status()).toBe(415);
  const form = await admin.post("/api/groups", { form: { name } });
  expect(form.status()).toBe(415);

  const huge = await admin.post("/api/groups", { data: JSON.stringify({ name, description: "x".repeat(2_000_000) }), headers: { "content-type": "application/json" } });
  expect(huge.status()).toBe(413);

  for (const body of ["[1]", "null", '"x"', "{", JSON.stringify({ name, description: "a\u0000b" }), `{"name":"${name}","description":"\\ud800"}`]) {
    const res = await admin.post("/api/groups", { data: body, headers: { "content-type": "application/json" } });
    expect(res.status(), body.slice(0, 40)).toBe(422);
    expect(typeof (await res.json()).error).toBe("string");
  }
  const tooLong = await admin.post("/api/groups", { data: { name, description: "d".repeat(2001) } });
  expect(tooLong.status()).toBe(422);
  expect(await groupExists(name)).toBe(false);

  // The console's own origin (as a browser sends it) works.
  const own = await admin.post("/api/groups", { data: { name }, headers: { origin: CONSOLE_URL } });
  expect(own.status(), await own.text()).toBe(200);
  expect(await groupExists(name)).toBe(true);
  await admin.delete(`/api/groups/${((await own.json()) as { id: string }).id}`, { headers: { origin: CONSOLE_URL } });
  await admin.dispose();
});

test("view API path segments that are not text are a JSON 400, never a 500", async ({ request }) => {
  for (const segment of ["%00", "a%00b", "%ZZ", "%C3%28", "%FF", "%ED%A0%80"]) {
    for (const path of [`/api/trino/v1/users/${segment}/schemas`, `/api/trino/v1/users/alice/schemas/${segment}/views/x`]) {
      const res = await request.get(path, { headers: { authorization: "Bearer stw_not_a_key" } });
      expect(res.status(), path).toBe(400);
      expect(await res.json(), path).toMatchObject({ code: "BAD_REQUEST", error: expect.any(String) });
    }
  }
  const project = await request.get("/api/trino/v1/users/alice/schemas?project=%00", { headers: { authorization: "Bearer stw_not_a_key" } });
  expect(project.status()).toBe(400);
  // A well-formed request goes on to the key check.
  expect((await request.get("/api/trino/v1/users/alice/schemas", { headers: { authorization: "Bearer stw_not_a_key" } })).status()).toBe(401);
});

test("console API path segments that are not text are a 400, not a database error", async () => {
  const admin = await apiLogin("admin");
  for (const segment of ["%00", "%ZZ", "%C3%28"]) {
    const res = await admin.get(`/api/users/${segment}`);
    expect(res.status(), segment).toBe(400);
    expect(typeof (await res.json()).error).toBe("string");
  }
  await admin.dispose();
});

test("prototype names are no subscription decision (404), and nothing changes", async () => {
  const alice = await apiLogin("alice");
  const [sub] = await sql<{ id: string; state: string }>(`SELECT id, state FROM "Subscription" LIMIT 1`);
  const id = sub?.id ?? "none";
  for (const decision of ["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf"]) {
    const res = await alice.post(`/api/subscriptions/${id}/${decision}`, { data: {} });
    expect(res.status(), decision).toBe(404);
    expect((await res.json()).error).toMatch(/Unknown decision/);
  }
  if (sub) expect((await sql<{ state: string }>(`SELECT state FROM "Subscription" WHERE id = $1`, [id]))[0].state).toBe(sub.state);
  await alice.dispose();
});

test("audit filters that are no date (or not text) show a message instead of a 500", async ({ page }) => {
  await login(page, "audrey");
  const res = await page.goto("/audit?from=2026-13-45");
  expect(res?.status()).toBe(200);
  await expect(page.getByText(/No such date/).first()).toBeVisible();
  await expect(page.getByTestId("audit-count")).toBeVisible();
  const nul = await page.goto("/audit?actor=%00");
  expect(nul?.status()).toBe(200);
  await expect(page.getByText(/Some filters were not applied/)).toBeVisible();
});

test("signing out ends every copy of the session cookie; signing in again works", async () => {
  const admin = await apiLogin("admin");
  const username = `sec-out-${suffix()}`;
  await createUser(admin, username);
  const first = await apiLogin(username, PASSWORD);
  const copy = await request.newContext({ baseURL: CONSOLE_URL, storageState: await first.storageState() });
  expect(await signedIn(copy)).toBe(true);

  const { csrfToken } = (await (await first.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const out = await first.post("/api/auth/signout", { form: { csrfToken, callbackUrl: CONSOLE_URL }, maxRedirects: 0 });
  expect([200, 302, 303]).toContain(out.status());
  expect(await signedIn(copy)).toBe(false);

  const again = await apiLogin(username, PASSWORD);
  expect(await signedIn(again)).toBe(true);
  await Promise.all([admin, first, copy, again].map((c) => c.dispose()));
});

test("an admin's password reset and the user's own password change end the user's sessions", async ({ page }) => {
  const admin = await apiLogin("admin");
  const username = `sec-pw-${suffix()}`;
  const id = await createUser(admin, username);

  const before = await apiLogin(username, PASSWORD);
  expect(await signedIn(before)).toBe(true);
  await login(page, "admin");
  await page.goto(`/people/users/${id}`);
  await page.getByLabel(`New password for ${username}`).fill("reset-by-admin-1");
  await page.getByRole("button", { name: "Set password" }).click();
  await expect(page.getByText("Password set.")).toBeVisible();
  expect(await signedIn(before)).toBe(false);

  const user = await apiLogin(username, "reset-by-admin-1");
  const wrong = await user.put("/api/me/password", { data: { currentPassword: "not-it", newPassword: "changed-by-user-1" } });
  expect(wrong.status()).toBe(422);
  expect(await signedIn(user)).toBe(true);
  const changed = await user.put("/api/me/password", { data: { currentPassword: "reset-by-admin-1", newPassword: "changed-by-user-1" } });
  expect(changed.status(), await changed.text()).toBe(200);
  expect(await signedIn(user)).toBe(false);
  expect(await signedIn(await apiLogin(username, "changed-by-user-1"))).toBe(true);
  await Promise.all([admin, before, user].map((c) => c.dispose()));
});

test("five wrong passwords lock the user: the right one is then refused with the minutes to wait", async ({ page }) => {
  const admin = await apiLogin("admin");
  const username = `sec-lock-${suffix()}`;
  await createUser(admin, username);

  const ctx = await request.newContext({ baseURL: CONSOLE_URL });
  const attempt = async (password: string) => {
    const { csrfToken } = (await (await ctx.get("/api/auth/csrf")).json()) as { csrfToken: string };
    const res = await ctx.post("/api/auth/callback/credentials", { form: { username, password, csrfToken, callbackUrl: CONSOLE_URL }, maxRedirects: 0 });
    return res.headers().location ?? "";
  };
  for (let i = 0; i < 5; i++) expect(await attempt("wrong-password")).toContain("code=credentials");
  expect(await attempt(PASSWORD)).toContain("code=too_many_attempts");

  await page.goto("/login");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.locator("#login-error")).toHaveText("Too many sign-in attempts; try again in 15 minutes.");

  // Another user signs in as usual.
  expect(await signedIn(await apiLogin("alice"))).toBe(true);
  await Promise.all([admin, ctx].map((c) => c.dispose()));
});

test("a client cannot dodge the per-address limit by claiming another address in X-Forwarded-For", async () => {
  await sql(`DELETE FROM "LoginThrottle" WHERE key LIKE 'ip:%'`);
  const ctx = await request.newContext({ baseURL: CONSOLE_URL });
  const attempt = async (username: string, password: string, spoofed: string) => {
    const { csrfToken } = (await (await ctx.get("/api/auth/csrf")).json()) as { csrfToken: string };
    const res = await ctx.post("/api/auth/callback/credentials", {
      form: { username, password, csrfToken, callbackUrl: CONSOLE_URL },
      headers: { "X-Forwarded-For": spoofed, "X-Real-IP": spoofed },
      maxRedirects: 0,
    });
    return res.headers().location ?? "";
  };
  try {
    // 20 failures, each for another (unknown) user and from a claimed new address: one real address all the same
    for (let i = 0; i < 20; i++) expect(await attempt(`nobody-${suffix()}`, "guess", `203.0.113.${i + 1}`)).toContain("code=credentials");
    const keys = (await sql<{ key: string; failures: number }>(`SELECT key, failures FROM "LoginThrottle" WHERE key LIKE 'ip:%'`)).map((r) => [r.key, r.failures]);
    expect(keys).toEqual([["ip:127.0.0.1", 20]]);
    // the address is locked: even alice's right password, from yet another claimed address, is refused
    expect(await attempt("alice", "steward-demo", "198.51.100.7")).toContain("code=too_many_attempts");
  } finally {
    await sql(`DELETE FROM "LoginThrottle" WHERE key LIKE 'ip:%'`);
    await ctx.dispose();
  }
  expect(await signedIn(await apiLogin("alice"))).toBe(true);
});

test("a user changes their own password on Your account: wrong current and mismatches are refused, then every session ends", async ({ page, browser }) => {
  const admin = await apiLogin("admin");
  const username = `sec-self-${suffix()}`;
  await createUser(admin, username);
  await login(page, username, PASSWORD);
  const other = await apiLogin(username, PASSWORD); // a second session elsewhere
  await page.getByRole("link", { name: "Your account" }).click();
  await expect(page.getByRole("heading", { name: "Your account", level: 1 })).toBeVisible();
  const form = page.getByRole("form", { name: "Change your password" });

  await form.getByLabel("Current password").fill("not-it");
  await form.getByLabel("New password", { exact: true }).fill("brand-new-password-1");
  await form.getByLabel("New password again").fill("brand-new-password-2");
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.locator("#confirm-password-error")).toHaveText("The two new passwords differ.");
  await form.getByLabel("New password again").fill("brand-new-password-1");
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.locator("#current-password-error")).toHaveText("Not your current password.");
  await screenshot(page, "account-password-wrong-current");

  await form.getByLabel("Current password").fill(PASSWORD);
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(page).toHaveURL(/\/login\?changed=1$/);
  await expect(page.getByTestId("login-notice")).toHaveText("Your password was changed and every session ended: sign in with the new password.");
  await screenshot(page, "account-password-changed");
  expect(await signedIn(other)).toBe(false);
  await expect(apiLogin(username, PASSWORD)).rejects.toThrow(/did not set a session cookie/);
  const fresh = await browser.newPage();
  await login(fresh, username, "brand-new-password-1");
  await fresh.close();
  await Promise.all([admin, other].map((c) => c.dispose()));
});
