import { afterEach, describe, expect, it } from "vitest";
import { assertJsonBodyHeaders, assertSameOrigin, assertTextParams, assertTextUrl, MAX_BODY_BYTES, readJsonObject } from "./http-guards";

const post = (headers: Record<string, string>, body?: BodyInit | null) =>
  new Request("http://localhost:3917/api/groups", { method: "POST", headers, body, duplex: "half" } as RequestInit);

const status = (fn: () => unknown) => {
  try {
    fn();
    return 200;
  } catch (e) {
    return (e as { status?: number }).status ?? 500;
  }
};
const statusAsync = async (fn: () => Promise<unknown>) => {
  try {
    await fn();
    return 200;
  } catch (e) {
    return (e as { status?: number }).status ?? 500;
  }
};

describe("assertSameOrigin", () => {
  const saved = process.env.AUTH_URL;
  afterEach(() => {
    if (saved === undefined) delete process.env.AUTH_URL;
    else process.env.AUTH_URL = saved;
  });

  it("lets the console's own origin through (Host, X-Forwarded-Host or AUTH_URL) and clients that send no Origin", () => {
    expect(status(() => assertSameOrigin(post({ host: "localhost:3917", origin: "http://localhost:3917" })))).toBe(200);
    expect(status(() => assertSameOrigin(post({ host: "127.0.0.1:3000", "x-forwarded-host": "steward.example.com", origin: "https://steward.example.com" })))).toBe(200);
    process.env.AUTH_URL = "https://console.example.com/api/auth";
    expect(status(() => assertSameOrigin(post({ host: "10.0.0.5:3000", origin: "https://console.example.com" })))).toBe(200);
    expect(status(() => assertSameOrigin(post({ host: "localhost:3917" })))).toBe(200);
  });

  it("refuses a foreign, opaque or malformed Origin, and a cross-site fetch without one", () => {
    for (const origin of ["http://evil.example", "http://localhost:3918", "null", "not a url", "file:///x"]) {
      expect(status(() => assertSameOrigin(post({ host: "localhost:3917", origin })))).toBe(403);
    }
    expect(status(() => assertSameOrigin(post({ host: "localhost:3917", "sec-fetch-site": "cross-site" })))).toBe(403);
  });
});

describe("assertJsonBodyHeaders", () => {
  it("takes JSON bodies (any charset, +json) and requests without a body", () => {
    expect(status(() => assertJsonBodyHeaders(post({ "content-type": "application/json; charset=utf-8", "content-length": "2" })))).toBe(200);
    expect(status(() => assertJsonBodyHeaders(post({ "content-type": "application/merge-patch+json", "content-length": "2" })))).toBe(200);
    expect(status(() => assertJsonBodyHeaders(post({ "content-length": "0" })))).toBe(200);
    expect(status(() => assertJsonBodyHeaders(post({})))).toBe(200);
  });
  it("answers 415 for other media types with a body and 413 for a declared body over the limit", () => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonp"]) {
      expect(status(() => assertJsonBodyHeaders(post({ "content-type": type, "content-length": "10" })))).toBe(415);
    }
    expect(status(() => assertJsonBodyHeaders(post({ "transfer-encoding": "chunked" })))).toBe(415);
    expect(status(() => assertJsonBodyHeaders(post({ "content-type": "application/json", "content-length": String(MAX_BODY_BYTES + 1) })))).toBe(413);
  });
});

describe("readJsonObject", () => {
  const json = (body: BodyInit) => post({ "content-type": "application/json" }, body);

  it("reads a JSON object", async () => {
    expect(await readJsonObject(json('{"name":"x"}'))).toEqual({ name: "x" });
  });

  it("stops reading a huge body at the limit instead of buffering it (413)", async () => {
    let pulled = 0;
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 64 * 1024;
        controller.enqueue(new Uint8Array(64 * 1024).fill(0x20));
      },
      cancel() {
        cancelled = true;
      },
    });
    expect(await statusAsync(() => readJsonObject(json(endless)))).toBe(413);
    expect(cancelled).toBe(true);
    expect(pulled).toBeLessThan(MAX_BODY_BYTES + 256 * 1024);
  });

  it.each([
    ["an array", "[1,2]", 422],
    ["a number", "42", 422],
    ["null", "null", 422],
    ["a string", '"x"', 422],
    ["not JSON", "{name:", 422],
    ["no body", "", 422],
    ["NUL in a value", '{"name":"a\\u0000b"}', 422],
    ["a lone surrogate in a key", '{"\\ud800":1}', 422],
  ])("refuses %s", async (_label, body, expected) => {
    expect(await statusAsync(() => readJsonObject(json(body)))).toBe(expected);
  });

  it("refuses bytes that are not UTF-8 (400) and a body that is not JSON-typed (415)", async () => {
    expect(await statusAsync(() => readJsonObject(json(new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d]))))).toBe(400);
    expect(await statusAsync(() => readJsonObject(post({ "content-type": "text/plain" }, '{"a":1}')))).toBe(415);
  });

  it("gives the default for an empty body when the route allows one", async () => {
    expect(await readJsonObject(post({}, null), { emptyAs: {} })).toEqual({});
  });
});

describe("path and query text", () => {
  it("answers 400 for NUL or over-long parameters and query values", () => {
    expect(status(() => assertTextParams({ id: "abc" }))).toBe(200);
    expect(status(() => assertTextParams({ id: "a\u0000" }))).toBe(400);
    expect(status(() => assertTextParams({ id: "\ud800" }))).toBe(400);
    expect(status(() => assertTextParams({ id: "x".repeat(513) }))).toBe(400);
    expect(status(() => assertTextUrl(new Request("http://localhost/api/trino/v1/users/alice/schemas?project=p")))).toBe(200);
    expect(status(() => assertTextUrl(new Request("http://localhost/api/trino/v1/users/alice/schemas?project=%00")))).toBe(400);
    expect(status(() => assertTextUrl(new Request("http://localhost/api/trino/v1/users/%ZZ/schemas")))).toBe(400);
  });
});
