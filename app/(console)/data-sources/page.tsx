import { Badge } from "@/components/ui/badge";
import { DataTable } from "@/components/ui/data-table";
import { PageHeader } from "@/components/ui/page-header";
import { listCatalogue } from "@/lib/server/data-sources";
import { pageActor } from "@/lib/server/page";

export default async function DataSourcesPage() {
  const actor = await pageActor();
  const rows = await listCatalogue(actor);
  return (
    <>
      <PageHeader title="Data sources" description="Every registered Trino table, as its governed view. Request access to see its rows." />
      <DataTable
        label="Data sources"
        rows={rows}
        rowKey={(r) => r.id}
        empty="No data sources are registered yet."
        columns={[
          { header: "View", cell: (r) => <span className="font-mono">{r.view}</span> },
          { header: "Description", cell: (r) => r.description ?? "" },
          { header: "Tags", cell: (r) => <span className="flex flex-wrap gap-1">{r.tags.map((t) => <Badge key={t}>{t}</Badge>)}</span> },
          { header: "Owners", cell: (r) => r.owners.join(", ") },
          { header: "Access", cell: (r) => <Badge tone={r.mySubscription === "ACTIVE" ? "green" : "gray"}>{r.mySubscription?.toLowerCase() ?? r.subscriptionType.toLowerCase()}</Badge> },
          { header: "Status", cell: (r) => <Badge tone={r.status === "ACTIVE" ? "green" : "amber"}>{r.status.toLowerCase()}</Badge> },
        ]}
      />
    </>
  );
}
