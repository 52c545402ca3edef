// Types of the policy compiler. Policy shapes (who, action, policy) are the zod-inferred types of
// lib/validations/policy.ts, so what the console stores and what the compiler reads cannot drift apart.
export type {
  Condition,
  ConditionTerm,
  MaskAction,
  MaskMethod,
  MaskMethodName,
  MaskTarget,
  PolicyAction,
  PolicyInput,
  PolicyScope,
  RoundUnit,
  RowFilter,
  RowFilterAction,
  RowFilterKind,
  SubscriptionPolicy,
  TimeUnit,
  Who,
} from "../validations/policy";

export interface ColumnInput {
  name: string;
  /** Trino type signature as Trino reports it (`varchar(25)`, `decimal(12,2)`, `timestamp(3)`) */
  type: string;
  tags: string[];
  /** column position; when absent the array order is the ordinal order */
  ordinal?: number;
}

export interface DataSourceInput {
  id: string;
  backing: { catalog: string; schema: string; table: string };
  governedSchema: string;
  name: string;
  columns: ColumnInput[];
  /** tags on the table */
  tags: string[];
}

export interface UserContext {
  /** Trino user name (lower-case) */
  username: string;
  groups: string[];
  attributes: Record<string, string[]>;
  /** active purposes: the current project's purposes whose statements the user acknowledged */
  purposes: string[];
}

export interface CompileOptions {
  /** per-installation key of HASH masks, as a literal in the SQL (tests, save-time validation with a stand-in key) */
  hashKey?: string;
  /**
   * The table the view reads the key from instead (one row, varchar column `column`): views run as the service
   * user, which alone may read it, so the key never appears in the view's SQL (`information_schema.views`) or
   * in EXPLAIN. The connector serves `<governed catalog>.steward_internal.hash_key`.
   */
  hashKeyFrom?: { catalog: string; schema: string; table: string; column: string };
}

export interface PolicyRef {
  policyId: string;
  policyName: string;
}

export interface AppliedMask extends PolicyRef {
  method: string;
  /** other applicable masks on this column that lost the conflict, winner first excluded */
  overridden: PolicyRef[];
  /** set when the method could not apply and the column is NULL (or the rule otherwise degraded): why */
  fallback?: string;
}

export interface AppliedRowFilter extends PolicyRef {
  kind: string;
  /** set when the filter could not be built as written and fails closed (`false`): why */
  fallback?: string;
}

export interface CompileResult {
  sql: string;
  columns: { name: string; type: string }[];
  applied: {
    /** masked columns only, in ordinal order */
    columns: Record<string, AppliedMask>;
    /** in the order they appear in the WHERE clause */
    rowFilters: AppliedRowFilter[];
  };
}

export type SubscriptionState = "PENDING" | "ACTIVE" | "DENIED" | "REVOKED" | "EXPIRED";
