// Whether a data source is visible to a user. Pure: the caller passes `now`.
import { matchesCondition } from "./conditions";
import type { Condition, SubscriptionState, UserContext } from "./types";

export interface SubscriptionPolicyInput {
  type: "OPEN" | "APPROVAL" | "AUTO" | "MANUAL";
  condition?: Condition;
  /** grants expire after this many days (applies to explicit subscriptions, not to AUTO matches) */
  maxDays?: number;
}

export interface SubscriptionInput {
  state: SubscriptionState;
  /** explicit expiry; the subscription is expired from this instant on */
  expiresAt?: string | Date | null;
  /** when it became ACTIVE; with the policy's maxDays it expires at grantedAt + maxDays */
  grantedAt?: string | Date | null;
}

const DAY_MS = 86_400_000;

function toMs(v: string | Date): number {
  return v instanceof Date ? v.getTime() : Date.parse(v);
}

/**
 * Rules:
 * - an ACTIVE subscription makes the view visible until it expires: at `expiresAt`, or at
 *   `grantedAt + maxDays` when the policy has maxDays, whichever is first; an unparseable date counts as
 *   expired. Any other state (PENDING, DENIED, REVOKED, EXPIRED) gives nothing.
 * - AUTO: additionally, a user matching the condition is subscribed, for as long as they match (no expiry:
 *   there is no grant to date it from; the condition is the grant). AUTO without a condition matches nobody.
 */
export function isSubscribed(args: {
  policy: SubscriptionPolicyInput;
  subscription?: SubscriptionInput | null;
  user: UserContext;
  now: Date;
}): boolean {
  const { policy, subscription, user, now } = args;
  if (policy.type === "AUTO" && policy.condition !== undefined && matchesCondition(policy.condition, user)) return true;
  if (!subscription || subscription.state !== "ACTIVE") return false;
  const nowMs = now.getTime();
  if (subscription.expiresAt != null) {
    const exp = toMs(subscription.expiresAt);
    if (!(nowMs < exp)) return false;
  }
  if (policy.maxDays !== undefined && subscription.grantedAt != null) {
    const granted = toMs(subscription.grantedAt);
    if (!(nowMs < granted + policy.maxDays * DAY_MS)) return false;
  }
  return true;
}
