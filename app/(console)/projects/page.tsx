import { Badge } from "@/components/ui/badge";
import { DataTable } from "@/components/ui/data-table";
import { PageHeader } from "@/components/ui/page-header";
import { listProjects } from "@/lib/server/directory";
import { pageActor } from "@/lib/server/page";

export default async function ProjectsPage() {
  const actor = await pageActor();
  const projects = await listProjects(actor);
  return (
    <>
      <PageHeader title="Projects" description="Projects and their purposes. A purpose counts once you acknowledge it in your current project." />
      <DataTable
        label="Projects"
        rows={projects}
        rowKey={(p) => p.id}
        empty="No projects yet."
        columns={[
          { header: "Project", cell: (p) => <span className="font-medium">{p.name}</span> },
          { header: "Description", cell: (p) => p.description ?? "" },
          { header: "Purposes", cell: (p) => <span className="flex flex-wrap gap-1">{p.purposes.map((x) => <Badge key={x} tone="indigo">{x}</Badge>)}</span> },
          { header: "Members", cell: (p) => p.members.join(", ") },
        ]}
      />
    </>
  );
}
