import { expect, request, type APIRequestContext } from "@playwright/test";
import { DEMO_PASSWORD } from "./session";

// A signed-in HTTP client without a browser: Auth.js's credentials sign-in (CSRF token + form post), the
// session cookie kept in the request context. For specs that only call the console's JSON API.

export const CONSOLE_URL = `http://localhost:${Number(process.env.STEWARD_TEST_PORT ?? 3917)}`;

export async function apiLogin(username: string, password = DEMO_PASSWORD): Promise<APIRequestContext> {
  const ctx = await request.newContext({ baseURL: CONSOLE_URL });
  const csrf = await ctx.get("/api/auth/csrf");
  expect(csrf.status()).toBe(200);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await ctx.post("/api/auth/callback/credentials", {
    form: { username, password, csrfToken, callbackUrl: CONSOLE_URL },
    maxRedirects: 0,
  });
  expect([200, 302, 303]).toContain(res.status());
  const cookies = (await ctx.storageState()).cookies.map((c) => c.name);
  if (!cookies.some((n) => /session-token/.test(n))) {
    await ctx.dispose();
    throw new Error(`sign-in as ${username} did not set a session cookie (status ${res.status()}, location ${res.headers().location ?? "-"})`);
  }
  return ctx;
}
