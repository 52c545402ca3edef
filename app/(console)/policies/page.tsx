import { Badge } from "@/components/ui/badge";
import { DataTable } from "@/components/ui/data-table";
import { PageHeader } from "@/components/ui/page-header";
import { pageActor } from "@/lib/server/page";
import { listPolicies } from "@/lib/server/policies";

export default async function PoliciesPage() {
  const actor = await pageActor(["GOVERNOR", "DATA_OWNER"]);
  const policies = await listPolicies(actor);
  return (
    <>
      <PageHeader title="Policies" description="Masks and row filters, global by tag or local to one data source." />
      <DataTable
        label="Policies"
        rows={policies}
        rowKey={(p) => p.id}
        empty="No policies yet."
        columns={[
          { header: "Name", cell: (p) => <span className="font-medium">{p.name}</span> },
          { header: "Scope", cell: (p) => <Badge tone={p.scope === "GLOBAL" ? "indigo" : "gray"}>{p.scope.toLowerCase()}</Badge> },
          { header: "Applies to", cell: (p) => <span className="font-mono text-xs">{p.target}</span> },
          { header: "Kind", cell: (p) => p.kind === "MASK" ? "mask" : "row filter" },
          { header: "Summary", cell: (p) => <span className="text-xs text-slate-600">{p.summary}</span> },
        ]}
      />
    </>
  );
}
