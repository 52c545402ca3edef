import { describe, expect, it } from "vitest";
import { createProjectSchema, switchProjectSchema } from "./projects";

describe("project schemas", () => {
  it("takes purposes with statements and lower-cased, de-duplicated members", () => {
    const p = createProjectSchema.parse({
      name: "churn",
      description: "",
      purposes: [{ name: "retention", statement: "I use this only to reduce churn." }],
      members: ["Alice", "alice", "bob"],
    });
    expect(p).toEqual({ name: "churn", description: null, purposes: [{ name: "retention", statement: "I use this only to reduce churn." }], members: ["alice", "bob"] });
    expect(createProjectSchema.parse(p)).toEqual(p);
  });

  it("needs a real statement and a plain name", () => {
    expect(createProjectSchema.safeParse({ name: "x", purposes: [{ name: "p", statement: "ok" }] }).error?.issues[0].path).toEqual(["purposes", 0, "statement"]);
    expect(createProjectSchema.safeParse({ name: "Big Project" }).success).toBe(false);
  });

  it("allows switching to no project", () => {
    expect(switchProjectSchema.parse({ projectId: null })).toEqual({ projectId: null });
    expect(switchProjectSchema.safeParse({}).success).toBe(false);
  });
});
