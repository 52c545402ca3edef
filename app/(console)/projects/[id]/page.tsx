import Link from "next/link";
import { notFound } from "next/navigation";
import { DataTable } from "@/components/ui/data-table";
import { Section } from "@/components/ui/form";
import { PageHeader } from "@/components/ui/page-header";
import { listUsers } from "@/lib/server/directory";
import { NotFoundError } from "@/lib/server/errors";
import { pageActor } from "@/lib/server/page";
import { getProjectForAdmin } from "@/lib/server/projects";
import { AddMemberForm } from "@/components/add-member-form";
import { addProjectMemberAction } from "../actions";
import { AddProjectDataSource, AddPurposeForm, DeleteProject, DescriptionForm, RemoveProjectDataSource, RemoveProjectMember, RemovePurpose } from "../project-admin";

export default async function ManageProjectPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await pageActor(["ADMIN"]);
  const { id } = await params;
  const project = await getProjectForAdmin(actor, id).catch((e) => {
    if (e instanceof NotFoundError) notFound();
    throw e;
  });
  const users = await listUsers(actor);
  const candidates = users.filter((u) => !u.disabled && !project.members.includes(u.username)).map((u) => u.username);
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href="/projects" className="text-indigo-600 hover:underline">Projects</Link> <span className="text-slate-400">/</span> {project.name}
      </nav>
      <PageHeader title={project.name} description="Manage the project's data sources, purposes and members.">
        <DeleteProject id={project.id} name={project.name} />
      </PageHeader>
      <Section title="About">
        <DescriptionForm id={project.id} initial={project.description} />
      </Section>
      <Section
        title="Data sources"
        description="A member working in this project (their current project, or SET SESSION governed.project) sees only these in Trino — those they are subscribed to. With no data source here, they see nothing while in the project."
      >
        <div className="mb-4">
          <DataTable
            label="Data sources of the project"
            rows={project.dataSources}
            rowKey={(d) => d.id}
            empty="No data sources yet: members working in this project see nothing."
            columns={[
              { header: "Data source", cell: (d) => <Link href={`/data-sources/${d.id}`} className="font-mono text-indigo-700 hover:underline">{d.view}</Link> },
              { header: "", cell: (d) => <div className="text-right"><RemoveProjectDataSource projectId={project.id} project={project.name} dataSourceId={d.id} view={d.view} /></div> },
            ]}
          />
        </div>
        <AddProjectDataSource projectId={project.id} options={project.otherDataSources} />
      </Section>
      <Section title="Purposes" description="Each member acknowledges each statement before the purpose counts for them.">
        <div className="mb-4">
          <DataTable
            label="Purposes"
            rows={project.purposes}
            rowKey={(p) => p.id}
            empty="No purposes yet."
            columns={[
              { header: "Purpose", cell: (p) => <span className="font-mono">{p.name}</span> },
              { header: "Statement", cell: (p) => <span className="text-slate-700">{p.statement}</span> },
              { header: "", cell: (p) => <div className="text-right"><RemovePurpose projectId={project.id} purposeId={p.id} name={p.name} project={project.name} /></div> },
            ]}
          />
        </div>
        <AddPurposeForm projectId={project.id} />
      </Section>
      <Section title="Members" description={`${project.members.length} member${project.members.length === 1 ? "" : "s"}.`}>
        <div className="mb-4">
          <DataTable
            label="Members"
            rows={project.members}
            rowKey={(u) => u}
            empty="No members yet."
            columns={[
              { header: "User", cell: (u) => <span className="font-mono">{u}</span> },
              { header: "", cell: (u) => <div className="text-right"><RemoveProjectMember projectId={project.id} project={project.name} username={u} /></div> },
            ]}
          />
        </div>
        <AddMemberForm
          candidates={candidates}
          add={async ({ username }) => {
            "use server";
            return addProjectMemberAction({ projectId: project.id, username });
          }}
        />
      </Section>
    </>
  );
}
