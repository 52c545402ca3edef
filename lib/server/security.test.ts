// Security issue #8 (items 7 and 8) on a real, throwaway PostgreSQL: sessions end on sign-out and password
// changes, sign-in is throttled in the shared table, route handlers refuse foreign origins / non-JSON / huge
// bodies / text PostgreSQL cannot store with a 4xx and change nothing, and the bootstrap key never un-revokes.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createTempPgDatabase } from "./db/test-helpers";
import type { Actor } from "./actor";

// next-auth does not load outside Next: the session is what the test says it is (as auth() would decode it).
const session: { current: { user: { id: string; name: string; roles: string[]; sessionVersion?: number } } | null } = { current: null };
vi.mock("./auth", () => ({ auth: async () => session.current }));

let drop: () => Promise<void>;
let db: Awaited<ReturnType<typeof import("./db").getDb>>;
let closeDb: () => Promise<void>;
let users: typeof import("./users");
let actorMod: typeof import("./actor");
let people: typeof import("./people");
let account: typeof import("./account");
let throttle: typeof import("./login-throttle");
let bootstrap: typeof import("./bootstrap");
let integration: typeof import("./integration");
let admin: Actor;
const PASSWORD = "correct horse battery";

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
let routes: { groups: { POST: Handler }; user: { GET: Handler }; decision: { POST: Handler }; schemas: { GET: Handler }; myPassword: { PUT: Handler } };

beforeAll(async () => {
  const temp = await createTempPgDatabase("steward_security");
  drop = temp.drop;
  process.env.DATABASE_URL = temp.url;
  process.env.STEWARD_DB_QUIET = "1";
  const dbModule = await import("./db");
  db = await dbModule.getDb();
  closeDb = dbModule.closeDb;
  users = await import("./users");
  actorMod = await import("./actor");
  people = await import("./people");
  account = await import("./account");
  throttle = await import("./login-throttle");
  bootstrap = await import("./bootstrap");
  integration = await import("./integration");
  routes = {
    groups: await import("@/app/api/groups/route"),
    user: await import("@/app/api/users/[id]/route"),
    decision: await import("@/app/api/subscriptions/[id]/[decision]/route"),
    schemas: await import("@/app/api/trino/v1/users/[user]/schemas/route"),
    myPassword: await import("@/app/api/me/password/route"),
  };
  const row = await db.user.create({ data: { username: "root", roles: ["ADMIN"] } });
  admin = { id: row.id, username: "root", roles: ["ADMIN"] };
});

afterAll(async () => {
  await closeDb?.();
  await drop?.();
});

beforeEach(() => {
  session.current = null;
});

async function newUser(username: string, roles: ("ADMIN" | "AUDITOR")[] = []) {
  const u = await people.createUser(admin, { username, password: PASSWORD, roles });
  return { id: u.id, username: u.username, roles } as Actor;
}

/** Signs in with the password and makes that the current session, as next-auth's jwt/session callbacks would. */
async function signIn(username: string, password = PASSWORD, ip = "10.0.0.1") {
  const r = await users.authenticateWithPassword(username, password, { ip });
  if (r.status !== "ok") throw new Error(`sign-in failed: ${r.status}`);
  const s = { user: { id: r.user.id, name: r.user.username, roles: r.user.roles, sessionVersion: r.user.sessionVersion } };
  session.current = s;
  return s;
}

const call = (handler: Handler, req: Request, params: Record<string, string> = {}) => handler(req, { params: Promise.resolve(params) });
const jsonReq = (url: string, method: string, body: BodyInit | null, headers: Record<string, string> = {}) =>
  new Request(`http://localhost:3917${url}`, { method, body, headers: { host: "localhost:3917", "content-type": "application/json", ...headers }, duplex: "half" } as RequestInit);
const counts = async () => ({ groups: await db.group.count(), audit: await db.auditEvent.count(), subs: await db.subscription.count() });

