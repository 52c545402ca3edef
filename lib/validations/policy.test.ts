import { describe, expect, it } from "vitest";
import {
  conditionSchema,
  maskActionSchema,
  policyActionSchema,
  policyCreateSchema,
  policyInputSchema,
  policyUpdateSchema,
  rowFilterActionSchema,
  subscriptionPolicySchema,
  trinoTypeSchema,
  whoSchema,
} from "./policy";

const ok = (schema: { safeParse: (v: unknown) => { success: boolean } }, v: unknown) => expect(schema.safeParse(v).success).toBe(true);
const bad = (schema: { safeParse: (v: unknown) => { success: boolean } }, v: unknown) => expect(schema.safeParse(v).success).toBe(false);

const cond = { match: "any", terms: [{ kind: "group", group: "hr" }] };

describe("who and conditions", () => {
  it.each([
    { type: "EVERYONE" },
    { type: "EVERYONE_EXCEPT", condition: cond },
    { type: "ONLY", condition: { match: "all", terms: [{ kind: "attribute", key: "region", value: "EU" }, { kind: "purpose", purpose: "audit" }, { kind: "user", username: "bob" }] } },
  ])("accepts %j", (who) => ok(whoSchema, who));

  it.each([
    { type: "EVERYONE", condition: cond },
    { type: "ONLY" },
    { type: "SOMETIMES" },
    { type: "ONLY", condition: { match: "any", terms: [] } },
    { type: "ONLY", condition: { match: "most", terms: [{ kind: "group", group: "hr" }] } },
    { type: "ONLY", condition: { match: "any", terms: [{ kind: "group", group: "" }] } },
    { type: "ONLY", condition: { match: "any", terms: [{ kind: "group", group: "x".repeat(129) }] } },
    { type: "ONLY", condition: { match: "any", terms: [{ kind: "group", group: "a\nb" }] } },
    { type: "ONLY", condition: { match: "any", terms: [{ kind: "group", group: "hr", extra: 1 }] } },
    { type: "ONLY", condition: { match: "any", terms: [{ kind: "role", role: "x" }] } },
    { type: "ONLY", condition: { match: "any", terms: Array(51).fill({ kind: "group", group: "g" }) } },
  ])("rejects %j", (who) => bad(whoSchema, who));

  it("lower-cases usernames", () => {
    const r = conditionSchema.parse({ match: "any", terms: [{ kind: "user", username: "Bob" }] });
    expect(r.terms[0]).toEqual({ kind: "user", username: "bob" });
  });
});

describe("mask actions", () => {
  const m = (mask: unknown, extra: object = {}) => ({ type: "MASK", target: { columns: ["email"] }, mask, ...extra });
  it.each([
    m({ method: "NULL" }),
    m({ method: "CONSTANT", value: "" }),
    m({ method: "CONSTANT", value: "n/a" }),
    m({ method: "REDACT" }),
    m({ method: "SHOW_FIRST", n: 0 }),
    m({ method: "SHOW_LAST", n: 4 }),
    m({ method: "REGEX", pattern: "\\d", replacement: "" }),
    m({ method: "HASH" }),
    m({ method: "ROUND", n: 0.5 }),
    m({ method: "ROUND", unit: "month" }),
    m({ method: "ROUND", n: 10, unit: "year" }),
    m({ method: "CUSTOM", sql: "substr({col}, 1, 2)" }),
    m({ method: "NULL" }, { onlyWhere: "{col} IS NOT NULL AND region <> @username" }),
    { type: "MASK", target: { tag: "PII.Email" }, mask: { method: "HASH" } },
  ])("accepts %j", (a) => {
    ok(maskActionSchema, a);
    ok(policyActionSchema, a);
  });

  it.each([
    ["unknown method", m({ method: "TOKENIZE" })],
    ["advanced mask", m({ method: "K_ANONYMIZE", k: 5 })],
    ["extra key in mask", m({ method: "NULL", n: 1 })],
    ["extra key in action", m({ method: "NULL" }, { extra: true })],
    ["negative n", m({ method: "SHOW_FIRST", n: -1 })],
    ["fractional n", m({ method: "SHOW_LAST", n: 1.5 })],
    ["ROUND with neither", m({ method: "ROUND" })],
    ["ROUND n zero", m({ method: "ROUND", n: 0 })],
    ["ROUND bad unit", m({ method: "ROUND", unit: "week" })],
    ["CONSTANT too long", m({ method: "CONSTANT", value: "x".repeat(1001) })],
    ["REGEX empty pattern", m({ method: "REGEX", pattern: "", replacement: "" })],
    ["CUSTOM comment", m({ method: "CUSTOM", sql: "{col} -- x" })],
    ["CUSTOM semicolon", m({ method: "CUSTOM", sql: "{col}; DROP TABLE x" })],
    ["CUSTOM unbalanced", m({ method: "CUSTOM", sql: "{col})" })],
    ["CUSTOM customType in the form", m({ method: "CUSTOM", sql: "{col}", customType: "bigint" })],
    ["predicate comment", m({ method: "NULL" }, { onlyWhere: "x /* y */" })],
    ["predicate unknown macro", m({ method: "NULL" }, { onlyWhere: "@secret = 1" })],
    ["target both", { type: "MASK", target: { columns: ["a"], tag: "PII" }, mask: { method: "NULL" } }],
    ["target empty columns", { type: "MASK", target: { columns: [] }, mask: { method: "NULL" } }],
    ["target duplicate columns", { type: "MASK", target: { columns: ["a", "A"] }, mask: { method: "NULL" } }],
    ["target bad tag", { type: "MASK", target: { tag: "PII..Email" }, mask: { method: "NULL" } }],
    ["target tag with space", { type: "MASK", target: { tag: "P II" }, mask: { method: "NULL" } }],
  ])("rejects %s", (_label, a) => bad(policyActionSchema, a));
});

