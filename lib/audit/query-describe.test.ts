import { describe, expect, it } from "vitest";
import { sentenceText } from "./describe";
import { describeQueryAudit, type QueryAuditInput, type QueryRefs } from "./query-describe";

const refs: QueryRefs = { dataSources: new Map([["hr.employees", "ds1"]]), policies: new Set(["p1", "p2"]) };
const q = (x: Partial<QueryAuditInput>): QueryAuditInput => ({ username: "alice", state: "SUCCEEDED", errorMessage: null, views: [], denials: [], ...x });
const words = (x: Partial<QueryAuditInput>) => describeQueryAudit(q(x), refs).map(sentenceText);

describe("query audit records in words", () => {
  it("a read names each mask with its policy and the row filters, with links to the user, data source and policies", () => {
    const lines = describeQueryAudit(
      q({
        views: [
          {
            catalog: "governed",
            schema: "hr",
            name: "employees",
            read: true,
            applied: {
              project: null,
              columns: {
                ssn: { method: "NULL", policyId: "p1", policyName: "Hide SSNs outside HR" },
                email: { method: "REDACT", policyId: "p9", policyName: "Old email rule" },
              },
              rowFilters: [{ kind: "MATCH_ATTRIBUTE", policyId: "p2", policyName: "Rows of the user's own region" }],
            },
          },
        ],
      }),
      refs,
    );
    expect(lines.map(sentenceText)).toEqual([
      "alice read hr.employees: ssn NULL by “Hide SSNs outside HR”, email REDACT by “Old email rule”; rows filtered by “Rows of the user's own region”",
    ]);
    // the policy that no longer exists is named as it was called, without a link
    expect(lines[0]!.filter((s) => s.href).map((s) => [s.text, s.href])).toEqual([
      ["alice", "/audit/queries?user=alice"],
      ["hr.employees", "/data-sources/ds1"],
      ["“Hide SSNs outside HR”", "/policies/p1"],
      ["“Rows of the user's own region”", "/policies/p2"],
    ]);
  });

  it("a view without masks or filters, a lookup without a read, several filters, a fallback, an answer without applied", () => {
    const view = { catalog: "governed", schema: "sales", name: "orders" };
    expect(words({ views: [{ ...view, read: true, applied: { project: "research", columns: {}, rowFilters: [] } }] })).toEqual(["alice read sales.orders: no masks; all rows"]);
    expect(
      words({
        views: [
          {
            ...view,
            read: false,
            applied: {
              columns: { amount: { method: "HASH", policyId: "p1", policyName: "a", fallback: "the column is not text: NULL" } },
              rowFilters: [
                { kind: "WHERE", policyId: "p1", policyName: "a" },
                { kind: "TIME_WINDOW", policyId: "p2", policyName: "b" },
                { kind: "WHERE", policyId: "p3", policyName: "c", fallback: "unknown attribute" },
              ],
            },
          },
        ],
      }),
    ).toEqual([
      "alice looked up sales.orders: amount HASH by “a” (the column is not text: NULL); rows filtered by “a”, “b” and “c” (failed closed: unknown attribute) (definition only, no rows read)",
    ]);
    expect(words({ views: [{ ...view, read: true, applied: null }] })).toEqual(["alice read sales.orders (the console did not say which policies applied)"]);
  });

  it("denials in words: not visible, unknown user, backing catalog refused", () => {
    expect(
      words({
        username: "bob",
        state: "FAILED",
        errorMessage: "line 1:15: Table 'governed.hr.employees' does not exist",
        denials: [{ kind: "NOT_VISIBLE", catalog: "governed", schema: "hr", name: "employees" }],
      }),
    ).toEqual(["bob: hr.employees is not visible to them (not subscribed, not in their project, or no such data source)"]);
    expect(words({ username: "mallory", denials: [{ kind: "UNKNOWN_USER", catalog: "governed" }] })).toEqual(["mallory is not known to Steward: nothing in catalog governed is visible to them"]);
    expect(words({ state: "FAILED", denials: [{ kind: "BACKING_CATALOG", catalog: "memory", message: "Access Denied: Cannot access catalog memory" }] })).toEqual([
      "alice: backing catalog memory refused (only the service user reads backing tables)",
    ]);
    // a catalog that backs no data source is named as what it is
    const known = { ...refs, backingCatalogs: new Set(["memory"]) };
    expect(describeQueryAudit(q({ state: "FAILED", denials: [{ kind: "BACKING_CATALOG", catalog: "governed_other" }] }), known).map(sentenceText)).toEqual([
      "alice: catalog governed_other refused by Trino's access rules",
    ]);
    // a table refused in a catalog: backing, or not
    expect(describeQueryAudit(q({ state: "FAILED", denials: [{ kind: "BACKING_CATALOG", catalog: "memory", table: "hr.employees" }] }), known).map(sentenceText)).toEqual([
      "alice: backing table memory.hr.employees refused (only the service user reads backing tables)",
    ]);
    expect(describeQueryAudit(q({ state: "FAILED", denials: [{ kind: "BACKING_CATALOG", catalog: "governed", table: "steward_internal.hash_key" }] }), known).map(sentenceText)).toEqual([
      "alice: table governed.steward_internal.hash_key refused by Trino's access rules",
    ]);
  });

  it("a failed query that no denial explains gives Trino's reason, after what it looked up", () => {
    expect(words({ state: "FAILED", errorMessage: "Steward: the console at http://x is unreachable" })).toEqual(["alice's query failed: Steward: the console at http://x is unreachable"]);
    expect(
      words({
        state: "FAILED",
        errorMessage: "Access Denied: Cannot show create view",
        views: [{ catalog: "governed", schema: "hr", name: "employees", read: false, applied: { columns: {}, rowFilters: [] } }],
      }),
    ).toEqual(["alice looked up hr.employees: no masks; all rows (definition only, no rows read)", "alice's query failed: Access Denied: Cannot show create view"]);
    expect(words({})).toEqual(["alice ran a query that read no governed view"]);
  });
});
