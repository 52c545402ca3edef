import { describe, expect, it } from "vitest";
import { policyCreateSchema, type PolicyCreateInput } from "@/lib/validations/policy";
import { emptyPolicyForm, errorsByField, fieldLabel, formToPolicy, policyToForm, validatePolicyForm } from "./form";

const local = { name: "p", description: "", scope: "LOCAL" as const, dataSourceId: "ds1" };
const exceptHr = { type: "EVERYONE_EXCEPT" as const, condition: { match: "any" as const, terms: [{ kind: "group" as const, group: "hr" }] } };

// Every who and every action the builder offers, as stored JSON: form -> JSON must give them back unchanged.
const policies: PolicyCreateInput[] = [
  { ...local, who: { type: "EVERYONE" }, action: { type: "MASK", target: { columns: ["ssn"] }, mask: { method: "NULL" } } },
  { ...local, who: exceptHr, action: { type: "MASK", target: { columns: ["phone", "email"] }, mask: { method: "SHOW_LAST", n: 4 } } },
  {
    ...local,
    who: {
      type: "ONLY",
      condition: {
        match: "all",
        terms: [
          { kind: "group", group: "analysts" },
          { kind: "attribute", key: "region", value: "EU" },
          { kind: "purpose", purpose: "fraud-detection" },
          { kind: "user", username: "alice" },
        ],
      },
    },
    action: { type: "MASK", target: { columns: ["name"] }, mask: { method: "SHOW_FIRST", n: 0 }, onlyWhere: "region <> 'EU'" },
  },
  { ...local, who: { type: "EVERYONE" }, action: { type: "MASK", target: { columns: ["name"] }, mask: { method: "CONSTANT", value: "" } } },
  { ...local, who: { type: "EVERYONE" }, action: { type: "MASK", target: { columns: ["name"] }, mask: { method: "REDACT" } } },
  { ...local, who: { type: "EVERYONE" }, action: { type: "MASK", target: { columns: ["name"] }, mask: { method: "REGEX", pattern: "\\d", replacement: "" } } },
  { ...local, who: { type: "EVERYONE" }, action: { type: "MASK", target: { columns: ["name"] }, mask: { method: "HASH" } } },
  { ...local, who: { type: "EVERYONE" }, action: { type: "MASK", target: { columns: ["salary"] }, mask: { method: "ROUND", n: 1000 } } },
  { ...local, who: { type: "EVERYONE" }, action: { type: "MASK", target: { columns: ["hire_date"] }, mask: { method: "ROUND", unit: "month" } } },
  { ...local, who: { type: "EVERYONE" }, action: { type: "MASK", target: { columns: ["x"] }, mask: { method: "ROUND", n: 0.5, unit: "year" } } },
  { ...local, who: { type: "EVERYONE" }, action: { type: "MASK", target: { columns: ["name"] }, mask: { method: "CUSTOM", sql: "substr({col}, 1, 2)" } } },
  { ...local, who: exceptHr, action: { type: "ROW_FILTER", filter: { kind: "MATCH_ATTRIBUTE", column: "region", key: "region" } } },
  { ...local, who: { type: "EVERYONE" }, action: { type: "ROW_FILTER", filter: { kind: "MATCH_GROUP", column: "department" } } },
  { ...local, who: { type: "EVERYONE" }, action: { type: "ROW_FILTER", filter: { kind: "WHERE", sql: "contains(@attribute('region'), region)" } } },
  { ...local, who: { type: "EVERYONE" }, action: { type: "ROW_FILTER", filter: { kind: "TIME_WINDOW", column: "updated_at", amount: 30, unit: "day" } } },
  { ...local, who: { type: "EVERYONE" }, action: { type: "ROW_FILTER", filter: { kind: "MINIMIZE", percent: 12.5, keyColumns: ["id", "name"] } } },
  { ...local, who: { type: "EVERYONE" }, action: { type: "ROW_FILTER", filter: { kind: "PURPOSE_RESTRICT", purposes: ["audit", "fraud-detection"] } } },
  {
    name: "g",
    description: "global",
    scope: "GLOBAL",
    tag: "PII",
    who: exceptHr,
    action: { type: "MASK", target: { tag: "PII.Email" }, mask: { method: "REDACT" }, onlyWhere: "{col} <> ''" },
  },
];

