import Link from "next/link";
import { DataTable } from "@/components/ui/data-table";
import { PageHeader } from "@/components/ui/page-header";
import { listAuditEvents } from "@/lib/server/directory";
import { pageActor } from "@/lib/server/page";

export default async function AuditPage({ searchParams }: { searchParams: Promise<{ page?: string }> }) {
  const actor = await pageActor(["AUDITOR"]);
  const page = Number((await searchParams).page ?? "1") || 1;
  const { events, total, pageSize } = await listAuditEvents(actor, { page });
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <>
      <PageHeader title="Audit" description={`${total} events, newest first.`} />
      <DataTable
        label="Audit events"
        rows={events}
        rowKey={(e) => e.id}
        empty="No events yet."
        columns={[
          { header: "Time", cell: (e) => <span className="whitespace-nowrap font-mono text-xs">{e.createdAt.toISOString().replace("T", " ").slice(0, 19)}</span> },
          { header: "Actor", cell: (e) => e.actorName },
          { header: "Action", cell: (e) => <span className="font-mono text-xs">{e.action}</span> },
          { header: "Target", cell: (e) => `${e.targetType}${e.targetId ? ` ${e.targetId}` : ""}` },
          { header: "Details", cell: (e) => <code className="text-xs text-slate-600">{e.details ? JSON.stringify(e.details) : ""}</code> },
        ]}
      />
      <nav aria-label="Pagination" className="mt-4 flex items-center gap-4 text-sm">
        {page > 1 ? <Link className="text-indigo-600" href={`/audit?page=${page - 1}`}>Previous</Link> : null}
        <span>Page {page} of {pages}</span>
        {page < pages ? <Link className="text-indigo-600" href={`/audit?page=${page + 1}`}>Next</Link> : null}
      </nav>
    </>
  );
}
