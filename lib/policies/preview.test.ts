import { describe, expect, it } from "vitest";
import { compile } from "@/lib/policy";
import type { PolicyInput } from "@/lib/policy";
import { cellText } from "./cell-text";
import { conflictsOf, describeVisibility, formatViewSql } from "./preview";

const ds = {
  id: "ds1",
  backing: { catalog: "memory", schema: "hr", table: "employees" },
  governedSchema: "hr",
  name: "employees",
  tags: ["HR"],
  columns: [
    { name: "id", type: "bigint", tags: [] },
    { name: "email", type: "varchar", tags: ["PII.Email"] },
    { name: "phone", type: "varchar", tags: ["PII.Phone"] },
  ],
};
const alice = { username: "alice", groups: ["analysts"], attributes: { region: ["EU"] }, purposes: [] };
const everyone = { type: "EVERYONE" as const };
const policies: PolicyInput[] = [
  { id: "g", name: "Redact e-mails", scope: "GLOBAL", tag: "PII", who: everyone, action: { type: "MASK", target: { tag: "PII.Email" }, mask: { method: "REDACT" } }, createdAt: "2025-01-01T00:00:00Z" },
  { id: "l", name: "Last 4", scope: "LOCAL", dataSourceId: "ds1", who: everyone, action: { type: "MASK", target: { columns: ["phone", "email"] }, mask: { method: "SHOW_LAST", n: 4 } }, createdAt: "2025-01-02T00:00:00Z" },
  { id: "h", name: "Hash", scope: "GLOBAL", tag: "HR", who: everyone, action: { type: "MASK", target: { columns: ["id"] }, mask: { method: "HASH" } }, createdAt: "2025-01-03T00:00:00Z" },
];

describe("compiled SQL for display", () => {
  const r = compile(ds, policies, alice, { hashKeyFrom: { catalog: "governed", schema: "steward_internal", table: "hash_key", column: "key" } });

  it("reports who overrode whom, per column", () => {
    expect(conflictsOf(r.applied)).toEqual([{ column: "email", winner: { policyId: "l", policyName: "Last 4" }, overridden: [{ policyId: "g", policyName: "Redact e-mails" }] }]);
  });

  it("lays the SQL out on lines, the HASH key read from the key table", () => {
    const shown = formatViewSql(r.sql);
    expect(shown).toContain('"governed"."steward_internal"."hash_key"');
    expect(shown.split("\n").length).toBeGreaterThan(5);
    expect(shown).toMatch(/^SELECT\n/);
    expect(shown).toContain('"memory"."hr"."employees"');
  });

  it("gives unparseable text back as it was", () => {
    expect(formatViewSql("SELECT (((")).toBe("SELECT (((");
  });
});

describe("describeVisibility", () => {
  const base = { status: "ACTIVE" as const, type: "APPROVAL" as const, autoMatch: false, subscribed: false, hypothetical: false };
  it("explains each case in one sentence", () => {
    expect(describeVisibility({ ...base, status: "DISABLED", subscribed: true })).toEqual({ visible: false, reason: "The data source is disabled: nobody sees its view." });
    expect(describeVisibility({ ...base, subscribed: true, subscription: { state: "ACTIVE", expiresAt: null } }).reason).toBe("Subscribed, no expiry.");
    expect(describeVisibility({ ...base, subscribed: true, subscription: { state: "ACTIVE", expiresAt: new Date("2030-05-01T00:00:00Z") } }).reason).toBe("Subscribed until 2030-05-01.");
    expect(describeVisibility({ ...base, subscription: { state: "ACTIVE", expiresAt: new Date("2020-05-01T00:00:00Z") } })).toEqual({ visible: false, reason: "The subscription expired on 2020-05-01." });
    expect(describeVisibility({ ...base }).reason).toMatch(/^Not subscribed: they may request access/);
    expect(describeVisibility({ ...base, type: "OPEN" }).reason).toMatch(/subscribe themselves/);
    expect(describeVisibility({ ...base, subscription: { state: "PENDING", expiresAt: null, requestedAt: new Date("2025-02-03T10:00:00Z") } }).reason).toBe("Access requested on 2025-02-03, waiting for a decision.");
    expect(describeVisibility({ ...base, subscription: { state: "DENIED", expiresAt: null } }).reason).toMatch(/denied/);
    expect(describeVisibility({ ...base, type: "AUTO", autoMatch: true, subscribed: true })).toEqual({ visible: true, reason: "Subscribed automatically: matches the data source's AUTO condition." });
  });
  it("a hypothetical user is never subscribed, except by an AUTO match", () => {
    expect(describeVisibility({ ...base, hypothetical: true }).visible).toBe(false);
    expect(describeVisibility({ ...base, hypothetical: true }).reason).toMatch(/what they would see once subscribed/);
    expect(describeVisibility({ ...base, hypothetical: true, type: "AUTO", autoMatch: true }).visible).toBe(true);
  });
});

describe("cellText", () => {
  it("renders Trino JSON values", () => {
    expect([null, undefined, "x", 1.5, true, [1, "a"], { k: 1 }].map(cellText)).toEqual([null, null, "x", "1.5", "true", '[1,"a"]', '{"k":1}']);
  });
});
