// Complete data sources with policies and users, for the golden files and the bench.
import type { DataSourceInput, MaskMethod, PolicyInput, RowFilter, UserContext, Who } from "../types";

export interface GoldenCase {
  name: string;
  dataSource: DataSourceInput;
  policies: PolicyInput[];
  users: Record<string, UserContext>;
}

const hrGroup = { match: "any" as const, terms: [{ kind: "group" as const, group: "hr" }] };
const financeGroup = { match: "any" as const, terms: [{ kind: "group" as const, group: "finance" }] };

/** memory.hr.employees: PII tags, finance columns, region-based row security. */
export const hrEmployees: GoldenCase = {
  name: "hr_employees",
  dataSource: {
    id: "ds_hr_employees",
    backing: { catalog: "memory", schema: "hr", table: "employees" },
    governedSchema: "hr",
    name: "employees",
    tags: ["HR"],
    columns: [
      { name: "id", type: "bigint", tags: [] },
      { name: "first_name", type: "varchar(25)", tags: ["PII.Name"] },
      { name: "last_name", type: "varchar(25)", tags: ["PII.Name"] },
      { name: "email", type: "varchar(100)", tags: ["PII.Email"] },
      { name: "phone", type: "varchar(15)", tags: ["PII.Phone"] },
      { name: "ssn", type: "char(11)", tags: ["PII.NationalId"] },
      { name: "salary", type: "decimal(12,2)", tags: ["Finance.Salary"] },
      { name: "bonus", type: "double", tags: ["Finance"] },
      { name: "department", type: "varchar(20)", tags: [] },
      { name: "region", type: "varchar(10)", tags: [] },
      { name: "manager_id", type: "integer", tags: [] },
      { name: "birth_date", type: "date", tags: ["PII"] },
      { name: "hired_at", type: "timestamp(3)", tags: [] },
      { name: "notes", type: "varchar", tags: [] },
    ],
  },
  policies: [
    {
      id: "pol_pii_redact",
      name: "Redact PII outside HR",
      scope: "GLOBAL",
      tag: "PII",
      who: { type: "EVERYONE_EXCEPT", condition: hrGroup },
      action: { type: "MASK", target: { tag: "PII" }, mask: { method: "REDACT" } },
      createdAt: "2024-01-01T09:00:00.000Z",
    },
    {
      id: "pol_email_hash",
      name: "Hash e-mail addresses",
      scope: "GLOBAL",
      tag: "PII.Email",
      who: { type: "EVERYONE" },
      action: { type: "MASK", target: { tag: "PII.Email" }, mask: { method: "HASH" } },
      createdAt: "2024-02-01T09:00:00.000Z",
    },
    {
      id: "pol_phone_last4",
      name: "Phone: last 4 digits",
      scope: "LOCAL",
      dataSourceId: "ds_hr_employees",
      who: { type: "EVERYONE" },
      action: { type: "MASK", target: { columns: ["phone"] }, mask: { method: "SHOW_LAST", n: 4 } },
      createdAt: "2024-03-01T09:00:00.000Z",
    },
    {
      id: "pol_finance_null",
      name: "Finance figures for finance only",
      scope: "GLOBAL",
      tag: "Finance",
      who: { type: "EVERYONE_EXCEPT", condition: financeGroup },
      action: { type: "MASK", target: { tag: "Finance" }, mask: { method: "NULL" } },
      createdAt: "2024-01-15T09:00:00.000Z",
    },
    {
      id: "pol_salary_round",
      name: "Salaries to the thousand",
      scope: "LOCAL",
      dataSourceId: "ds_hr_employees",
      who: { type: "EVERYONE_EXCEPT", condition: financeGroup },
      action: { type: "MASK", target: { columns: ["salary"] }, mask: { method: "ROUND", n: 1000 } },
      createdAt: "2024-04-01T09:00:00.000Z",
    },
    {
      id: "pol_birth_year",
      name: "Birth year only, except own team",
      scope: "LOCAL",
      dataSourceId: "ds_hr_employees",
      who: { type: "EVERYONE" },
      action: {
        type: "MASK",
        target: { columns: ["birth_date"] },
        mask: { method: "ROUND", unit: "year" },
        onlyWhere: "NOT contains(@attribute('department'), department)",
      },
      createdAt: "2024-04-02T09:00:00.000Z",
    },
    {
      id: "pol_notes_const",
      name: "Notes hidden",
      scope: "LOCAL",
      dataSourceId: "ds_hr_employees",
      who: { type: "EVERYONE_EXCEPT", condition: hrGroup },
      action: { type: "MASK", target: { columns: ["notes"] }, mask: { method: "CONSTANT", value: "[hidden]" } },
      createdAt: "2024-04-03T09:00:00.000Z",
    },
    {
      id: "pol_region_rows",
      name: "Own regions only",
      scope: "LOCAL",
      dataSourceId: "ds_hr_employees",
      who: { type: "EVERYONE_EXCEPT", condition: hrGroup },
      action: { type: "ROW_FILTER", filter: { kind: "MATCH_ATTRIBUTE", column: "region", key: "region" } },
      createdAt: "2024-05-01T09:00:00.000Z",
    },
    {
      id: "pol_no_execs",
      name: "No executive rows unless admin",
      scope: "GLOBAL",
      tag: "HR",
      who: { type: "EVERYONE_EXCEPT", condition: { match: "all", terms: [{ kind: "group", group: "hr" }, { kind: "attribute", key: "level", value: "admin" }] } },
      action: { type: "ROW_FILTER", filter: { kind: "WHERE", sql: "department <> 'Executive' OR @username = 'ceo'" } },
      createdAt: "2024-05-02T09:00:00.000Z",
    },
  ],
  users: {
    alice: { username: "alice", groups: ["hr"], attributes: { region: ["EU"], department: ["HR"], level: ["admin"] }, purposes: [] },
    bob: { username: "bob", groups: ["analysts"], attributes: { region: ["US", "EU"], department: ["Sales", "O'Neil & Co"] }, purposes: ["reporting"] },
    zed: { username: "zed", groups: [], attributes: {}, purposes: [] },
  },
};

