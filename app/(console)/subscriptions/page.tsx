import { Badge } from "@/components/ui/badge";
import { DataTable } from "@/components/ui/data-table";
import { PageHeader } from "@/components/ui/page-header";
import { pageActor } from "@/lib/server/page";
import { listInbox, listMySubscriptions } from "@/lib/server/subscriptions";
import { hasAnyRole } from "@/lib/roles";

export default async function SubscriptionsPage() {
  const actor = await pageActor();
  const mine = await listMySubscriptions(actor);
  const decides = hasAnyRole(actor.roles, ["GOVERNOR", "DATA_OWNER"]);
  const inbox = decides ? await listInbox(actor) : [];
  return (
    <>
      <PageHeader title="Subscriptions" description="Your access to data sources, and the requests waiting for your decision." />
      <h2 className="mb-2 text-lg font-medium">My access</h2>
      <DataTable
        label="My access"
        rows={mine}
        rowKey={(s) => s.id}
        empty="You have no subscriptions yet. Browse the data sources to request access."
        columns={[
          { header: "View", cell: (s) => <span className="font-mono">{`${s.dataSource.governedSchema}.${s.dataSource.name}`}</span> },
          { header: "State", cell: (s) => <Badge tone={s.state === "ACTIVE" ? "green" : s.state === "PENDING" ? "amber" : "gray"}>{s.state.toLowerCase()}</Badge> },
          { header: "Expires", cell: (s) => s.expiresAt?.toISOString().slice(0, 10) ?? "never" },
        ]}
      />
      {decides ? (
        <>
          <h2 className="mb-2 mt-8 text-lg font-medium">Requests to decide</h2>
          <DataTable
            label="Requests to decide"
            rows={inbox}
            rowKey={(s) => s.id}
            empty="No pending requests."
            columns={[
              { header: "User", cell: (s) => s.user.username },
              { header: "View", cell: (s) => <span className="font-mono">{`${s.dataSource.governedSchema}.${s.dataSource.name}`}</span> },
              { header: "Reason", cell: (s) => s.reason ?? "" },
              { header: "Requested", cell: (s) => s.requestedAt.toISOString().slice(0, 16).replace("T", " ") },
            ]}
          />
        </>
      ) : null}
    </>
  );
}
