import "server-only";
import { queryableName } from "@/lib/data-sources/naming";
import { appliesTo, compile, PolicyCompileError, quoteIdent, tagCovers, type PolicyInput, type UserContext } from "@/lib/policy";
import type { AppliedRowFilter, PolicyRef } from "@/lib/policy/types";
import { describePolicy } from "@/lib/policy/describe";
import { conflictsOf, describeVisibility, formatViewSql, type Conflict } from "@/lib/policies/preview";
import { compileDraftSchema, HYPOTHETICAL_USERNAME, previewSchema, type CompileDraftInput, type PreviewInput } from "@/lib/validations/preview";
import { requireRole, type Actor } from "./actor";
import { autoMatches } from "./catalogue";
import { assertCanManageDataSource } from "./data-sources";
import { getDb } from "./db";
import { NotFoundError, ValidationError } from "./errors";
import type { Tx } from "./governance";
import { parseInput } from "./handlers";
import { getIntegration } from "./integration";
import { queryAsUser, type UserQueryResult } from "./trino-user";
import { loadUserContext } from "./user-context";
import { dataSourceInclude, HASH_KEY_TABLE, isVisible, loadPolicyInputs, toDataSourceInput, type LoadedDataSource } from "./view-api";

// "View as user" and the builder's live SQL: the same inputs the view API compiles (data source, enabled
// policies, user context, hash key), compiled without saving anything. Only governors/admins and the owners
// of the data source may look: the SQL reveals every policy on it, and the sample rows are real data.

export const SAMPLE_ROWS = 20;

export interface PreviewColumn {
  name: string;
  /** the declared type of the view's column */
  type: string;
  /** the backing column's type */
  sourceType: string;
  tags: string[];
  mask?: { policyId: string; policyName: string; method: string; overridden: PolicyRef[]; fallback?: string };
}

export interface CompiledView {
  /** formatted, the HASH key replaced by a placeholder */
  sql: string | null;
  /** the view fails closed (Trino answers an error) when the policies cannot compile */
  compileError?: string;
  columns: PreviewColumn[];
  rowFilters: AppliedRowFilter[];
  conflicts: Conflict[];
}

async function loadSource(db: Tx, actor: Actor, dataSourceId: string): Promise<LoadedDataSource> {
  requireRole(actor, ["GOVERNOR", "DATA_OWNER"]);
  // owners of this data source, governors and admins
  await assertCanManageDataSource(db, actor, dataSourceId);
  const ds = await db.dataSource.findUnique({ where: { id: dataSourceId }, include: dataSourceInclude });
  if (!ds) throw new NotFoundError("No such data source.");
  return ds;
}

/**
 * Compiled exactly as the view API compiles it: HASH masks read the key from the connector's key table (which
 * only the service user may read), so neither the SQL shown nor the SQL a hypothetical preview sends to Trino
 * holds the key, and nothing in Trino's query history does.
 */
function compileView(ds: LoadedDataSource, policies: PolicyInput[], user: UserContext, governedCatalog: string): CompiledView & { rawSql: string | null } {
  const input = toDataSourceInput(ds);
  const base = input.columns.map((c) => ({ name: c.name, type: c.type, sourceType: c.type, tags: c.tags }));
  try {
    const r = compile(input, policies, user, { hashKeyFrom: { ...HASH_KEY_TABLE, catalog: governedCatalog } });
    const columns = base.map((c, i): PreviewColumn => {
      const applied = r.applied.columns[c.name];
      return { ...c, type: r.columns[i]?.type ?? c.type, ...(applied ? { mask: { ...applied } } : {}) };
    });
    return {
      rawSql: r.sql,
      sql: formatViewSql(r.sql),
      columns,
      rowFilters: r.applied.rowFilters,
      conflicts: conflictsOf(r.applied),
    };
  } catch (e) {
    if (!(e instanceof PolicyCompileError)) throw e;
    return { rawSql: null, sql: null, compileError: `${e.message}. The view fails closed: Trino answers an error for it.`, columns: base, rowFilters: [], conflicts: [] };
  }
}

