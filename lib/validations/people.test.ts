import { describe, expect, it } from "vitest";
import { createGroupSchema, createUserSchema, updateUserSchema } from "./people";

const base = { username: "Dave", password: "long-enough" };

describe("createUserSchema", () => {
  it("stores usernames lower-case and trims them", () => {
    expect(createUserSchema.parse({ ...base, username: "  Dave.Smith@Corp " }).username).toBe("dave.smith@corp");
  });

  it("rejects names Trino users cannot have here, with a message per field", () => {
    for (const username of ["", "-dave", "da ve", "dave;drop", "x".repeat(129)]) {
      const r = createUserSchema.safeParse({ ...base, username });
      expect(r.success, username).toBe(false);
      expect(r.error?.issues[0].path).toEqual(["username"]);
    }
  });

  it("needs a password of at least 8 characters", () => {
    const r = createUserSchema.safeParse({ ...base, password: "short" });
    expect(r.error?.issues[0].message).toBe("At least 8 characters.");
  });

  it("keeps many values for one attribute key, and drops exact duplicates", () => {
    const parsed = createUserSchema.parse({
      ...base,
      attributes: [
        { key: "region", value: "EU" },
        { key: "region", value: "US" },
        { key: "region", value: " EU " },
      ],
    });
    expect(parsed.attributes).toEqual([
      { key: "region", value: "EU" },
      { key: "region", value: "US" },
    ]);
  });

  it("rejects empty attribute values, unknown roles and unknown keys", () => {
    expect(createUserSchema.safeParse({ ...base, attributes: [{ key: "region", value: " " }] }).success).toBe(false);
    expect(createUserSchema.safeParse({ ...base, roles: ["ROOT"] }).success).toBe(false);
    expect(createUserSchema.safeParse({ ...base, admin: true }).success).toBe(false);
  });

  it("is idempotent: parsing its own output gives the same value (actions parse, then lib/server parses again)", () => {
    const once = createUserSchema.parse({ ...base, displayName: "", roles: ["AUDITOR", "AUDITOR"], groups: ["hr", "hr"] });
    expect(once.displayName).toBeNull();
    expect(once.roles).toEqual(["AUDITOR"]);
    expect(createUserSchema.parse(once)).toEqual(once);
  });
});

describe("updateUserSchema and createGroupSchema", () => {
  it("accepts partial updates", () => {
    expect(updateUserSchema.parse({ disabled: true })).toEqual({ disabled: true });
  });
  it("validates group names and lower-cases member names", () => {
    expect(createGroupSchema.parse({ name: "data-eng", members: ["Alice"] })).toMatchObject({ name: "data-eng", members: ["alice"] });
    expect(createGroupSchema.safeParse({ name: "has space" }).success).toBe(false);
  });
});
