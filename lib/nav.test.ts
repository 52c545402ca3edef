import { describe, expect, it } from "vitest";
import { navFor } from "./nav";

const labels = (roles: string[]) => navFor(roles).map((i) => i.label);

describe("navFor", () => {
  it("gives a plain user the catalogue, subscriptions and projects only", () => {
    expect(labels([])).toEqual(["Data sources", "Subscriptions", "Projects"]);
  });
  it("gives a governor policies but not people, audit or settings", () => {
    expect(labels(["GOVERNOR"])).toEqual(["Data sources", "Subscriptions", "Policies", "Projects"]);
  });
  it("gives an auditor the audit log", () => {
    expect(labels(["AUDITOR"])).toContain("Audit");
    expect(labels(["AUDITOR"])).toContain("Policies"); // auditors read policies (never write them)
    expect(labels(["AUDITOR"])).not.toContain("People");
  });
  it("gives an admin everything", () => {
    expect(labels(["ADMIN"])).toHaveLength(7);
  });
});
