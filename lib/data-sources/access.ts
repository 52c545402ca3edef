// What a user's access to one data source is, and what they can do about it. Pure: the caller passes `now`.

export type SubscriptionTypeName = "OPEN" | "APPROVAL" | "AUTO" | "MANUAL";
export type SubscriptionStateName = "PENDING" | "ACTIVE" | "DENIED" | "REVOKED" | "EXPIRED";
export type AccessState = "active" | "auto" | "pending" | "denied" | "revoked" | "expired" | "none";

export function accessState(args: {
  subscription?: { state: SubscriptionStateName; expiresAt?: Date | null } | null;
  autoMatch?: boolean;
  now: Date;
}): AccessState {
  const { subscription: s, autoMatch, now } = args;
  if (s?.state === "ACTIVE" && !(s.expiresAt && s.expiresAt.getTime() <= now.getTime())) return "active";
  if (autoMatch) return "auto";
  if (!s) return "none";
  if (s.state === "ACTIVE") return "expired";
  return s.state.toLowerCase() as AccessState;
}

export const ACCESS_LABEL: Record<AccessState, string> = {
  active: "subscribed",
  auto: "subscribed (automatic)",
  pending: "requested",
  denied: "denied",
  revoked: "revoked",
  expired: "expired",
  none: "no access",
};

export const hasAccess = (a: AccessState) => a === "active" || a === "auto";

export type RequestOption =
  | { kind: "subscribe"; label: string }
  | { kind: "request"; label: string }
  | { kind: "none"; note: string };

/** OPEN: subscribe at once; APPROVAL: request with a reason; otherwise say why there is no button. */
export function requestOption(args: { status: "ACTIVE" | "DISABLED"; type: SubscriptionTypeName; access: AccessState }): RequestOption {
  const { status, type, access } = args;
  if (hasAccess(access)) return { kind: "none", note: "You have access." };
  if (access === "pending") return { kind: "none", note: "Waiting for an owner or a governor." };
  if (status !== "ACTIVE") return { kind: "none", note: "Disabled: no new requests." };
  const again = access === "denied" || access === "revoked" || access === "expired";
  if (type === "OPEN") return { kind: "subscribe", label: again ? "Subscribe again" : "Subscribe" };
  if (type === "APPROVAL") return { kind: "request", label: again ? "Request again" : "Request access" };
  if (type === "AUTO") return { kind: "none", note: "Granted automatically to users matching its condition." };
  return { kind: "none", note: "Only its owners add subscribers." };
}
