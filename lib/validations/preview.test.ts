import { describe, expect, it } from "vitest";
import { savePolicySchema } from "./preview";

describe("savePolicySchema", () => {
  it("takes the policy's fields as an object, nothing else (no empty edit that would still bump the version)", () => {
    expect(savePolicySchema.safeParse({ id: "p1", version: 2, policy: { name: "x" } }).success).toBe(true);
    for (const policy of [null, "x", 42, ["name"], undefined]) {
      expect(savePolicySchema.safeParse({ id: "p1", version: 2, policy }).success, JSON.stringify(policy)).toBe(false);
    }
  });
});
