// The console's side of an authenticating Trino: the service password goes only over https, and Test connection
// can tell a Trino that lets anyone claim the service user. The real Trino (HTTPS + password file) is checked in
// e2e/trino-authentication.spec.ts; here a local HTTP server stands in for a Trino WITHOUT authentication, a
// misconfiguration the test suite does not start a second Trino for.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { acceptsClaimedUser } from "./trino-admin";
import { callTrino, trinoAuthorization, TrinoUnreachableError } from "./trino-client";

const saved = process.env.STEWARD_TRINO_PASSWORD;
afterEach(() => {
  if (saved === undefined) delete process.env.STEWARD_TRINO_PASSWORD;
  else process.env.STEWARD_TRINO_PASSWORD = saved;
});

describe("trinoAuthorization", () => {
  it("sends the service password as Basic auth of the principal, over https only", () => {
    process.env.STEWARD_TRINO_PASSWORD = "s3cret";
    expect(trinoAuthorization("https://trino:8443", "steward")).toBe(`Basic ${Buffer.from("steward:s3cret").toString("base64")}`);
    expect(() => trinoAuthorization("http://trino:8080", "steward")).toThrow(TrinoUnreachableError);
    expect(() => trinoAuthorization("HTTP://trino:8080", "steward")).toThrow(/only over https/);
  });

  it("sends nothing when no password is configured (a Trino that does not authenticate)", () => {
    delete process.env.STEWARD_TRINO_PASSWORD;
    expect(trinoAuthorization("http://trino:8080", "steward")).toBeUndefined();
  });
});

describe("a fake Trino that does not authenticate (stand-in for a misconfigured server)", () => {
  const seen: { method: string; url: string; headers: http.IncomingHttpHeaders }[] = [];
  let open: http.Server;
  let closed: http.Server;
  let openUrl = "";
  let closedUrl = "";

  beforeAll(async () => {
    open = http.createServer((req, res) => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
      res.setHeader("content-type", "application/json");
      if (req.method === "POST") res.end(JSON.stringify({ id: "q1", nextUri: `${openUrl}/v1/statement/queued/q1/x/1` }));
      else res.end("{}");
    });
    closed = http.createServer((req, res) => {
      res.statusCode = 401;
      res.setHeader("www-authenticate", 'Basic realm="Trino"');
      res.end("Unauthorized");
    });
    await Promise.all([open, closed].map((s) => new Promise<void>((r) => s.listen(0, "127.0.0.1", r))));
    openUrl = `http://127.0.0.1:${(open.address() as AddressInfo).port}`;
    closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await Promise.all([open, closed].map((s) => new Promise((r) => s.close(r))));
  });

  it("acceptsClaimedUser is true when the statement is accepted (and cancels it), false on 401", async () => {
    expect(await acceptsClaimedUser(openUrl, "steward")).toBe(true);
    const post = seen.find((s) => s.method === "POST");
    expect(post?.headers["x-trino-user"]).toBe("steward");
    expect(post?.headers.authorization).toBeUndefined();
    expect(seen.some((s) => s.method === "DELETE" && s.url.includes("/v1/statement/queued/q1/"))).toBe(true);
    expect(await acceptsClaimedUser(closedUrl, "steward")).toBe(false);
  });

  it("callTrino refuses to send the service password to a plain-http server at all", async () => {
    process.env.STEWARD_TRINO_PASSWORD = "s3cret";
    const before = seen.length;
    await expect(callTrino({ server: openUrl, user: "alice", principal: "steward", sql: "SELECT 1", timeoutMs: 5_000 })).rejects.toThrow(/only over https/);
    expect(seen.length).toBe(before);
  });
});