/** tpch.tiny.orders: sampling, time windows, purposes, custom masks. */
export const tpchOrders: GoldenCase = {
  name: "tpch_orders",
  dataSource: {
    id: "ds_orders",
    backing: { catalog: "tpch", schema: "tiny", table: "orders" },
    governedSchema: "sales",
    name: "orders",
    tags: ["Sales"],
    columns: [
      { name: "orderkey", type: "bigint", tags: [] },
      { name: "custkey", type: "bigint", tags: ["Customer.Id"] },
      { name: "orderstatus", type: "varchar(1)", tags: [] },
      { name: "totalprice", type: "double", tags: [] },
      { name: "orderdate", type: "date", tags: [] },
      { name: "orderpriority", type: "varchar(15)", tags: [] },
      { name: "clerk", type: "varchar(15)", tags: ["Employee"] },
      { name: "shippriority", type: "integer", tags: [] },
      { name: "comment", type: "varchar(79)", tags: [] },
    ],
  },
  policies: [
    {
      id: "pol_sample",
      name: "Ten percent sample for analysts",
      scope: "GLOBAL",
      tag: "Sales",
      who: { type: "ONLY", condition: { match: "any", terms: [{ kind: "group", group: "analysts" }] } },
      action: { type: "ROW_FILTER", filter: { kind: "MINIMIZE", percent: 10, keyColumns: ["orderkey"] } },
      createdAt: "2024-01-01T00:00:00Z",
    },
    {
      id: "pol_recent",
      name: "Last 30 years",
      scope: "LOCAL",
      dataSourceId: "ds_orders",
      who: { type: "EVERYONE" },
      action: { type: "ROW_FILTER", filter: { kind: "TIME_WINDOW", column: "orderdate", amount: 30, unit: "year" } },
      createdAt: "2024-01-02T00:00:00Z",
    },
    {
      id: "pol_purpose",
      name: "Fraud investigations only",
      scope: "LOCAL",
      dataSourceId: "ds_orders",
      who: { type: "EVERYONE_EXCEPT", condition: { match: "any", terms: [{ kind: "user", username: "root" }] } },
      action: { type: "ROW_FILTER", filter: { kind: "PURPOSE_RESTRICT", purposes: ["fraud-investigation", "audit"] } },
      createdAt: "2024-01-03T00:00:00Z",
    },
    {
      id: "pol_clerk",
      name: "Clerk number hidden",
      scope: "GLOBAL",
      tag: "Employee",
      who: { type: "EVERYONE" },
      action: { type: "MASK", target: { tag: "Employee" }, mask: { method: "REGEX", pattern: "#\\d+$", replacement: "#*****" } },
      createdAt: "2024-01-04T00:00:00Z",
    },
    {
      id: "pol_comment",
      name: "Comment preview",
      scope: "LOCAL",
      dataSourceId: "ds_orders",
      who: { type: "EVERYONE" },
      action: { type: "MASK", target: { columns: ["comment"] }, mask: { method: "SHOW_FIRST", n: 10 } },
      createdAt: "2024-01-05T00:00:00Z",
    },
    {
      id: "pol_price",
      name: "Prices to the hundred",
      scope: "LOCAL",
      dataSourceId: "ds_orders",
      who: { type: "EVERYONE" },
      action: { type: "MASK", target: { columns: ["totalprice"] }, mask: { method: "ROUND", n: 100 }, onlyWhere: "{col} > 1000" },
      createdAt: "2024-01-06T00:00:00Z",
    },
    {
      id: "pol_customer_bucket",
      name: "Customer buckets",
      scope: "GLOBAL",
      tag: "Customer",
      who: { type: "EVERYONE" },
      action: { type: "MASK", target: { tag: "Customer" }, mask: { method: "CUSTOM", sql: "{col} - mod({col}, 100)" } },
      customType: "bigint",
      createdAt: "2024-01-07T00:00:00Z",
    },
    {
      id: "pol_customer_hash_partners",
      name: "Customer ids hashed for partners (deeper tag wins)",
      scope: "GLOBAL",
      tag: "Customer.Id",
      who: { type: "ONLY", condition: { match: "any", terms: [{ kind: "group", group: "partners" }] } },
      action: { type: "MASK", target: { tag: "Customer.Id" }, mask: { method: "HASH" } },
      createdAt: "2023-12-01T00:00:00Z",
    },
    {
      id: "pol_status",
      name: "Status constant for partners",
      scope: "LOCAL",
      dataSourceId: "ds_orders",
      who: { type: "ONLY", condition: { match: "any", terms: [{ kind: "attribute", key: "org", value: "partner" }] } },
      action: { type: "MASK", target: { columns: ["orderstatus", "shippriority"] }, mask: { method: "CONSTANT", value: "0" } },
      createdAt: "2024-01-08T00:00:00Z",
    },
  ],
  users: {
    carol: { username: "carol", groups: ["analysts"], attributes: {}, purposes: ["fraud-investigation"] },
    dave: { username: "dave", groups: ["partners"], attributes: { org: ["partner"] }, purposes: [] },
  },
};

