import { describe, expect, it } from "vitest";
import { isSubscribed, type SubscriptionInput, type SubscriptionPolicyInput } from "./subscriptions";
import type { UserContext } from "./types";

const now = new Date("2025-06-15T12:00:00Z");
const alice: UserContext = { username: "alice", groups: ["analysts"], attributes: {}, purposes: [] };
const analysts = { match: "any" as const, terms: [{ kind: "group" as const, group: "analysts" }] };
const finance = { match: "any" as const, terms: [{ kind: "group" as const, group: "finance" }] };

describe("isSubscribed", () => {
  it.each<[string, SubscriptionPolicyInput, SubscriptionInput | undefined, boolean]>([
    ["OPEN, no subscription", { type: "OPEN" }, undefined, false],
    ["OPEN, active", { type: "OPEN" }, { state: "ACTIVE" }, true],
    ["APPROVAL, pending", { type: "APPROVAL" }, { state: "PENDING" }, false],
    ["APPROVAL, active", { type: "APPROVAL" }, { state: "ACTIVE" }, true],
    ["APPROVAL, denied", { type: "APPROVAL" }, { state: "DENIED" }, false],
    ["APPROVAL, revoked", { type: "APPROVAL" }, { state: "REVOKED" }, false],
    ["APPROVAL, expired state", { type: "APPROVAL" }, { state: "EXPIRED" }, false],
    ["MANUAL, active", { type: "MANUAL" }, { state: "ACTIVE" }, true],
    ["MANUAL, none", { type: "MANUAL" }, undefined, false],
    ["active, expires later", { type: "APPROVAL" }, { state: "ACTIVE", expiresAt: "2025-06-15T12:00:01Z" }, true],
    ["active, expires now", { type: "APPROVAL" }, { state: "ACTIVE", expiresAt: "2025-06-15T12:00:00Z" }, false],
    ["active, expired earlier", { type: "APPROVAL" }, { state: "ACTIVE", expiresAt: new Date("2025-06-01T00:00:00Z") }, false],
    ["active, null expiry", { type: "OPEN" }, { state: "ACTIVE", expiresAt: null }, true],
    ["active, unparseable expiry", { type: "OPEN" }, { state: "ACTIVE", expiresAt: "soon" }, false],
    ["maxDays, granted within", { type: "APPROVAL", maxDays: 30 }, { state: "ACTIVE", grantedAt: "2025-06-01T00:00:00Z" }, true],
    ["maxDays, granted too long ago", { type: "APPROVAL", maxDays: 10 }, { state: "ACTIVE", grantedAt: "2025-06-01T00:00:00Z" }, false],
    ["maxDays, exactly at the limit", { type: "APPROVAL", maxDays: 1 }, { state: "ACTIVE", grantedAt: "2025-06-14T12:00:00Z" }, false],
    ["maxDays and expiresAt: first wins", { type: "APPROVAL", maxDays: 365 }, { state: "ACTIVE", grantedAt: "2025-06-01T00:00:00Z", expiresAt: "2025-06-10T00:00:00Z" }, false],
    ["AUTO, matching", { type: "AUTO", condition: analysts }, undefined, true],
    ["AUTO, matching, maxDays irrelevant", { type: "AUTO", condition: analysts, maxDays: 1 }, undefined, true],
    ["AUTO, matching beats a revoked row", { type: "AUTO", condition: analysts }, { state: "REVOKED" }, true],
    ["AUTO, not matching", { type: "AUTO", condition: finance }, undefined, false],
    ["AUTO, not matching but an explicit active grant", { type: "AUTO", condition: finance }, { state: "ACTIVE" }, true],
    ["AUTO, not matching, explicit grant expired", { type: "AUTO", condition: finance }, { state: "ACTIVE", expiresAt: "2025-01-01T00:00:00Z" }, false],
    ["AUTO without condition", { type: "AUTO" }, undefined, false],
    ["OPEN with a condition ignores it", { type: "OPEN", condition: analysts }, undefined, false],
  ])("%s", (_label, policy, subscription, expected) => {
    expect(isSubscribed({ policy, subscription, user: alice, now })).toBe(expected);
  });

  it("loses an AUTO subscription when the user stops matching", () => {
    const policy: SubscriptionPolicyInput = { type: "AUTO", condition: analysts };
    expect(isSubscribed({ policy, user: alice, now })).toBe(true);
    expect(isSubscribed({ policy, user: { ...alice, groups: [] }, now })).toBe(false);
  });
});