describe("sessions end on sign-out and password changes", () => {
  it("a session is valid at the version it was signed in at, and ends when that version moves", async () => {
    const u = await newUser("sam");
    const s = await signIn("sam");
    expect((await actorMod.getActor())?.id).toBe(u.id);

    // Sign-out (next-auth's signOut event) bumps the version: a copy of the same cookie is dead too.
    expect(await users.endUserSessions(u.id, s.user.sessionVersion)).toBe(true);
    session.current = s;
    expect(await actorMod.getActor()).toBeNull();
    await expect(actorMod.requireActor()).rejects.toMatchObject({ status: 401 });

    // A stale cookie signing out cannot end the newer session.
    const fresh = await signIn("sam");
    expect(await users.endUserSessions(u.id, s.user.sessionVersion)).toBe(false);
    session.current = fresh;
    expect((await actorMod.getActor())?.id).toBe(u.id);
  });

  it("a session from before session versions (no version in the token) counts as signed out", async () => {
    const u = await newUser("old");
    session.current = { user: { id: u.id, name: "old", roles: [] } };
    expect(await actorMod.getActor()).toBeNull();
  });

  it("an admin's password reset ends the user's sessions", async () => {
    await newUser("pat");
    const s = await signIn("pat");
    await people.setUserPassword(admin, s.user.id, { password: "a new password" });
    session.current = s;
    expect(await actorMod.getActor()).toBeNull();
    await expect(signIn("pat")).rejects.toThrow(/wrong/);
    await signIn("pat", "a new password");
    expect(await actorMod.getActor()).not.toBeNull();
  });

  it("the user's own password change (PUT /api/me/password) checks the current password and ends every session", async () => {
    await newUser("olga");
    const s = await signIn("olga");
    const audits = await db.auditEvent.count();
    const wrong = await call(routes.myPassword.PUT, jsonReq("/api/me/password", "PUT", JSON.stringify({ currentPassword: "nope", newPassword: "brand new password" })));
    expect(wrong.status).toBe(422);
    expect(await db.auditEvent.count()).toBe(audits);
    // a wrong current password counts as a failed sign-in; the right one clears the count, as a sign-in does
    expect((await db.loginThrottle.findUnique({ where: { key: "user:olga" } }))?.failures).toBe(1);
    session.current = s;
    const ok = await call(routes.myPassword.PUT, jsonReq("/api/me/password", "PUT", JSON.stringify({ currentPassword: PASSWORD, newPassword: "brand new password" })));
    expect(ok.status).toBe(200);
    expect(await db.auditEvent.findFirst({ where: { action: "user.password_change", targetId: s.user.id } })).not.toBeNull();
    expect(await db.loginThrottle.findUnique({ where: { key: "user:olga" } })).toBeNull();
    session.current = s;
    expect(await actorMod.getActor()).toBeNull();
    await signIn("olga", "brand new password");
  });

  it("disabling a user ends their sessions", async () => {
    const u = await newUser("dora");
    const s = await signIn("dora");
    await people.updateUser(admin, u.id, { disabled: true });
    session.current = s;
    expect(await actorMod.getActor()).toBeNull();
  });
});