/** A telemetry table with types the simple masks do not apply to: fallbacks and declared types. */
export const webEvents: GoldenCase = {
  name: "web_events",
  dataSource: {
    id: "ds_events",
    backing: { catalog: "memory", schema: "web", table: "Events \"raw\"" },
    governedSchema: "web",
    name: "events",
    tags: ["Telemetry"],
    columns: [
      { name: "event_id", type: "uuid", tags: [] },
      { name: "user_id", type: "varchar", tags: ["PII.UserId"] },
      { name: "ts", type: "timestamp(6) with time zone", tags: [] },
      { name: "ip", type: "ipaddress", tags: ["PII.Network"] },
      { name: "payload", type: "json", tags: ["PII"] },
      { name: "labels", type: "array(varchar)", tags: ["PII"] },
      { name: "props", type: "map(varchar, varchar)", tags: [] },
      { name: "geo", type: "row(lat double, lon double)", tags: ["PII.Location"] },
      { name: "score", type: "real", tags: [] },
      { name: "is_bot", type: "boolean", tags: [] },
      { name: "raw", type: "varbinary", tags: ["PII"] },
      { name: "session_ms", type: "bigint", tags: [] },
      { name: "day", type: "date", tags: [] },
      { name: "local_time", type: "time(3)", tags: [] },
      { name: "Mixed Case", type: "varchar(5)", tags: [] },
    ],
  },
  policies: [
    {
      id: "pol_pii_hash",
      name: "Hash all PII",
      scope: "GLOBAL",
      tag: "PII",
      who: { type: "EVERYONE" },
      action: { type: "MASK", target: { tag: "PII" }, mask: { method: "HASH" } },
      createdAt: "2024-01-01T00:00:00Z",
    },
    {
      id: "pol_geo_null",
      name: "No location",
      scope: "GLOBAL",
      tag: "PII.Location",
      who: { type: "EVERYONE" },
      action: { type: "MASK", target: { tag: "PII.Location" }, mask: { method: "REDACT" } },
      createdAt: "2024-01-02T00:00:00Z",
    },
    {
      id: "pol_ts_hour",
      name: "Timestamps to the hour",
      scope: "LOCAL",
      dataSourceId: "ds_events",
      who: { type: "EVERYONE" },
      action: { type: "MASK", target: { columns: ["ts", "day", "local_time"] }, mask: { method: "ROUND", unit: "hour" } },
      createdAt: "2024-01-03T00:00:00Z",
    },
    {
      id: "pol_labels_const",
      name: "Labels replaced for bots",
      scope: "LOCAL",
      dataSourceId: "ds_events",
      who: { type: "EVERYONE" },
      action: { type: "MASK", target: { columns: ["labels", "props", "is_bot"] }, mask: { method: "CONSTANT", value: "true" }, onlyWhere: "is_bot" },
      createdAt: "2024-01-04T00:00:00Z",
    },
    {
      id: "pol_score",
      name: "Scores rounded",
      scope: "LOCAL",
      dataSourceId: "ds_events",
      who: { type: "EVERYONE" },
      action: { type: "MASK", target: { columns: ["score", "session_ms"] }, mask: { method: "ROUND", n: 0.25 } },
      createdAt: "2024-01-05T00:00:00Z",
    },
    {
      id: "pol_mixed",
      name: "Mixed case column",
      scope: "LOCAL",
      dataSourceId: "ds_events",
      who: { type: "EVERYONE" },
      action: { type: "MASK", target: { columns: ["mixed case"] }, mask: { method: "CONSTANT", value: "it's" } },
      createdAt: "2024-01-06T00:00:00Z",
    },
    {
      id: "pol_window",
      name: "Last 7 days",
      scope: "GLOBAL",
      tag: "Telemetry",
      who: { type: "EVERYONE" },
      action: { type: "ROW_FILTER", filter: { kind: "TIME_WINDOW", column: "ts", amount: 7, unit: "day" } },
      createdAt: "2024-01-07T00:00:00Z",
    },
    {
      id: "pol_own_user",
      name: "Own events for testers",
      scope: "LOCAL",
      dataSourceId: "ds_events",
      who: { type: "ONLY", condition: { match: "any", terms: [{ kind: "group", group: "testers" }] } },
      action: { type: "ROW_FILTER", filter: { kind: "WHERE", sql: "user_id = @username OR contains(@groups, 'qa-leads')" } },
      createdAt: "2024-01-08T00:00:00Z",
    },
    {
      id: "pol_group_rows",
      name: "Rows of own groups",
      scope: "LOCAL",
      dataSourceId: "ds_events",
      who: { type: "ONLY", condition: { match: "any", terms: [{ kind: "group", group: "testers" }] } },
      action: { type: "ROW_FILTER", filter: { kind: "MATCH_GROUP", column: "Mixed Case" } },
      createdAt: "2024-01-09T00:00:00Z",
    },
    {
      id: "pol_bad_window",
      name: "Window on a non-time column (fails closed)",
      scope: "LOCAL",
      dataSourceId: "ds_events",
      who: { type: "ONLY", condition: { match: "any", terms: [{ kind: "user", username: "mallory" }] } },
      action: { type: "ROW_FILTER", filter: { kind: "TIME_WINDOW", column: "score", amount: 1, unit: "day" } },
      createdAt: "2024-01-10T00:00:00Z",
    },
  ],
  users: {
    // values that must stay inside literals
    "o'hara": { username: "o'hara", groups: ["testers", "qa'; DROP TABLE x; --"], attributes: {}, purposes: [] },
    mallory: { username: "mallory", groups: ["testers", "line1\nline2", "\u202eevil"], attributes: { region: ["\\'"] }, purposes: [] },
  },
};

