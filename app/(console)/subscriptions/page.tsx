import Link from "next/link";
import { AccessBadge } from "@/components/data-sources/access-badge";
import { formatDate, formatTime } from "@/components/data-sources/format";
import { DecisionButton } from "@/components/subscriptions/decision-button";
import { DataTable } from "@/components/ui/data-table";
import { PageHeader } from "@/components/ui/page-header";
import { accessState } from "@/lib/data-sources/access";
import { hasAnyRole } from "@/lib/roles";
import { pageActor } from "@/lib/server/page";
import { listInbox, listMySubscriptions } from "@/lib/server/subscriptions";

export default async function SubscriptionsPage() {
  const actor = await pageActor();
  const [mineRaw, inbox] = await Promise.all([listMySubscriptions(actor), listInbox(actor)]);
  const now = new Date();
  const mine = mineRaw.map((s) => ({ ...s, access: accessState({ subscription: s, now }), view: `${s.dataSource.governedSchema}.${s.dataSource.name}` }));
  // Owners (any user an owner added) and governors decide; show the inbox to them even when it is empty.
  const decides = hasAnyRole(actor.roles, ["GOVERNOR", "DATA_OWNER"]) || inbox.length > 0;
  const viewLink = (id: string, view: string) => (
    <Link href={`/data-sources/${id}`} className="font-mono text-indigo-700 hover:underline">
      {view}
    </Link>
  );

  return (
    <>
      <PageHeader title="Subscriptions" description="Your access to data sources, and the requests waiting for your decision." />
      {decides ? (
        <section aria-labelledby="inbox-heading" className="mb-8">
          <h2 id="inbox-heading" className="mb-2 text-lg font-medium">
            Requests to decide {inbox.length ? <span className="ml-1 rounded-full bg-amber-100 px-2 py-0.5 text-sm text-amber-800">{inbox.length}</span> : null}
          </h2>
          <DataTable
            label="Requests to decide"
            rows={inbox}
            rowKey={(s) => s.id}
            empty={hasAnyRole(actor.roles, ["GOVERNOR"]) ? "No pending requests." : "No pending requests for the data sources you own."}
            columns={[
              { header: "User", cell: (s) => <span className="font-mono">{s.user.username}</span> },
              { header: "Data source", cell: (s) => viewLink(s.dataSource.id, `${s.dataSource.governedSchema}.${s.dataSource.name}`) },
              { header: "Reason", cell: (s) => <span className="text-slate-700">{s.reason ?? ""}</span> },
              { header: "Requested (UTC)", cell: (s) => <span className="whitespace-nowrap text-xs">{formatTime(s.requestedAt)}</span> },
              {
                header: "Decide",
                cell: (s) => {
                  const view = `${s.dataSource.governedSchema}.${s.dataSource.name}`;
                  return (
                    <span className="flex gap-1">
                      <DecisionButton kind="approve" subscriptionId={s.id} username={s.user.username} view={view} />
                      <DecisionButton kind="deny" subscriptionId={s.id} username={s.user.username} view={view} />
                    </span>
                  );
                },
              },
            ]}
          />
        </section>
      ) : null}

      <section aria-labelledby="mine-heading">
        <h2 id="mine-heading" className="mb-2 text-lg font-medium">My access</h2>
        {mine.length === 0 ? (
          <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-sm text-slate-500">
            <p>You have no subscriptions yet.</p>
            <Link href="/data-sources" className="mt-2 inline-block text-indigo-700 hover:underline">Browse the data sources to request access</Link>
          </div>
        ) : (
          <DataTable
            label="My access"
            rows={mine}
            rowKey={(s) => s.id}
            empty=""
            columns={[
              { header: "Data source", cell: (s) => viewLink(s.dataSource.id, s.view) },
              { header: "State", cell: (s) => <AccessBadge access={s.access} /> },
              { header: "Expires", cell: (s) => (s.access === "active" ? (s.expiresAt ? formatDate(s.expiresAt) : "never") : s.access === "expired" && s.expiresAt ? `expired ${formatDate(s.expiresAt)}` : "") },
              { header: "Your reason", cell: (s) => <span className="text-slate-700">{s.reason ?? ""}</span> },
              { header: "Decision", cell: (s) => (s.decisionReason ? <span className="text-xs text-slate-600">“{s.decisionReason}”</span> : "") },
              { header: "Requested (UTC)", cell: (s) => <span className="whitespace-nowrap text-xs">{formatTime(s.requestedAt)}</span> },
              {
                header: "Actions",
                cell: (s) =>
                  s.access === "active" ? (
                    <DecisionButton kind="revoke" own subscriptionId={s.id} username={actor.username} view={s.view} />
                  ) : s.access === "pending" ? (
                    <DecisionButton kind="withdraw" own subscriptionId={s.id} username={actor.username} view={s.view} />
                  ) : null,
              },
            ]}
          />
        )}
      </section>
    </>
  );
}
