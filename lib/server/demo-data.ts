// The demo's personas and governed table: one place, used by the seed, the README and the e2e fixtures.
import type { RoleName } from "@/lib/roles";

export const DEMO_PASSWORD = "steward-demo";

export interface Persona {
  username: string;
  displayName: string;
  roles: RoleName[];
  groups: string[];
  attributes: Record<string, string[]>;
}

export const PERSONAS: Persona[] = [
  { username: "admin", displayName: "Ada Admin", roles: ["ADMIN"], groups: [], attributes: {} },
  { username: "olivia", displayName: "Olivia Owner", roles: ["DATA_OWNER"], groups: ["hr"], attributes: { region: ["EU"] } },
  { username: "gwen", displayName: "Gwen Governor", roles: ["GOVERNOR"], groups: [], attributes: {} },
  { username: "alice", displayName: "Alice Analyst", roles: [], groups: ["analysts"], attributes: { region: ["EU"] } },
  { username: "bob", displayName: "Bob Analyst", roles: [], groups: [], attributes: { region: ["US"] } },
  { username: "carol", displayName: "Carol HR", roles: [], groups: ["hr"], attributes: {} },
  { username: "audrey", displayName: "Audrey Auditor", roles: ["AUDITOR"], groups: [], attributes: {} },
];

export const DEMO_PROJECT = {
  name: "fraud-analytics",
  description: "Detect fraudulent expense claims",
  purposes: [
    { name: "fraud-detection", statement: "I will use this data only to detect fraud." },
    { name: "workforce-planning", statement: "I will use this data only for aggregate workforce planning." },
  ],
  members: ["alice", "bob", "carol"],
};

export const HR_EMPLOYEES = {
  backing: { catalog: "memory", schema: "hr", table: "employees" },
  governedSchema: "hr",
  name: "employees",
  description: "Employees with PII (deterministic demo data derived from TPC-H customers).",
  tags: ["HR"],
  columns: [
    { name: "id", type: "bigint", tags: [] },
    { name: "name", type: "varchar", tags: ["PII.Name"] },
    { name: "email", type: "varchar", tags: ["PII.Email"] },
    { name: "ssn", type: "varchar", tags: ["PII.SSN"] },
    { name: "phone", type: "varchar", tags: ["PII.Phone"] },
    { name: "salary", type: "decimal(12,2)", tags: ["Sensitive.Compensation"] },
    { name: "region", type: "varchar", tags: [] },
    { name: "department", type: "varchar", tags: [] },
    { name: "hire_date", type: "date", tags: [] },
    { name: "updated_at", type: "timestamp(3)", tags: [] },
    { name: "active", type: "boolean", tags: [] },
    { name: "rating", type: "double", tags: [] },
    { name: "level", type: "integer", tags: [] },
  ],
};
