import { describe, expect, it } from "vitest";
import { decodePathSegments } from "./url-path";

describe("decodePathSegments", () => {
  it("decodes ordinary and encoded segments (an encoded slash stays inside its segment)", () => {
    expect(decodePathSegments("/api/trino/v1/users/al%20ice/schemas")).toEqual({ ok: true, segments: ["api", "trino", "v1", "users", "al ice", "schemas"] });
    expect(decodePathSegments("/a/b%2Fc/%C3%A9")).toEqual({ ok: true, segments: ["a", "b/c", "é"] });
  });
  it.each([
    ["bad percent-encoding", "/api/x/%ZZ", /not valid percent-encoded UTF-8/],
    ["a truncated escape", "/api/x/%E", /not valid percent-encoded UTF-8/],
    ["bytes that are not UTF-8", "/api/x/%C3%28", /not valid percent-encoded UTF-8/],
    ["a lone 0xFF byte", "/api/x/%FF", /not valid percent-encoded UTF-8/],
    ["an encoded surrogate", "/api/x/%ED%A0%80", /not valid percent-encoded UTF-8/],
    ["NUL", "/api/x/a%00b", /NUL/],
    ["an over-long segment", `/api/x/${"a".repeat(600)}`, /longer than 512/],
  ])("refuses %s", (_label, path, message) => {
    const r = decodePathSegments(path);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(message);
  });
});
