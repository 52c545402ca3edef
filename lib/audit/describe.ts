// Audit events in words for auditors: who did what to whom, with links to the user, data source and policy
// involved. Pure: the server resolves the ids an event names (users, data sources, policies, subscriptions) to
// what they are called now (`AuditRefs`); the event's own details win, so an event stays readable after the
// things it names are deleted or renamed.

export type Segment = { text: string; href?: string };

export interface AuditEventInput {
  action: string;
  actorName: string;
  targetType: string;
  targetId: string | null;
  details: Record<string, unknown> | null;
}

export interface AuditRefs {
  /** data source id -> `schema.name` (only those that still exist) */
  dataSources: Map<string, string>;
  /** policy id -> name (only those that still exist) */
  policies: Map<string, string>;
  /** subscription id -> whose access to which data source */
  subscriptions: Map<string, { username: string; dataSourceId: string; view: string }>;
}

export interface AuditChange {
  field: string;
  before: string;
  after: string;
}

export interface DescribedEvent {
  sentence: Segment[];
  changes: AuditChange[];
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

/** What an auditor opens for a user: everything that user did. */
export const userHref = (username: string) => `/audit?actor=${encodeURIComponent(username)}`;

function user(username: string | undefined): Segment {
  return username ? { text: username, href: userHref(username) } : { text: "someone" };
}

function dataSource(refs: AuditRefs, id: string | undefined, view: string | undefined): Segment {
  const now = id ? refs.dataSources.get(id) : undefined;
  if (id && now) return { text: now, href: `/data-sources/${id}` };
  return { text: view ?? "a data source (deleted)" };
}

function policy(refs: AuditRefs, id: string | null, name: string | undefined): Segment {
  const now = id ? refs.policies.get(id) : undefined;
  if (id && now) return { text: `“${now}”`, href: `/policies/${id}` };
  return { text: name ? `“${name}”` : "a policy (deleted)" };
}

const t = (text: string): Segment => ({ text });

function show(v: unknown): string {
  if (v === null || v === undefined || v === "") return "(none)";
  if (typeof v === "string") return v;
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v.length ? v.join(", ") : "(none)";
  return JSON.stringify(v);
}

const FIELD_WORDS: Record<string, string> = {
  name: "name",
  description: "description",
  dataSourceId: "data source",
  tag: "tag",
  who: "who (as stored)",
  action: "what it does (as stored)",
  summary: "in words",
};

/** before/after pairs of a details object `{before: {...}, after: {...}}`, in a stable order. */
function changesOf(d: Record<string, unknown>): AuditChange[] {
  const before = (d.before ?? {}) as Record<string, unknown>;
  const after = (d.after ?? {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const order = (k: string) => (k === "summary" ? -1 : Object.keys(FIELD_WORDS).indexOf(k));
  return keys
    .sort((a, b) => order(a) - order(b))
    .map((k) => ({ field: FIELD_WORDS[k] ?? k, before: show(before[k]), after: show(after[k]) }));
}

function until(expiresAt: unknown): Segment[] {
  const at = str(expiresAt);
  return at ? [t(` until ${at.slice(0, 16).replace("T", " ")} UTC`)] : [];
}

export function describeAuditEvent(e: AuditEventInput, refs: AuditRefs): DescribedEvent {
  const d = e.details ?? {};
  const actor = e.actorName === "system" ? t("Steward") : user(e.actorName);
  const sub = e.targetType === "subscription" && e.targetId ? refs.subscriptions.get(e.targetId) : undefined;
  const subject = user(str(d.username) ?? sub?.username);
  const ds = dataSource(refs, str(d.dataSourceId) ?? sub?.dataSourceId ?? (e.targetType === "dataSource" ? (e.targetId ?? undefined) : undefined), str(d.view) ?? sub?.view);
  const pol = policy(refs, e.targetType === "policy" ? e.targetId : null, str(d.name));
  const reason = str(d.reason) ? [t(` — “${str(d.reason)}”`)] : [];
  const s = (...parts: (Segment | Segment[])[]): DescribedEvent => ({ sentence: [actor, ...parts.flat()], changes: [] });
  const where = (): Segment[] => {
    if (str(d.tag)) return [t(` on every data source tagged ${str(d.tag)}`)];
    if (str(d.dataSourceId)) return [t(" on "), dataSource(refs, str(d.dataSourceId), undefined)];
    return [];
  };

  switch (e.action) {
    case "policy.create":
      return s(t(" created policy "), pol, where(), str(d.summary) ? t(`: ${str(d.summary)}`) : []);
    case "policy.update":
      return { sentence: [actor, t(" changed policy "), pol, ...(typeof d.version === "number" ? [t(` (now version ${d.version})`)] : [])], changes: changesOf(d) };
    case "policy.delete":
      return s(t(" deleted policy "), pol, str(d.summary) ? t(`, which did: ${str(d.summary)}`) : []);
    case "policy.enable":
      return s(t(" enabled policy "), pol, t(": it applies again from the next query"));
    case "policy.disable":
      return s(t(" disabled policy "), pol, t(": it applies to nobody until enabled"));
    case "subscription.request":
      return d.state === "ACTIVE"
        ? { sentence: [subject, t(" subscribed to "), ds, t(" (open access)"), ...until(d.expiresAt)], changes: [] }
        : { sentence: [subject, t(" asked for access to "), ds, ...reason], changes: [] };
    case "subscription.approve":
      return s(t(" approved: "), subject, t(" gets "), ds, ...until(d.expiresAt), ...reason);
    case "subscription.deny":
      return s(t(" refused "), subject, t(" access to "), ds, ...reason);
    case "subscription.revoke":
      return str(d.username) && str(d.username) === e.actorName
        ? s(t(" gave up their access to "), ds, ...reason)
        : s(t(" revoked "), subject, t("'s access to "), ds, ...reason);
    case "subscription.add":
      return s(t(" gave "), subject, t(" access to "), ds, ...until(d.expiresAt));
    case "datasource.register": {
      const b = d.backing as { catalog?: string; schema?: string; table?: string } | undefined;
      return s(t(" registered "), t(b ? `${b.catalog}.${b.schema}.${b.table}` : "a table"), t(" as "), ds);
    }
    case "datasource.enable":
      return s(t(" enabled "), ds);
    case "datasource.disable":
      return s(t(" disabled "), ds, t(": nobody sees it until enabled"));
    case "datasource.delete":
      return s(t(" deleted "), ds);
    case "datasource.resync":
      return s(t(" re-synced the columns of "), ds, t(" with Trino"));
    case "datasource.subscription_policy":
      return s(t(" changed who may subscribe to "), ds);
    case "datasource.tags": {
      const changes: AuditChange[] = [];
      const tags = d.tags as { before?: unknown; after?: unknown } | undefined;
      if (tags) changes.push({ field: "table tags", before: show(tags.before), after: show(tags.after) });
      for (const [column, c] of Object.entries((d.columns ?? {}) as Record<string, { before?: unknown; after?: unknown }>)) {
        changes.push({ field: `tags of ${column}`, before: show(c.before), after: show(c.after) });
      }
      return { sentence: [actor, t(" changed the tags of "), ds], changes };
    }
    case "user.create":
      return s(t(" created user "), subject, list(d.roles).length ? t(` with roles ${list(d.roles).join(", ")}`) : []);
    case "user.update":
      return s(t(" changed user "), subject);
    case "user.password_set":
      return s(t(" set the password of "), subject);
    case "user.password_change":
      return s(t(" changed their own password (every session of theirs ended)"));
    case "user.import":
      return s(t(` imported ${typeof d.count === "number" ? d.count : "some"} users`));
    case "group.create":
      return s(t(` created group ${str(d.name) ?? "?"}`));
    case "group.delete":
      return s(t(` deleted group ${str(d.name) ?? "?"}`));
    case "group.member_add":
      return s(t(" added "), subject, t(` to group ${str(d.group) ?? "?"}`));
    case "group.member_remove":
      return s(t(" removed "), subject, t(` from group ${str(d.group) ?? "?"}`));
    case "project.member_add":
      return s(t(" added "), subject, t(` to project ${str(d.project) ?? "?"}`));
    case "project.member_remove":
      return s(t(" removed "), subject, t(` from project ${str(d.project) ?? "?"}`));
    case "project.datasource_add":
      return s(t(" added "), ds, t(` to project ${str(d.project) ?? "?"}: members working in it see it`));
    case "project.datasource_remove":
      return s(t(" removed "), ds, t(` from project ${str(d.project) ?? "?"}`));
    case "project.switch":
      return s(t(` switched to project ${str(d.project) ?? "(none)"}`));
    case "purpose.acknowledge":
      return s(t(` acknowledged purpose ${str(d.purpose) ?? "?"}`));
    case "apikey.create":
      return s(t(` created API key “${str(d.name) ?? "?"}”`));
    case "apikey.revoke":
      return s(t(` revoked API key “${str(d.name) ?? "?"}”: a connector using it fails closed`));
    case "integration.update":
      return s(t(" changed the Trino integration settings"));
    case "catalog.create":
      return s(t(` created the governed catalog ${e.targetId ?? ""} in Trino`));
    default: {
      const [family, verb] = e.action.split(".");
      return s(t(` ${(verb ?? e.action).replaceAll("_", " ")} (${family})`), e.targetId ? t(` on ${e.targetType}`) : []);
    }
  }
}

/** The ids an event may name, for the server to resolve in one query per kind. */
export function referencedIds(e: AuditEventInput): { dataSources: string[]; policies: string[]; subscriptions: string[] } {
  const d = e.details ?? {};
  return {
    dataSources: [str(d.dataSourceId), e.targetType === "dataSource" ? (e.targetId ?? undefined) : undefined].filter((x): x is string => !!x),
    policies: e.targetType === "policy" && e.targetId ? [e.targetId] : [],
    subscriptions: e.targetType === "subscription" && e.targetId ? [e.targetId] : [],
  };
}

export const sentenceText = (segments: Segment[]) => segments.map((s) => s.text).join("");