export const GOLDEN_CASES: GoldenCase[] = [hrEmployees, tpchOrders, webEvents];

const TYPE_CYCLE = ["bigint", "varchar(50)", "decimal(12,2)", "date", "timestamp(3)", "double", "varchar", "integer", "boolean", "char(8)"];

/**
 * A wide data source for the bench: `columns` columns, tags spread over them, and `policies` applicable
 * policies (masks and row filters, LOCAL and GLOBAL, conflicting on purpose).
 */
export function wideCase(columns: number, policies: number): { dataSource: DataSourceInput; policies: PolicyInput[]; user: UserContext } {
  const cols = Array.from({ length: columns }, (_, i) => ({
    name: `col_${String(i).padStart(3, "0")}`,
    type: TYPE_CYCLE[i % TYPE_CYCLE.length]!,
    tags: i % 7 === 0 ? ["PII.Email"] : i % 5 === 0 ? ["PII"] : i % 11 === 0 ? ["Finance.Salary"] : [],
  }));
  const dataSource: DataSourceInput = {
    id: "ds_wide",
    backing: { catalog: "memory", schema: "bench", table: "wide" },
    governedSchema: "bench",
    name: "wide",
    columns: cols,
    tags: ["Bench"],
  };
  const methods: MaskMethod[] = [
    { method: "HASH" },
    { method: "REDACT" },
    { method: "SHOW_LAST", n: 4 },
    { method: "NULL" },
    { method: "ROUND", n: 100, unit: "month" },
    { method: "CONSTANT", value: "0" },
    { method: "REGEX", pattern: "\\d", replacement: "#" },
  ];
  const ps: PolicyInput[] = [];
  for (let i = 0; i < policies; i++) {
    const createdAt = new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString();
    const id = `pol_${String(i).padStart(3, "0")}`;
    const who: Who =
      i % 3 === 0 ? { type: "EVERYONE" } : { type: "EVERYONE_EXCEPT", condition: { match: "any", terms: [{ kind: "group", group: "nobody" }] } };
    if (i % 5 === 4) {
      const filters: RowFilter[] = [
        { kind: "MATCH_ATTRIBUTE", column: "col_001", key: "region" },
        { kind: "WHERE", sql: "col_006 <> @username OR contains(@groups, col_001)" },
        { kind: "TIME_WINDOW", column: "col_004", amount: 90, unit: "day" },
        { kind: "MINIMIZE", percent: 50, keyColumns: ["col_000", "col_003"] },
        { kind: "PURPOSE_RESTRICT", purposes: ["bench"] },
      ];
      ps.push({ id, name: `filter ${i}`, scope: "LOCAL", dataSourceId: "ds_wide", who, action: { type: "ROW_FILTER", filter: filters[i % filters.length]! }, createdAt });
      continue;
    }
    const mask = methods[i % methods.length]!;
    if (i % 4 === 0) {
      const tag = i % 8 === 0 ? "PII" : "PII.Email";
      ps.push({ id, name: `global ${i}`, scope: "GLOBAL", tag, who, action: { type: "MASK", target: { tag }, mask }, createdAt });
    } else {
      const target = { columns: Array.from({ length: 8 }, (_, k) => cols[(i * 13 + k * 17) % columns]!.name) };
      ps.push({
        id,
        name: `local ${i}`,
        scope: "LOCAL",
        dataSourceId: "ds_wide",
        who,
        action: i % 6 === 1 ? { type: "MASK", target, mask, onlyWhere: "{col} IS NOT NULL AND col_001 <> @username" } : { type: "MASK", target, mask },
        createdAt,
      });
    }
  }
  return {
    dataSource,
    policies: ps,
    user: { username: "bench", groups: ["analysts", "eng"], attributes: { region: ["EU", "US"] }, purposes: ["bench"] },
  };
}
