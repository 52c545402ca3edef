import { describe, expect, it } from "vitest";
import { auditFilterSchema } from "./audit";
import { subscriptionRequestSchema, registerFromTrinoSchema } from "./data-source";
import { apiKeyNameSchema, createWebhookSchema } from "./integration";
import { changeOwnPasswordSchema, createGroupSchema, createUserSchema, updateUserSchema } from "./people";
import { policyCreateSchema } from "./policy";
import { createProjectSchema } from "./projects";
import { findTextProblem, text, textProblem } from "./text";

// PostgreSQL refuses NUL in text (a 500 when it reached the database) and a lone surrogate is not Unicode:
// every text field refuses both with a 422-style zod issue.

const NUL = "a\u0000b";
const LONE = "a\ud800b";
const LONE_LOW = "\udc00";

describe("textProblem", () => {
  it("accepts ordinary text, emoji (a surrogate pair) and other control characters", () => {
    for (const s of ["", "plain", "naïve 日本", "😀", "tab\there"]) expect(textProblem(s)).toBeNull();
  });
  it("refuses NUL and unpaired surrogates, high or low", () => {
    expect(textProblem(NUL)).toMatch(/NUL/);
    expect(textProblem(LONE)).toMatch(/unpaired surrogate/);
    expect(textProblem(LONE_LOW)).toMatch(/unpaired surrogate/);
    expect(textProblem("😀".slice(0, 1))).toMatch(/unpaired surrogate/);
  });
});

describe("text()", () => {
  it("keeps the chain of string checks and reports its own problem first", () => {
    const name = text().trim().min(1).max(5).regex(/^[a-z]+$/);
    expect(name.parse(" ab ")).toBe("ab");
    expect(name.safeParse(NUL).error?.issues[0].message).toMatch(/NUL/);
  });
});

describe("findTextProblem", () => {
  it("finds a bad value or key anywhere, with its path", () => {
    expect(findTextProblem({ a: [{ b: "ok" }, { c: NUL }] })).toEqual({ path: ["a", 1, "c"], message: expect.stringMatching(/NUL/) });
    expect(findTextProblem({ ["k\u0000"]: 1 })?.path).toEqual(["k\u0000"]);
    expect(findTextProblem({ a: 1, b: [true, null, "fine"] })).toBeNull();
  });
});

describe("every form's text fields refuse NUL and lone surrogates", () => {
  const cases: [string, { safeParse(v: unknown): { success: boolean } }, (bad: string) => unknown][] = [
    ["user display name", createUserSchema, (bad) => ({ username: "dave", password: "long-enough", displayName: bad })],
    ["user password", createUserSchema, (bad) => ({ username: "dave", password: `long-enough${bad}` })],
    ["user attribute value", updateUserSchema, (bad) => ({ attributes: [{ key: "region", value: bad }] })],
    ["group description", createGroupSchema, (bad) => ({ name: "g", description: bad })],
    ["own password change", changeOwnPasswordSchema, (bad) => ({ currentPassword: bad, newPassword: "long-enough" })],
    ["subscription reason", subscriptionRequestSchema, (bad) => ({ dataSourceId: "d1", reason: bad })],
    ["data source description", registerFromTrinoSchema, (bad) => ({ backing: { catalog: "tpch", schema: "tiny", table: "nation" }, governedSchema: "ref", name: "nations", description: bad })],
    ["backing table name", registerFromTrinoSchema, (bad) => ({ backing: { catalog: "tpch", schema: "tiny", table: bad }, governedSchema: "ref", name: "nations" })],
    ["API key name", apiKeyNameSchema, (bad) => ({ name: bad })],
    ["webhook secret", createWebhookSchema, (bad) => ({ url: "http://127.0.0.1:9/hook", events: ["*"], secret: `0123456789abcdef${bad}` })],
    ["project description", createProjectSchema, (bad) => ({ name: "churn", description: bad })],
    ["purpose statement", createProjectSchema, (bad) => ({ name: "churn", purposes: [{ name: "p", statement: `long enough statement ${bad}` }] })],
    ["policy description", policyCreateSchema, (bad) => ({ name: "p", description: bad, scope: "GLOBAL", tag: "PII", who: { type: "EVERYONE" }, action: { type: "MASK", target: { tag: "PII" }, mask: { method: "NULL" } } })],
    ["mask constant", policyCreateSchema, (bad) => ({ name: "p", scope: "GLOBAL", tag: "PII", who: { type: "EVERYONE" }, action: { type: "MASK", target: { tag: "PII" }, mask: { method: "CONSTANT", value: bad } } })],
    ["audit actor filter", auditFilterSchema, (bad) => ({ actor: bad })],
  ];
  it.each(cases)("%s", (_label, schema, input) => {
    expect(schema.safeParse(input("fine")).success).toBe(true);
    expect(schema.safeParse(input(NUL)).success).toBe(false);
    expect(schema.safeParse(input(LONE)).success).toBe(false);
  });
});
