import { describe, expect, it } from "vitest";
import { accessState, hasAccess, requestOption } from "./access";

const now = new Date("2026-01-10T00:00:00Z");
const past = new Date("2026-01-01T00:00:00Z");
const future = new Date("2026-02-01T00:00:00Z");

describe("accessState", () => {
  it.each([
    [{ state: "ACTIVE", expiresAt: null }, false, "active"],
    [{ state: "ACTIVE", expiresAt: future }, false, "active"],
    [{ state: "ACTIVE", expiresAt: past }, false, "expired"],
    [{ state: "ACTIVE", expiresAt: now }, false, "expired"],
    [{ state: "ACTIVE", expiresAt: past }, true, "auto"],
    [{ state: "PENDING" }, false, "pending"],
    [{ state: "DENIED" }, false, "denied"],
    [{ state: "REVOKED" }, true, "auto"],
    [{ state: "EXPIRED" }, false, "expired"],
    [null, false, "none"],
    [null, true, "auto"],
  ] as const)("%j (auto match %s) -> %s", (subscription, autoMatch, expected) => {
    expect(accessState({ subscription, autoMatch, now })).toBe(expected);
  });

  it("only active and auto give access", () => {
    expect(["active", "auto", "pending", "none"].map((a) => hasAccess(a as never))).toEqual([true, true, false, false]);
  });
});

describe("requestOption", () => {
  it("OPEN subscribes, APPROVAL requests, again after a refusal", () => {
    expect(requestOption({ status: "ACTIVE", type: "OPEN", access: "none" })).toEqual({ kind: "subscribe", label: "Subscribe" });
    expect(requestOption({ status: "ACTIVE", type: "APPROVAL", access: "none" })).toEqual({ kind: "request", label: "Request access" });
    expect(requestOption({ status: "ACTIVE", type: "APPROVAL", access: "denied" })).toEqual({ kind: "request", label: "Request again" });
    expect(requestOption({ status: "ACTIVE", type: "OPEN", access: "expired" })).toEqual({ kind: "subscribe", label: "Subscribe again" });
  });

  it("offers nothing when there is access, a pending request, a disabled source, AUTO or MANUAL", () => {
    for (const args of [
      { status: "ACTIVE", type: "APPROVAL", access: "active" },
      { status: "ACTIVE", type: "APPROVAL", access: "pending" },
      { status: "DISABLED", type: "OPEN", access: "none" },
      { status: "ACTIVE", type: "AUTO", access: "none" },
      { status: "ACTIVE", type: "MANUAL", access: "none" },
    ] as const) {
      expect(requestOption(args).kind).toBe("none");
    }
  });
});