async function realUser(db: Tx, username: string) {
  const user = await loadUserContext(db, username);
  if (user) return user;
  const exists = await db.user.findUnique({ where: { username: username.trim().toLowerCase() }, select: { disabled: true } });
  if (exists?.disabled) {
    throw new ValidationError(`${username} is disabled: Steward treats them as unknown, so they see no schema and no view.`, {
      "user.username": ["This user is disabled and sees nothing."],
    });
  }
  throw new NotFoundError(`No user '${username}' is known to Steward.`);
}

// ---------------------------------------------------------------------------------------------------------
// The builder: a policy that is not saved yet, with the others in force
// ---------------------------------------------------------------------------------------------------------

export interface DraftCompileResult extends CompiledView {
  username: string;
  view: string;
  /** the draft's scope covers this data source (LOCAL: it is its data source; GLOBAL: its tag covers a tag here) */
  inScope: boolean;
  /** the draft's `who` applies to this user */
  applies: boolean;
}

export async function compileDraft(actor: Actor, raw: CompileDraftInput): Promise<DraftCompileResult> {
  const input = parseInput(compileDraftSchema, raw);
  const db = await getDb();
  const ds = await loadSource(db, actor, input.dataSourceId);
  const user = await realUser(db, input.username);
  const others = await loadPolicyInputs(db, ds.id);
  const existing = input.policyId ? others.find((p) => p.id === input.policyId) : undefined;
  const p = input.policy;
  const draft: PolicyInput = {
    id: input.policyId ?? "draft",
    name: p.name,
    scope: p.scope,
    ...(p.scope === "LOCAL" ? { dataSourceId: p.dataSourceId } : { tag: p.tag }),
    who: p.who,
    action: p.action,
    // the type Trino reported at save time still holds while the expression is unchanged
    ...(existing?.customType && existing.action.type === "MASK" && existing.action.mask.method === "CUSTOM" &&
    p.action.type === "MASK" && p.action.mask.method === "CUSTOM" && p.action.mask.sql === existing.action.mask.sql
      ? { customType: existing.customType }
      : {}),
    createdAt: existing?.createdAt ?? new Date().toISOString(),
  };
  const policies = [...others.filter((o) => o.id !== draft.id), draft];
  const integration = await getIntegration(db);
  const compiled = compileView(ds, policies, user.context, integration.governedCatalog);
  const dsTags = [...ds.tags.map((t) => t.tag.name), ...ds.columns.flatMap((c) => c.tags.map((t) => t.tag.name))];
  const { rawSql: _raw, ...shown } = compiled;
  return {
    ...shown,
    username: user.username,
    view: `${ds.governedSchema}.${ds.name}`,
    inScope: p.scope === "LOCAL" ? p.dataSourceId === ds.id : dsTags.some((t) => tagCovers(p.tag!, t)),
    applies: appliesTo(p.who, user.context),
  };
}

// ---------------------------------------------------------------------------------------------------------
// View as user
// ---------------------------------------------------------------------------------------------------------

export interface PreviewPolicy {
  id: string;
  name: string;
  scope: "LOCAL" | "GLOBAL";
  tag?: string;
  kind: "MASK" | "ROW_FILTER";
  summary: string;
  /** its `who` applies to this user (scope aside: every policy listed bears on this data source's policies list) */
  applies: boolean;
}

export interface PreviewResult extends CompiledView {
  dataSource: { id: string; view: string; trinoName: string; status: "ACTIVE" | "DISABLED"; subscriptionType: string };
  user: { kind: "real" | "hypothetical"; username: string; groups: string[]; attributes: Record<string, string[]>; purposes: string[] };
  visibility: { visible: boolean; reason: string };
  policies: PreviewPolicy[];
  sample?: { via: "user" | "service"; runAs: string; statement: string; result: UserQueryResult };
}

function summarize(p: PolicyInput): string {
  try {
    return describePolicy(p);
  } catch {
    return "(cannot be summarized)";
  }
}

