import Link from "next/link";
import { notFound } from "next/navigation";
import { AccessBadge, TagList } from "@/components/data-sources/access-badge";
import { formatDate, formatTime, SUBSCRIPTION_TYPE_LABEL } from "@/components/data-sources/format";
import { DecisionButton } from "@/components/subscriptions/decision-button";
import { RequestAccess } from "@/components/subscriptions/request-access";
import { Badge } from "@/components/ui/badge";
import { DataTable } from "@/components/ui/data-table";
import { Section } from "@/components/ui/form";
import { requestOption } from "@/lib/data-sources/access";
import { describeCondition } from "@/lib/policy/describe";
import { getDataSourceDetail } from "@/lib/server/data-source-detail";
import { NotFoundError } from "@/lib/server/errors";
import { pageActor } from "@/lib/server/page";
import { AddSubscriber } from "./add-subscriber";
import { ManageActions } from "./manage-actions";
import { SubscriptionPolicyEditor } from "./subscription-policy";
import { TagsEditor } from "./tags-editor";

const STATE_TONE = { ACTIVE: "green", PENDING: "amber", DENIED: "red", REVOKED: "gray", EXPIRED: "gray" } as const;

function value(v: unknown): string {
  if (Array.isArray(v)) return v.map(value).join(", ");
  if (v && typeof v === "object") {
    const t = v as Record<string, unknown>;
    return "catalog" in t && "schema" in t && "table" in t ? `${t.catalog}.${t.schema}.${t.table}` : JSON.stringify(v);
  }
  return String(v);
}

/** Audit details in one line; the data source's own id is implied by the page. */
function details(d: Record<string, unknown> | null): string {
  if (!d) return "";
  return Object.entries(d)
    .filter(([k, v]) => k !== "dataSourceId" && v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0) && v !== false)
    .map(([k, v]) => `${k}: ${value(v)}`)
    .join("; ");
}