describe("sign-in throttle (LoginThrottle, shared by every console process)", () => {
  it("after 5 failures for a user the 6th attempt is refused without checking the password, with the minutes to wait", async () => {
    await newUser("tina");
    for (let i = 0; i < 5; i++) expect((await users.authenticateWithPassword("tina", "wrong", { ip: "10.1.0.1" })).status).toBe("wrong");
    const refused = await users.authenticateWithPassword("tina", PASSWORD, { ip: "10.1.0.2" });
    expect(refused).toEqual({ status: "throttled", minutes: 15 });
    expect(throttle.tooManyAttemptsMessage(15)).toBe("Too many sign-in attempts; try again in 15 minutes.");
    expect(throttle.tooManyAttemptsMessage(1)).toBe("Too many sign-in attempts; try again in 1 minute.");
    // Other users are not affected; after the lock the right password works and clears the user's counter.
    await newUser("tom");
    expect((await users.authenticateWithPassword("tom", PASSWORD, { ip: "10.1.0.3" })).status).toBe("ok");
    const later = new Date(Date.now() + 16 * 60_000);
    expect((await users.authenticateWithPassword("tina", PASSWORD, { ip: "10.1.0.2", now: later })).status).toBe("ok");
    expect(await db.loginThrottle.findUnique({ where: { key: "user:tina" } })).toBeNull();
  });

  it("a success resets the user's counter; failures older than the window start over", async () => {
    await newUser("ursula");
    for (let i = 0; i < 4; i++) await users.authenticateWithPassword("ursula", "wrong", { ip: "10.2.0.1" });
    expect((await users.authenticateWithPassword("ursula", PASSWORD, { ip: "10.2.0.1" })).status).toBe("ok");
    for (let i = 0; i < 4; i++) await users.authenticateWithPassword("ursula", "wrong", { ip: "10.2.0.1" });
    expect((await users.authenticateWithPassword("ursula", PASSWORD, { ip: "10.2.0.1" })).status).toBe("ok");
    const t0 = new Date();
    for (let i = 0; i < 4; i++) await throttle.recordLoginFailure(db, ["user:ursula"], t0);
    await throttle.recordLoginFailure(db, ["user:ursula"], new Date(t0.getTime() + 16 * 60_000));
    expect(await db.loginThrottle.findUnique({ where: { key: "user:ursula" } })).toMatchObject({ failures: 1, lockedUntil: null });
  });

  it("20 failures from one address lock that address, whatever the user names", async () => {
    await newUser("vera");
    for (let i = 0; i < 20; i++) await users.authenticateWithPassword(`nobody${i}`, "wrong", { ip: "10.3.0.1" });
    expect((await users.authenticateWithPassword("vera", PASSWORD, { ip: "10.3.0.1" })).status).toBe("throttled");
    expect((await users.authenticateWithPassword("vera", PASSWORD, { ip: "10.3.0.2" })).status).toBe("ok");
  });

  it("concurrent failures are all counted (one atomic statement per key)", async () => {
    await Promise.all(Array.from({ length: 12 }, () => throttle.recordLoginFailure(db, ["ip:10.4.0.1"])));
    expect(await db.loginThrottle.findUnique({ where: { key: "ip:10.4.0.1" } })).toMatchObject({ failures: 12 });
  });

  it("an unknown user costs the same scrypt as a known one with a wrong password", async () => {
    await newUser("wendy");
    const time = async (name: string, i: number) => {
      const t = performance.now();
      await users.authenticateWithPassword(name, "wrong", { ip: `10.5.${i}.1` });
      return performance.now() - t;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 3; i++) {
      known.push(await time("wendy", i));
      unknown.push(await time(`ghost${i}`, 10 + i));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1];
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.5);
  });

  it("the dummy hash has the parameters real hashes have", async () => {
    const { hashPassword } = await import("./passwords");
    const params = (h: string) => h.split("$").slice(0, 4).join("$");
    expect(params(users.DUMMY_PASSWORD_HASH)).toBe(params(await hashPassword("x")));
  });
});