describe("policy form <-> stored JSON", () => {
  it.each(policies.map((p) => [`${p.action.type} ${JSON.stringify(p.action).slice(0, 60)} ${p.who.type}`, p]))("round-trips %s", (_, p) => {
    const form = policyToForm(p);
    const back = formToPolicy(form);
    expect(policyCreateSchema.parse(back)).toEqual(policyCreateSchema.parse(p));
    const v = validatePolicyForm(form);
    expect(v.ok).toBe(true);
  });

  it("a LOCAL form carries no tag and a GLOBAL one no data source, whatever was typed before switching", () => {
    const f = emptyPolicyForm({ name: "x", dataSourceId: "ds1", tag: "PII", targetColumns: ["a"] });
    expect(formToPolicy(f)).not.toHaveProperty("tag");
    expect(formToPolicy({ ...f, scope: "GLOBAL" })).not.toHaveProperty("dataSourceId");
    expect(formToPolicy({ ...f, scope: "GLOBAL" }).tag).toBe("PII");
  });

  it("trims identifiers and leaves attribute values and constants as typed", () => {
    const f = emptyPolicyForm({
      name: "  x ",
      dataSourceId: "ds1",
      whoType: "ONLY",
      terms: [{ kind: "attribute", key: " region ", value: " EU " }],
      method: "CONSTANT",
      constant: "  ",
      targetColumns: ["a"],
    });
    const p = formToPolicy(f) as { name: string; who: { condition: { terms: unknown[] } }; action: { mask: unknown } };
    expect(p.name).toBe("x");
    expect(p.who.condition.terms).toEqual([{ kind: "attribute", key: "region", value: " EU " }]);
    expect(p.action.mask).toEqual({ method: "CONSTANT", value: "  " });
  });
});

describe("inline validation", () => {
  const base = emptyPolicyForm({ name: "x", dataSourceId: "ds1", targetColumns: ["phone"] });

  it("a negative n is an error at action.mask.n", () => {
    const v = validatePolicyForm({ ...base, method: "SHOW_FIRST", n: "-3" });
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.errors["action.mask.n"]).toEqual(["Must be at least 0."]);
  });

  it("a fractional or blank n is an error too", () => {
    const frac = validatePolicyForm({ ...base, method: "SHOW_LAST", n: "1.5" });
    const blank = validatePolicyForm({ ...base, method: "SHOW_LAST", n: " " });
    expect(frac.ok || frac.errors["action.mask.n"]).toEqual(["Enter a whole number."]);
    expect(blank.ok || blank.errors["action.mask.n"]).toEqual(["Enter a number."]);
  });

  it("an empty CUSTOM expression is an error at action.mask.sql", () => {
    const v = validatePolicyForm({ ...base, method: "CUSTOM", customSql: "   " });
    expect(v.ok || v.errors).toEqual({ "action.mask.sql": ["Required."] });
  });

  it("a CUSTOM expression with a comment is refused with the checker's reason", () => {
    const v = validatePolicyForm({ ...base, method: "CUSTOM", customSql: "{col} -- hi" });
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.errors["action.mask.sql"]?.[0]).toMatch(/comment/i);
  });

  it("ROUND without n or unit lands on the method picker", () => {
    const v = validatePolicyForm({ ...base, method: "ROUND" });
    expect(v.ok).toBe(false);
    if (!v.ok) expect(errorsByField(v.errors)["action.mask.method"]?.[0]).toMatch(/ROUND needs/);
  });

  it("missing name, data source, columns and an empty condition term: each at its field", () => {
    const v = validatePolicyForm(emptyPolicyForm({ whoType: "EVERYONE_EXCEPT" }));
    expect(v.ok).toBe(false);
    if (!v.ok) {
      const byField = errorsByField(v.errors);
      expect(byField.name).toEqual(["Required."]);
      expect(byField.dataSourceId?.[0]).toMatch(/needs a data source/);
      expect(byField["action.target.columns"]).toEqual(["Pick at least one."]);
      expect(byField["who.condition.terms.0.group"]).toEqual(["Required."]);
    }
  });

  it("a GLOBAL policy needs a tag, and a tag must be dot-separated segments", () => {
    const g = emptyPolicyForm({ name: "x", scope: "GLOBAL", targetType: "tag", targetTag: "PII" });
    const none = validatePolicyForm(g);
    expect(none.ok || none.errors.tag?.[0]).toMatch(/needs a tag/);
    const bad = validatePolicyForm({ ...g, tag: "not a tag" });
    expect(bad.ok || bad.errors.tag?.[0]).toMatch(/dot-separated/);
    expect(validatePolicyForm({ ...g, tag: "PII" }).ok).toBe(true);
  });

  it("row filters: percent over 100, amount 0, no purposes", () => {
    const rf = emptyPolicyForm({ name: "x", dataSourceId: "ds1", kind: "ROW_FILTER" });
    const pct = validatePolicyForm({ ...rf, filterKind: "MINIMIZE", percent: "150", keyColumns: ["id"] });
    expect(pct.ok || pct.errors["action.filter.percent"]).toEqual(["Must be at most 100."]);
    const amt = validatePolicyForm({ ...rf, filterKind: "TIME_WINDOW", filterColumn: "ts", amount: "0" });
    expect(amt.ok || amt.errors["action.filter.amount"]).toEqual(["Must be at least 1."]);
    const pur = validatePolicyForm({ ...rf, filterKind: "PURPOSE_RESTRICT" });
    expect(pur.ok || pur.errors["action.filter.purposes"]).toEqual(["Pick at least one."]);
  });
});