export default async function DataSourcePage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await pageActor();
  const { id } = await params;
  const d = await getDataSourceDetail(actor, id).catch((e) => {
    if (e instanceof NotFoundError) notFound();
    throw e;
  });
  const option = requestOption({ status: d.status, type: d.subscriptionType, access: d.my.access });
  const masked = Object.keys(d.masksByColumn).length;

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href="/data-sources" className="text-indigo-700 hover:underline">Data sources</Link>
        <span aria-hidden className="mx-1 text-slate-400">/</span>
        <span className="font-mono text-slate-600">{d.view}</span>
      </nav>
      <header className="mb-6 flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <h1 className="flex items-center gap-2 font-mono text-2xl font-semibold tracking-tight">
            {d.view}
            {d.status === "DISABLED" ? <Badge tone="amber">disabled</Badge> : null}
          </h1>
          <p className="mt-1 max-w-3xl text-sm text-slate-600">{d.description ?? "No description."}</p>
        </div>
        {d.canManage ? <ManageActions dataSourceId={d.id} view={d.view} status={d.status} subscribers={d.subscribers.filter((s) => s.access === "active").length} /> : null}
      </header>

      <section aria-label="Summary" className="mb-8 grid grid-cols-1 gap-4 lg:grid-cols-[2fr_1fr]">
        <dl className="grid grid-cols-[9rem_1fr] gap-x-4 gap-y-2 rounded-lg border border-slate-200 bg-white p-5 text-sm">
          <dt className="text-slate-500">Query it as</dt>
          <dd><code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono">{d.trinoName}</code></dd>
          <dt className="text-slate-500">Backing table</dt>
          <dd className="font-mono">{d.backing}</dd>
          <dt className="text-slate-500">Owners</dt>
          <dd>{d.owners.join(", ")}</dd>
          <dt className="text-slate-500">Access</dt>
          <dd>
            <span data-testid="access-policy">
              {SUBSCRIPTION_TYPE_LABEL[d.subscriptionType]}
              {d.subscriptionCondition ? <>: <span className="font-mono">{describeCondition(d.subscriptionCondition)}</span></> : d.subscriptionType === "AUTO" ? " (no condition: nobody matches)" : ""}
              {d.maxDays ? `; grants expire after ${d.maxDays} days` : ""}
            </span>
            {d.canManage ? (
              <span className="ml-2 inline-block align-middle">
                <SubscriptionPolicyEditor dataSourceId={d.id} version={d.version} view={d.view} type={d.subscriptionType} condition={d.subscriptionCondition} maxDays={d.maxDays} />
              </span>
            ) : null}
          </dd>
          <dt className="text-slate-500">Tags</dt>
          <dd>
            <span data-testid="table-tags"><TagList tags={d.tags} empty="None" /></span>
            {d.canManage ? (
              <span className="ml-2 inline-block align-middle">
                <TagsEditor dataSourceId={d.id} version={d.version} view={d.view} tags={d.tags} columns={d.columns} knownTags={d.knownTags} />
              </span>
            ) : null}
          </dd>
          <dt className="text-slate-500">Registered</dt>
          <dd>{formatDate(d.createdAt)}{d.updatedAt.getTime() - d.createdAt.getTime() > 60_000 ? `, changed ${formatTime(d.updatedAt)} UTC` : ""}</dd>
        </dl>
        <div className="rounded-lg border border-slate-200 bg-white p-5 text-sm" data-testid="my-access">
          <h2 className="mb-2 font-medium">Your access</h2>
          <AccessBadge access={d.my.access} expiresAt={d.my.expiresAt} />
          {d.my.access === "denied" && d.my.decisionReason ? <p className="mt-2 text-slate-600">Reason given: “{d.my.decisionReason}”</p> : null}
          {d.my.owner ? (
            <p className="mt-2 text-slate-600" data-testid="owner-access">
              You own it: you query it in Trino without a subscription; the masks and filters below apply to you as to anyone.
            </p>
          ) : null}
          {!d.my.owner && (d.my.access === "active" || d.my.access === "auto") ? (
            <p className="mt-2 text-slate-600">Query <code className="font-mono">{d.trinoName}</code> in Trino; the masks and filters below apply to you.</p>
          ) : null}
          <div className="mt-3 flex flex-wrap items-center gap-2">
            {d.my.owner ? null : <RequestAccess dataSourceId={d.id} view={d.view} option={option} />}
            {d.my.subscriptionId && d.my.access === "active" ? (
              <DecisionButton kind="revoke" own subscriptionId={d.my.subscriptionId} username={actor.username} view={d.view} />
            ) : null}
            {d.my.subscriptionId && d.my.access === "pending" ? (
              <DecisionButton kind="withdraw" own subscriptionId={d.my.subscriptionId} username={actor.username} view={d.view} />
            ) : null}
          </div>
        </div>
      </section>

      <Section id="columns" title={`Columns (${d.columns.length})`} description={masked ? `${masked} masked for some users; who depends on each policy.` : "No column is masked."}>
        <DataTable
          label="Columns"
          rows={d.columns.map((c, i) => ({ ...c, ordinal: i + 1 }))}
          rowKey={(c) => c.id}
          empty="No columns."
          columns={[
            { header: "#", cell: (c) => <span className="tabular-nums text-slate-500">{c.ordinal}</span> },
            { header: "Column", cell: (c) => <span className="font-mono">{c.name}</span> },
            { header: "Type", cell: (c) => <span className="font-mono text-slate-600">{c.type}</span> },
            { header: "Tags", cell: (c) => <TagList tags={c.tags} /> },
            {
              header: "Masked by",
              cell: (c) =>
                d.masksByColumn[c.name]?.length ? (
                  <span className="text-slate-700">{d.masksByColumn[c.name].map((p) => p.name).join(" › ")}</span>
                ) : (
                  <span className="text-slate-400">—</span>
                ),
            },
          ]}
        />
      </Section>

      <Section
        id="policies"
        title="Policies"
        description={d.rowFilters.length ? `${d.rowFilters.length} row filter${d.rowFilters.length === 1 ? "" : "s"} and the masks above, for the users each names.` : "Masks and row filters that bear on this data source."}
      >
        <DataTable
          label="Policies"
          rows={d.policies}
          rowKey={(p) => p.id}
          empty="No policy applies: subscribers see every row and column as stored."
          columns={[
            { header: "Name", cell: (p) => <span className="font-medium">{p.name}{p.enabled ? "" : " (disabled)"}</span> },
            { header: "Scope", cell: (p) => (p.scope === "GLOBAL" ? <Badge tone="indigo">global · {p.tag}</Badge> : <Badge>local</Badge>) },
            { header: "Kind", cell: (p) => (p.kind === "MASK" ? "mask" : "row filter") },
            { header: "What it does", cell: (p) => <span className="text-xs text-slate-600">{p.summary}</span> },
          ]}
        />
      </Section>

      {d.seesPeople ? (
        <Section
          id="subscribers"
          title="Subscribers"
          description="Who has, asked for or lost access."
          actions={d.canManage ? <AddSubscriber dataSourceId={d.id} /> : undefined}
        >
          <DataTable
            label="Subscribers"
            rows={d.subscribers}
            rowKey={(s) => s.id}
            empty="Nobody has subscribed or asked yet."
            columns={[
              { header: "User", cell: (s) => <span className="font-mono">{s.username}</span> },
              { header: "State", cell: (s) => <Badge tone={s.access === "expired" ? "gray" : STATE_TONE[s.state]}>{s.access === "expired" ? "expired" : s.state.toLowerCase()}</Badge> },
              { header: "Reason", cell: (s) => <span className="text-slate-700">{s.reason ?? ""}</span> },
              {
                header: "Decision",
                cell: (s) => (s.decidedBy ? <span className="text-xs text-slate-600">{s.decidedBy}{s.decisionReason ? `: “${s.decisionReason}”` : ""}</span> : ""),
              },
              { header: "Requested", cell: (s) => <span className="whitespace-nowrap text-xs">{formatTime(s.requestedAt)}</span> },
              { header: "Expires", cell: (s) => <span className="whitespace-nowrap text-xs">{s.state === "ACTIVE" ? (s.expiresAt ? formatDate(s.expiresAt) : "never") : ""}</span> },
              {
                header: "Actions",
                cell: (s) =>
                  d.canManage ? (
                    <span className="flex gap-1">
                      {s.state === "PENDING" ? (
                        <>
                          <DecisionButton kind="approve" subscriptionId={s.id} username={s.username} view={d.view} />
                          <DecisionButton kind="deny" subscriptionId={s.id} username={s.username} view={d.view} />
                        </>
                      ) : null}
                      {s.state === "ACTIVE" && s.access === "active" ? <DecisionButton kind="revoke" subscriptionId={s.id} username={s.username} view={d.view} own={s.username === actor.username} /> : null}
                    </span>
                  ) : null,
              },
            ]}
          />
        </Section>
      ) : null}

      {d.seesPeople ? (
        <Section id="activity" title="Activity" description="Audit events for this data source, its subscriptions and its local policies (newest first, at most 50).">
          <DataTable
            label="Activity"
            rows={d.audit}
            rowKey={(e) => e.id}
            empty="No events yet."
            columns={[
              { header: "Time (UTC)", cell: (e) => <span className="whitespace-nowrap font-mono text-xs">{formatTime(e.createdAt)}</span> },
              { header: "Who", cell: (e) => e.actorName },
              { header: "What", cell: (e) => <span className="font-mono text-xs">{e.action}</span> },
              { header: "Details", cell: (e) => <span className="text-xs text-slate-600">{details(e.details)}</span> },
            ]}
          />
        </Section>
      ) : null}
    </>
  );
}