describe("row filter actions", () => {
  const f = (filter: unknown) => ({ type: "ROW_FILTER", filter });
  it.each([
    f({ kind: "MATCH_ATTRIBUTE", column: "region", key: "region" }),
    f({ kind: "MATCH_GROUP", column: "dept" }),
    f({ kind: "WHERE", sql: "contains(@attribute('region'), region)" }),
    f({ kind: "TIME_WINDOW", column: "ts", amount: 30, unit: "day" }),
    f({ kind: "TIME_WINDOW", column: "ts", amount: 1, unit: "second" }),
    f({ kind: "MINIMIZE", percent: 100, keyColumns: ["id"] }),
    f({ kind: "MINIMIZE", percent: 0.01, keyColumns: ["id", "ts"] }),
    f({ kind: "PURPOSE_RESTRICT", purposes: ["audit"] }),
  ])("accepts %j", (a) => ok(rowFilterActionSchema, a));

  it.each([
    ["percent 0", f({ kind: "MINIMIZE", percent: 0, keyColumns: ["id"] })],
    ["percent > 100", f({ kind: "MINIMIZE", percent: 100.5, keyColumns: ["id"] })],
    ["no key columns", f({ kind: "MINIMIZE", percent: 5, keyColumns: [] })],
    ["missing key columns", f({ kind: "MINIMIZE", percent: 5 })],
    ["amount 0", f({ kind: "TIME_WINDOW", column: "ts", amount: 0, unit: "day" })],
    ["amount fractional", f({ kind: "TIME_WINDOW", column: "ts", amount: 1.5, unit: "day" })],
    ["unit week", f({ kind: "TIME_WINDOW", column: "ts", amount: 1, unit: "week" })],
    ["WHERE placeholder", f({ kind: "WHERE", sql: "{col} = 1" })],
    ["WHERE comment", f({ kind: "WHERE", sql: "a = 1 --" })],
    ["WHERE too long", f({ kind: "WHERE", sql: "a".repeat(4001) })],
    ["no purposes", f({ kind: "PURPOSE_RESTRICT", purposes: [] })],
    ["extra key", f({ kind: "MATCH_GROUP", column: "dept", key: "x" })],
    ["unknown kind", f({ kind: "SAMPLE", percent: 5 })],
  ])("rejects %s", (_label, a) => bad(policyActionSchema, a));
});

describe("policies", () => {
  const local = { name: "Mask emails", scope: "LOCAL", dataSourceId: "ds_1", who: { type: "EVERYONE" }, action: { type: "MASK", target: { columns: ["email"] }, mask: { method: "HASH" } } };
  const global = { name: "PII", scope: "GLOBAL", tag: "PII", who: { type: "EVERYONE" }, action: { type: "MASK", target: { tag: "PII" }, mask: { method: "NULL" } } };

  it("accepts LOCAL and GLOBAL policies", () => {
    ok(policyCreateSchema, local);
    ok(policyCreateSchema, { ...global, description: "all PII" });
  });

  it.each([
    ["LOCAL without data source", { ...local, dataSourceId: undefined }],
    ["LOCAL with a tag", { ...local, tag: "PII" }],
    ["GLOBAL without tag", { ...global, tag: undefined }],
    ["GLOBAL with a data source", { ...global, dataSourceId: "ds_1" }],
    ["unknown key", { ...local, enabled: true }],
    ["empty name", { ...local, name: "" }],
    ["long name", { ...local, name: "x".repeat(201) }],
    ["bad scope", { ...local, scope: "TEAM" }],
    ["bad data source id", { ...local, dataSourceId: "a b" }],
    ["id in create", { ...local, id: "p1" }],
  ])("rejects %s", (_label, p) => bad(policyCreateSchema, p));

  it("update accepts any consistent subset", () => {
    ok(policyUpdateSchema, { name: "renamed" });
    ok(policyUpdateSchema, { who: { type: "EVERYONE" } });
    ok(policyUpdateSchema, { scope: "GLOBAL", tag: "PII" });
    bad(policyUpdateSchema, { scope: "GLOBAL" });
    bad(policyUpdateSchema, { name: "x", surprise: 1 });
  });

  it("the compiler's input carries id, createdAt and an optional customType", () => {
    const parsed = policyInputSchema.parse({ ...local, id: "p1", createdAt: "2024-01-01T00:00:00.000Z", customType: "VARCHAR(10)" });
    expect(parsed.customType).toBe("varchar(10)");
    ok(policyInputSchema, { ...global, id: "p2", createdAt: "2024-01-01T00:00:00+02:00" });
    bad(policyInputSchema, { ...global, id: "p2", createdAt: "yesterday" });
    bad(policyInputSchema, { ...global, id: "p2", createdAt: "2024-01-01T00:00:00Z", customType: "bigint) --" });
  });
});

describe("types and subscriptions", () => {
  it("normalizes Trino types and rejects anything else", () => {
    expect(trinoTypeSchema.parse("DECIMAL(12, 2)")).toBe("decimal(12,2)");
    bad(trinoTypeSchema, "bigint; drop");
  });

  it("AUTO needs a condition", () => {
    ok(subscriptionPolicySchema, { type: "AUTO", condition: cond });
    ok(subscriptionPolicySchema, { type: "APPROVAL", maxDays: 30 });
    bad(subscriptionPolicySchema, { type: "AUTO" });
    bad(subscriptionPolicySchema, { type: "OPEN", maxDays: 0 });
  });
});
