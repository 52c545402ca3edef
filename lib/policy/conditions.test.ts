import { describe, expect, it } from "vitest";
import { appliesTo, matchesCondition } from "./conditions";
import type { Condition, ConditionTerm, UserContext, Who } from "./types";

const alice: UserContext = {
  username: "alice",
  groups: ["hr", "Admins"],
  attributes: { region: ["EU", "US"], level: ["3"] },
  purposes: ["audit"],
};

describe("condition terms", () => {
  it.each<[string, ConditionTerm, boolean]>([
    ["group member", { kind: "group", group: "hr" }, true],
    ["group not member", { kind: "group", group: "finance" }, false],
    ["group compared exactly (case)", { kind: "group", group: "admins" }, false],
    ["group compared exactly (exact case)", { kind: "group", group: "Admins" }, true],
    ["attribute value present", { kind: "attribute", key: "region", value: "EU" }, true],
    ["attribute second value", { kind: "attribute", key: "region", value: "US" }, true],
    ["attribute value absent", { kind: "attribute", key: "region", value: "APAC" }, false],
    ["attribute value case-sensitive", { kind: "attribute", key: "region", value: "eu" }, false],
    ["attribute key absent", { kind: "attribute", key: "dept", value: "EU" }, false],
    ["attribute key from prototype", { kind: "attribute", key: "constructor", value: "x" }, false],
    ["active purpose", { kind: "purpose", purpose: "audit" }, true],
    ["inactive purpose", { kind: "purpose", purpose: "marketing" }, false],
    ["user", { kind: "user", username: "alice" }, true],
    ["user case-insensitive", { kind: "user", username: "ALICE" }, true],
    ["other user", { kind: "user", username: "bob" }, false],
  ])("%s", (_label, term, expected) => {
    expect(matchesCondition({ match: "any", terms: [term] }, alice)).toBe(expected);
    expect(matchesCondition({ match: "all", terms: [term] }, alice)).toBe(expected);
  });

  it("compares the user's own name case-insensitively too", () => {
    expect(matchesCondition({ match: "any", terms: [{ kind: "user", username: "alice" }] }, { ...alice, username: "Alice" })).toBe(true);
  });
});

describe("any / all", () => {
  const yes: ConditionTerm = { kind: "group", group: "hr" };
  const no: ConditionTerm = { kind: "group", group: "finance" };
  it.each<[Condition["match"], ConditionTerm[], boolean]>([
    ["any", [yes, no], true],
    ["any", [no, no], false],
    ["any", [yes, yes], true],
    ["all", [yes, no], false],
    ["all", [yes, yes], true],
    ["all", [no, no], false],
    ["any", [], false],
    ["all", [], true],
  ])("%s of %j", (match, terms, expected) => {
    expect(matchesCondition({ match, terms }, alice)).toBe(expected);
  });
});

describe("appliesTo", () => {
  const hr: Condition = { match: "any", terms: [{ kind: "group", group: "hr" }] };
  const finance: Condition = { match: "any", terms: [{ kind: "group", group: "finance" }] };
  it.each<[string, Who, boolean]>([
    ["EVERYONE", { type: "EVERYONE" }, true],
    ["EVERYONE_EXCEPT matching", { type: "EVERYONE_EXCEPT", condition: hr }, false],
    ["EVERYONE_EXCEPT not matching", { type: "EVERYONE_EXCEPT", condition: finance }, true],
    ["ONLY matching", { type: "ONLY", condition: hr }, true],
    ["ONLY not matching", { type: "ONLY", condition: finance }, false],
  ])("%s", (_label, who, expected) => {
    expect(appliesTo(who, alice)).toBe(expected);
  });

  it("throws on an unknown who (never silently applies or skips)", () => {
    expect(() => appliesTo({ type: "SOMETIMES" } as unknown as Who, alice)).toThrow();
    expect(() => matchesCondition({ match: "most", terms: [] } as unknown as Condition, alice)).toThrow();
  });
});
