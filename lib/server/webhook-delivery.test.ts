import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverWebhook, matchesEvent, signPayload, type WebhookEvent } from "./webhook-delivery";

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

// A real local HTTP server: what it receives is what a subscriber would.
let server: http.Server;
let base = "";
const received: Received[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ path: req.url ?? "", headers: req.headers, body });
      if (req.url === "/slow") return void setTimeout(() => res.end("late"), 2000);
      res.statusCode = req.url === "/fail" ? 500 : 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const event: WebhookEvent = {
  id: "evt_1",
  action: "user.create",
  targetType: "user",
  targetId: "u1",
  actor: "admin",
  details: { username: "dave", note: "ünïcode" },
  createdAt: "2026-01-01T00:00:00.000Z",
};

describe("webhook delivery", () => {
  it("POSTs the event as JSON with an HMAC-SHA256 signature of the exact body", async () => {
    const secret = "a-secret-of-16-chars-or-more";
    const result = await deliverWebhook({ url: `${base}/hook`, secret }, event);
    expect(result).toEqual({ ok: true, status: 204 });
    const got = received.find((r) => r.path === "/hook")!;
    expect(got.headers["content-type"]).toBe("application/json");
    expect(got.headers["x-steward-event"]).toBe("user.create");
    expect(got.headers["x-steward-delivery"]).toBe("evt_1");
    expect(JSON.parse(got.body)).toEqual(event);
    const expected = `sha256=${createHmac("sha256", secret).update(got.body, "utf8").digest("hex")}`;
    expect(got.headers["x-steward-signature"]).toBe(expected);
    expect(signPayload("other-secret-xxxxxxxx", got.body)).not.toBe(expected);
  });

  it("sends no signature without a secret", async () => {
    await deliverWebhook({ url: `${base}/unsigned`, secret: null }, event);
    const got = received.find((r) => r.path === "/unsigned")!;
    expect(got.headers["x-steward-signature"]).toBeUndefined();
  });

  it("reports a failing status, a timeout and an unreachable host without throwing", async () => {
    expect(await deliverWebhook({ url: `${base}/fail`, secret: null }, event)).toEqual({ ok: false, status: 500, error: "HTTP 500" });
    const started = Date.now();
    expect(await deliverWebhook({ url: `${base}/slow`, secret: null }, event, { timeoutMs: 200 })).toEqual({ ok: false, error: "timed out" });
    expect(Date.now() - started).toBeLessThan(1500);
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await deliverWebhook({ url: `http://127.0.0.1:${port}/`, secret: null }, event);
    expect(refused).toEqual({ ok: false, error: "ECONNREFUSED" });
  });
});

describe("event patterns", () => {
  it("matches *, families and exact actions only", () => {
    expect(matchesEvent(["*"], "apikey.revoke")).toBe(true);
    expect(matchesEvent(["user.*"], "user.create")).toBe(true);
    expect(matchesEvent(["user.*"], "users.create")).toBe(false);
    expect(matchesEvent(["user.*"], "user")).toBe(false);
    expect(matchesEvent(["apikey.revoke"], "apikey.revoke")).toBe(true);
    expect(matchesEvent(["apikey.revoke"], "apikey.create")).toBe(false);
    expect(matchesEvent([], "user.create")).toBe(false);
  });
});
