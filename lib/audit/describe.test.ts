import { describe, expect, it } from "vitest";
import { describeAuditEvent, referencedIds, sentenceText, type AuditEventInput, type AuditRefs } from "./describe";

const refs: AuditRefs = {
  dataSources: new Map([["ds1", "hr.employees"]]),
  policies: new Map([["p1", "Hide SSNs"]]),
  subscriptions: new Map([["s1", { username: "alice", dataSourceId: "ds1", view: "hr.employees" }]]),
};
const ev = (e: Partial<AuditEventInput>): AuditEventInput => ({ action: "x.y", actorName: "olivia", targetType: "x", targetId: null, details: null, ...e });

describe("audit events in words", () => {
  it("an approval says who got what, until when, with links to the people and the data source", () => {
    const d = describeAuditEvent(
      ev({ action: "subscription.approve", targetType: "subscription", targetId: "s1", details: { dataSourceId: "ds1", view: "hr.employees", username: "alice", reason: "ok", expiresAt: "2027-01-02T03:04:05.000Z" } }),
      refs,
    );
    expect(sentenceText(d.sentence)).toBe("olivia approved: alice gets hr.employees until 2027-01-02 03:04 UTC — “ok”");
    expect(d.sentence.filter((s) => s.href).map((s) => [s.text, s.href])).toEqual([
      ["olivia", "/audit?actor=olivia"],
      ["alice", "/audit?actor=alice"],
      ["hr.employees", "/data-sources/ds1"],
    ]);
  });

  it("old events without names are completed from the subscription; deleted things are named without a link", () => {
    expect(sentenceText(describeAuditEvent(ev({ action: "subscription.deny", targetType: "subscription", targetId: "s1", details: { reason: null } }), refs).sentence)).toBe(
      "olivia refused alice access to hr.employees",
    );
    const gone = describeAuditEvent(ev({ action: "subscription.revoke", targetType: "subscription", targetId: "s9", details: { dataSourceId: "ds9", view: "old.table", username: "bob" } }), refs);
    expect(sentenceText(gone.sentence)).toBe("olivia revoked bob's access to old.table");
    expect(gone.sentence.find((s) => s.text === "old.table")?.href).toBeUndefined();
    expect(sentenceText(describeAuditEvent(ev({ action: "subscription.revoke", actorName: "bob", details: { username: "bob", view: "x.y" } }), refs).sentence)).toBe(
      "bob gave up their access to x.y",
    );
  });

  it("a policy change lists each changed field before and after, the definition in words first", () => {
    const d = describeAuditEvent(
      ev({
        action: "policy.update",
        actorName: "gwen",
        targetType: "policy",
        targetId: "p1",
        details: {
          name: "Hide SSNs",
          version: 3,
          changed: ["name", "action"],
          before: { name: "Hide SSN", action: { type: "MASK" }, summary: "mask ssn with NULL for everyone" },
          after: { name: "Hide SSNs", action: { type: "MASK", x: 1 }, summary: "mask ssn with HASH for everyone" },
        },
      }),
      refs,
    );
    expect(sentenceText(d.sentence)).toBe("gwen changed policy “Hide SSNs” (now version 3)");
    expect(d.sentence.find((s) => s.href === "/policies/p1")).toBeTruthy();
    expect(d.changes).toEqual([
      { field: "in words", before: "mask ssn with NULL for everyone", after: "mask ssn with HASH for everyone" },
      { field: "name", before: "Hide SSN", after: "Hide SSNs" },
      { field: "what it does (as stored)", before: '{"type":"MASK"}', after: '{"type":"MASK","x":1}' },
    ]);
  });

  it("creations, deletions and tags; the system and unknown actions still read", () => {
    expect(sentenceText(describeAuditEvent(ev({ action: "policy.create", actorName: "gwen", targetType: "policy", targetId: "p1", details: { name: "Hide SSNs", tag: "PII", summary: "mask columns tagged PII with NULL for everyone" } }), refs).sentence)).toBe(
      "gwen created policy “Hide SSNs” on every data source tagged PII: mask columns tagged PII with NULL for everyone",
    );
    expect(sentenceText(describeAuditEvent(ev({ action: "policy.delete", targetType: "policy", targetId: "p7", details: { name: "Old", summary: "mask a with NULL for everyone" } }), refs).sentence)).toBe(
      "olivia deleted policy “Old”, which did: mask a with NULL for everyone",
    );
    const tags = describeAuditEvent(ev({ action: "datasource.tags", targetType: "dataSource", targetId: "ds1", details: { view: "hr.employees", tags: { before: [], after: ["HR"] }, columns: { name: { before: ["PII.Name"], after: [] } } } }), refs);
    expect(sentenceText(tags.sentence)).toBe("olivia changed the tags of hr.employees");
    expect(tags.changes).toEqual([
      { field: "table tags", before: "(none)", after: "HR" },
      { field: "tags of name", before: "PII.Name", after: "(none)" },
    ]);
    expect(sentenceText(describeAuditEvent(ev({ action: "seed.personas", actorName: "system", targetType: "system" }), refs).sentence)).toBe("Steward personas (seed)");
  });

  it("names the ids an event refers to, for one lookup per kind", () => {
    expect(referencedIds(ev({ targetType: "subscription", targetId: "s1", details: { dataSourceId: "ds1" } }))).toEqual({ dataSources: ["ds1"], policies: [], subscriptions: ["s1"] });
    expect(referencedIds(ev({ targetType: "policy", targetId: "p1" }))).toEqual({ dataSources: [], policies: ["p1"], subscriptions: [] });
  });
});
