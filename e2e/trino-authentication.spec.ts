import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, queryAs, SERVICE_USER, TRINO_URL } from "./support/trino";

// Enforcement assumes an authenticating Trino: the service user reads every backing table, so nobody may claim it
// without its password (scripts/trino/start.sh: HTTPS + file password authenticator, a random service password
// shared only with the console; impersonation allowed to the service user alone).

const port = Number(new URL(TRINO_URL).port);
const HTTP_URL = `http://127.0.0.1:${Number(process.env.TRINO_HTTP_PORT ?? port + 1000)}`;
const BACKING = "SELECT count(*) FROM memory.hr.employees";

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

/** POST /v1/statement and follow nextUri: the HTTP status of the first answer, then Trino's error or the rows. */
async function statement(server: string, headers: Record<string, string>, sql: string) {
  let res = await fetch(`${server}/v1/statement`, { method: "POST", body: sql, headers: { "X-Trino-Source": "steward-e2e-auth", ...headers } });
  const status = res.status;
  if (status !== 200) return { status, text: await res.text(), rows: [] as unknown[][], error: undefined as string | undefined };
  const rows: unknown[][] = [];
  let body = (await res.json()) as { nextUri?: string; data?: unknown[][]; error?: { errorName: string; message: string } };
  for (;;) {
    rows.push(...(body.data ?? []));
    if (body.error) return { status, text: "", rows, error: `${body.error.errorName}: ${body.error.message}` };
    if (!body.nextUri) return { status, text: "", rows, error: undefined };
    res = await fetch(body.nextUri, { headers });
    body = (await res.json()) as typeof body;
  }
}

test("claiming the service user without its password is refused, over https and over plain http", async () => {
  expect(TRINO_URL).toMatch(/^https:/);
  // no credential at all: the header alone proves nothing
  const bare = await statement(TRINO_URL, { "X-Trino-User": SERVICE_USER }, BACKING);
  expect(bare.status).toBe(401);
  // a wrong password, and the demo password
  for (const guess of ["steward", DEMO_PASSWORD, "", "' OR 1=1 --"]) {
    const r = await statement(TRINO_URL, { "X-Trino-User": SERVICE_USER, Authorization: basic(SERVICE_USER, guess) }, BACKING);
    expect(r.status, `password ${JSON.stringify(guess)}`).toBe(401);
    expect(r.rows).toEqual([]);
  }
  // plain http serves only Trino's internal communication: no client authentication at all
  const overHttp: Record<string, string>[] = [
    { "X-Trino-User": SERVICE_USER },
    { "X-Trino-User": SERVICE_USER, Authorization: basic(SERVICE_USER, process.env.STEWARD_TRINO_PASSWORD ?? "") },
  ];
  for (const headers of overHttp) {
    const r = await statement(HTTP_URL, headers, BACKING);
    expect(r.status).toBe(403);
    expect(r.text).toContain("Authentication over HTTP is not enabled");
  }
  // the control: with its password the service user reads the backing table
  const ok = await statement(TRINO_URL, { "X-Trino-User": SERVICE_USER, Authorization: basic(SERVICE_USER, process.env.STEWARD_TRINO_PASSWORD ?? "") }, BACKING);
  expect(ok.error).toBeUndefined();
  expect(Number(ok.rows[0]?.[0])).toBe(1500);
});

test("a signed-in user can neither impersonate the service user nor another user; the service user may impersonate", async () => {
  const alice = { Authorization: basic("alice", DEMO_PASSWORD) };
  const asSteward = await statement(TRINO_URL, { ...alice, "X-Trino-User": SERVICE_USER }, BACKING);
  expect(asSteward.error).toBe("PERMISSION_DENIED: Access Denied: User alice cannot impersonate user steward");
  const asCarol = await statement(TRINO_URL, { ...alice, "X-Trino-User": "carol" }, "SELECT current_user");
  expect(asCarol.error).toMatch(/User alice cannot impersonate user carol/);
  // her own identity works, and still cannot read the backing table
  const own = await statement(TRINO_URL, { ...alice, "X-Trino-User": "alice" }, BACKING);
  expect(own.error).toMatch(/Access Denied: Cannot access catalog memory/);
  // a wrong password for alice is refused like any other
  expect((await statement(TRINO_URL, { "X-Trino-User": "alice", Authorization: basic("alice", "nope") }, "SELECT 1")).status).toBe(401);
  // the console's "View as user" path: the service user impersonates alice and Trino enforces as alice
  const impersonated = await queryAs("mallory-not-a-persona", "SELECT current_user");
  expect(impersonated.rows).toEqual([["mallory-not-a-persona"]]);
});