describe("route handlers: bad requests are a 4xx and change nothing", () => {
  const group = (body: BodyInit | null, headers: Record<string, string> = {}) => call(routes.groups.POST, jsonReq("/api/groups", "POST", body, headers));

  it("a write from a foreign Origin is 403; the console's own origin works", async () => {
    session.current = { user: { id: admin.id, name: "root", roles: ["ADMIN"], sessionVersion: 0 } };
    const before = await counts();
    const res = await group(JSON.stringify({ name: "evil" }), { origin: "http://evil.example" });
    expect(res.status).toBe(403);
    expect((await res.json()).error).toMatch(/Cross-origin/);
    expect(await counts()).toEqual(before);
    expect((await group(JSON.stringify({ name: "fine" }), { origin: "http://localhost:3917" })).status).toBe(200);
  });

  it.each([
    ["a non-JSON Content-Type", () => jsonReq("/api/groups", "POST", '{"name":"x1"}', { "content-type": "text/plain" }), 415],
    ["a form post", () => jsonReq("/api/groups", "POST", "name=x2", { "content-type": "application/x-www-form-urlencoded" }), 415],
    ["a body over 1 MB", () => jsonReq("/api/groups", "POST", JSON.stringify({ name: "x3", description: "d".repeat(1_100_000) })), 413],
    ["a JSON array", () => jsonReq("/api/groups", "POST", '[{"name":"x4"}]'), 422],
    ["JSON null", () => jsonReq("/api/groups", "POST", "null"), 422],
    ["NUL in a text field", () => jsonReq("/api/groups", "POST", JSON.stringify({ name: "x5", description: "a\u0000b" })), 422],
    ["a lone surrogate in a text field", () => jsonReq("/api/groups", "POST", '{"name":"x6","description":"\\ud800"}'), 422],
    ["an over-long field", () => jsonReq("/api/groups", "POST", JSON.stringify({ name: "x7", description: "d".repeat(2001) })), 422],
    ["bytes that are not UTF-8", () => jsonReq("/api/groups", "POST", new Uint8Array([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d])), 400],
  ])("%s", async (_label, req, expected) => {
    session.current = { user: { id: admin.id, name: "root", roles: ["ADMIN"], sessionVersion: 0 } };
    const before = await counts();
    const res = await call(routes.groups.POST, req());
    expect(res.status).toBe(expected);
    expect(typeof (await res.json()).error).toBe("string");
    expect(await counts()).toEqual(before);
  });

  it("NUL or an unpaired surrogate in a path parameter is 400, not a database error", async () => {
    session.current = { user: { id: admin.id, name: "root", roles: ["ADMIN"], sessionVersion: 0 } };
    for (const id of ["a\u0000b", "\ud800"]) {
      const res = await call(routes.user.GET, new Request("http://localhost:3917/api/users/x"), { id });
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatch(/path segment 'id'/);
    }
  });

  it.each(["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf"])("the subscription decision %s is 404", async (decision) => {
    session.current = { user: { id: admin.id, name: "root", roles: ["ADMIN"], sessionVersion: 0 } };
    const before = await counts();
    const res = await call(routes.decision.POST, jsonReq(`/api/subscriptions/s1/${decision}`, "POST", null), { id: "s1", decision });
    expect(res.status).toBe(404);
    expect((await res.json()).error).toMatch(/Unknown decision/);
    expect(await counts()).toEqual(before);
  });
});

describe("view API input decoding", () => {
  const schemas = (url: string, params: Record<string, string>) => call(routes.schemas.GET, new Request(`http://localhost:3917${url}`), params);

  it.each([
    ["NUL in the user", "/api/trino/v1/users/a%00b/schemas", { user: "a\u0000b" }],
    ["an unpaired surrogate in the user", "/api/trino/v1/users/x/schemas", { user: "\ud800" }],
    ["%ZZ in the path", "/api/trino/v1/users/%ZZ/schemas", { user: "%ZZ" }],
    ["bytes that are not UTF-8 in the path", "/api/trino/v1/users/%C3%28/schemas", { user: "%C3%28" }],
    ["NUL in ?project", "/api/trino/v1/users/alice/schemas?project=%00", { user: "alice" }],
  ])("%s: 400 with a JSON error and code, before the API key is even checked", async (_label, url, params) => {
    const res = await schemas(url, params);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "BAD_REQUEST", error: expect.any(String) });
  });

  it("a well-formed request still reaches the API-key check (401)", async () => {
    expect((await schemas("/api/trino/v1/users/alice/schemas", { user: "alice" })).status).toBe(401);
  });
});

describe("bootstrap API key (STEWARD_BOOTSTRAP_API_KEY)", () => {
  it("is created when absent (audited), and a key an admin revoked stays revoked on every start", async () => {
    const key = "stw_bootstrap_test_key_0123456789";
    expect(await bootstrap.ensureBootstrapApiKey(key)).toBe("created");
    const row = await db.apiKey.findFirstOrThrow({ where: { prefix: key.slice(0, 8) } });
    expect(await db.auditEvent.findFirst({ where: { action: "apikey.create", targetId: row.id, actorName: "system" } })).not.toBeNull();
    expect(await bootstrap.ensureBootstrapApiKey(key)).toBe("exists");

    await integration.revokeApiKey(admin, row.id);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    expect(await bootstrap.ensureBootstrapApiKey(key)).toBe("revoked");
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/revoked/));
    warn.mockRestore();
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: row.id } })).revokedAt).not.toBeNull();
    expect(await db.apiKey.count({ where: { prefix: key.slice(0, 8) } })).toBe(1);
  });
});
