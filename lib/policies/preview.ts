// Pure pieces of the compiled-SQL panel and of "view as user": formatting, conflicts, visibility in words.
import { format } from "sql-formatter";
import type { CompileResult, PolicyRef } from "@/lib/policy/types";

/** The view SQL laid out for reading (Trino dialect); the raw text when the formatter cannot parse it. */
export function formatViewSql(sql: string): string {
  try {
    return format(sql, { language: "trino", tabWidth: 2 });
  } catch {
    return sql;
  }
}

export interface Conflict {
  column: string;
  winner: PolicyRef;
  overridden: PolicyRef[];
}

/** Columns several applicable masks target: who won, who lost (from `applied.columns[col].overridden`). */
export function conflictsOf(applied: CompileResult["applied"]): Conflict[] {
  return Object.entries(applied.columns)
    .filter(([, m]) => m.overridden.length > 0)
    .map(([column, m]) => ({ column, winner: { policyId: m.policyId, policyName: m.policyName }, overridden: m.overridden }));
}

export type SubscriptionType = "OPEN" | "APPROVAL" | "AUTO" | "MANUAL";

export interface VisibilityInput {
  status: "ACTIVE" | "DISABLED";
  type: SubscriptionType;
  /** AUTO: whether the user matches the condition */
  autoMatch: boolean;
  /** the user works in a project that does not hold this data source: they do not see it, whatever else holds */
  outsideProject?: boolean;
  /** the user's subscription row, if any (absent for a hypothetical user) */
  subscription?: { state: "PENDING" | "ACTIVE" | "DENIED" | "REVOKED" | "EXPIRED"; expiresAt: Date | null; requestedAt?: Date | null } | null;
  /** what the view API decides (isSubscribed), so the words never disagree with enforcement */
  subscribed: boolean;
  hypothetical: boolean;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

const HOW_TO_GET: Record<SubscriptionType, string> = {
  OPEN: "the data source is open: they may subscribe themselves at once",
  APPROVAL: "they may request access; an owner or a governor approves",
  AUTO: "access is automatic for users matching its condition, and they do not match it",
  MANUAL: "only an owner can add them",
};

/** Whether the view is visible to the user, and why, in one sentence. */
export function describeVisibility(v: VisibilityInput): { visible: boolean; reason: string } {
  if (v.status === "DISABLED") return { visible: false, reason: "The data source is disabled: nobody sees its view." };
  if (v.outsideProject) {
    return { visible: false, reason: "Outside the project they work in: their current project does not hold this data source, so they see it only without a project (or in a project that holds it)." };
  }
  if (v.type === "AUTO" && v.autoMatch) {
    return { visible: true, reason: `Subscribed automatically: ${v.hypothetical ? "this user would match" : "matches"} the data source's AUTO condition.` };
  }
  if (v.hypothetical) {
    return {
      visible: false,
      reason: `A hypothetical user has no subscription (${HOW_TO_GET[v.type]}). The SQL and rows show what they would see once subscribed.`,
    };
  }
  const s = v.subscription;
  if (v.subscribed && s) {
    return { visible: true, reason: `Subscribed${s.expiresAt ? ` until ${day(s.expiresAt)}` : ", no expiry"}.` };
  }
  if (!s) return { visible: false, reason: `Not subscribed: ${HOW_TO_GET[v.type]}.` };
  switch (s.state) {
    case "ACTIVE":
      return { visible: false, reason: `The subscription expired${s.expiresAt ? ` on ${day(s.expiresAt)}` : ""}.` };
    case "PENDING":
      return { visible: false, reason: `Access requested${s.requestedAt ? ` on ${day(s.requestedAt)}` : ""}, waiting for a decision.` };
    case "DENIED":
      return { visible: false, reason: "The access request was denied." };
    case "REVOKED":
      return { visible: false, reason: "The subscription was revoked." };
    case "EXPIRED":
      return { visible: false, reason: "The subscription expired." };
  }
}