function hypotheticalContext(u: { username?: string; groups?: string[]; attributes?: { key: string; value: string }[]; purposes?: string[] }): UserContext {
  const attributes: Record<string, string[]> = {};
  for (const { key, value } of u.attributes ?? []) {
    const list = (attributes[key] ??= []);
    if (!list.includes(value)) list.push(value);
  }
  for (const list of Object.values(attributes)) list.sort();
  return {
    username: (u.username ?? HYPOTHETICAL_USERNAME).toLowerCase(),
    groups: [...new Set(u.groups ?? [])].sort(),
    attributes,
    purposes: [...new Set(u.purposes ?? [])].sort(),
  };
}

export async function previewAsUser(actor: Actor, raw: PreviewInput): Promise<PreviewResult> {
  const input = parseInput(previewSchema, raw);
  const db = await getDb();
  const ds = await loadSource(db, actor, input.dataSourceId);
  const integration = await getIntegration(db);
  const now = new Date();
  const hypothetical = input.user.kind === "hypothetical";

  let context: UserContext;
  let visibility: { visible: boolean; reason: string };
  const subscriptionType = ds.subscription?.type ?? "APPROVAL";
  if (input.user.kind === "real") {
    const user = await realUser(db, input.user.username);
    context = user.context;
    const sub = await db.subscription.findUnique({ where: { dataSourceId_userId: { dataSourceId: ds.id, userId: user.id } } });
    visibility = describeVisibility({
      status: ds.status,
      type: subscriptionType,
      autoMatch: autoMatches(ds.subscription, user, now),
      subscription: sub,
      subscribed: isVisible(ds, sub ?? undefined, context, now),
      outsideProject: user.scope !== null && !user.scope.includes(ds.id),
      hypothetical: false,
    });
  } else {
    context = hypotheticalContext(input.user);
    visibility = describeVisibility({
      status: ds.status,
      type: subscriptionType,
      autoMatch: autoMatches(ds.subscription, { id: "", username: context.username, context, scope: null, project: null }, now),
      subscribed: false,
      hypothetical: true,
    });
  }

  const policies = await loadPolicyInputs(db, ds.id);
  const compiled = compileView(ds, policies, context, integration.governedCatalog);
  const dsTags = [...ds.tags.map((t) => t.tag.name), ...ds.columns.flatMap((c) => c.tags.map((t) => t.tag.name))];
  const bearing = policies.filter((p) => p.scope === "LOCAL" || (p.tag !== undefined && dsTags.some((t) => tagCovers(p.tag!, t))));

  const trinoName = [integration.governedCatalog, ds.governedSchema, ds.name].map(quoteIdent).join(".");
  let sample: PreviewResult["sample"];
  if (input.sample) {
    if (!hypothetical) {
      // the real enforcement path: Trino asks our connector for this user's view
      const statement = `SELECT * FROM ${trinoName} LIMIT ${SAMPLE_ROWS}`;
      sample = { via: "user", runAs: context.username, statement, result: await queryAsUser(context.username, statement, { maxRows: SAMPLE_ROWS }) };
    } else if (compiled.rawSql) {
      // nobody can log in as a hypothetical user: run their compiled view as the service user
      const statement = `SELECT * FROM (${compiled.rawSql}) LIMIT ${SAMPLE_ROWS}`;
      sample = {
        via: "service",
        runAs: integration.serviceUser,
        statement: `SELECT * FROM (<the view SQL above>) LIMIT ${SAMPLE_ROWS}`,
        result: await queryAsUser(integration.serviceUser, statement, { maxRows: SAMPLE_ROWS }),
      };
    }
  }

  const { rawSql: _raw, ...shown } = compiled;
  return {
    ...shown,
    dataSource: {
      id: ds.id,
      view: `${ds.governedSchema}.${ds.name}`,
      trinoName: queryableName(integration.governedCatalog, ds.governedSchema, ds.name),
      status: ds.status,
      subscriptionType,
    },
    user: { kind: input.user.kind, username: context.username, groups: context.groups, attributes: context.attributes, purposes: context.purposes },
    visibility,
    policies: bearing.map((p) => ({
      id: p.id,
      name: p.name,
      scope: p.scope,
      ...(p.tag ? { tag: p.tag } : {}),
      kind: p.action.type === "MASK" ? "MASK" : "ROW_FILTER",
      summary: summarize(p),
      applies: appliesTo(p.who, context),
    })),
    ...(sample ? { sample } : {}),
  };
}