describe("fieldLabel", () => {
  it("names fields for messages", () => {
    expect(fieldLabel("action.mask.sql")).toBe("Expression");
    expect(fieldLabel("who.condition.terms.1.group")).toBe("Condition 2");
    expect(fieldLabel("something.else")).toBe("something.else");
  });
});

describe("warnings for names nobody has yet", () => {
  const known = { groups: ["hr", "analysts"], attributes: { region: ["EU", "US"] }, purposes: ["Fraud"], users: [{ username: "alice" }] };
  it("warns about an unknown group, attribute key or value, purpose and user; not about known or empty ones", async () => {
    const { unknownValueWarning, unknownAttributeKeyWarning } = await import("./form");
    expect(unknownValueWarning({ kind: "group", value: "hr", key: "" }, known)).toBeNull();
    expect(unknownValueWarning({ kind: "group", value: "hrr", key: "" }, known)).toBe("No group “hrr” exists yet: check the spelling.");
    expect(unknownValueWarning({ kind: "group", value: " ", key: "" }, known)).toBeNull();
    expect(unknownValueWarning({ kind: "attribute", value: "EU", key: "region" }, known)).toBeNull();
    expect(unknownValueWarning({ kind: "attribute", value: "APAC", key: "region" }, known)).toBe("No user has region=APAC yet.");
    expect(unknownValueWarning({ kind: "attribute", value: "EU", key: "regoin" }, known)).toBe("No user has the attribute “regoin” yet: check the spelling.");
    expect(unknownValueWarning({ kind: "purpose", value: "Marketing", key: "" }, known)).toBe("No purpose “Marketing” exists yet.");
    expect(unknownValueWarning({ kind: "user", value: "Alice", key: "" }, known)).toBeNull();
    expect(unknownValueWarning({ kind: "user", value: "zed", key: "" }, known)).toBe("No user “zed” exists yet.");
    expect(unknownAttributeKeyWarning("region", known)).toBeNull();
    expect(unknownAttributeKeyWarning("dept", known)).toBe("No user has the attribute “dept” yet: this filter leaves nobody any rows.");
  });
});
