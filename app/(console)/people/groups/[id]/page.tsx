import Link from "next/link";
import { notFound } from "next/navigation";
import { DataTable } from "@/components/ui/data-table";
import { Section } from "@/components/ui/form";
import { PageHeader } from "@/components/ui/page-header";
import { listUsers } from "@/lib/server/directory";
import { NotFoundError } from "@/lib/server/errors";
import { pageActor } from "@/lib/server/page";
import { getGroup } from "@/lib/server/people";
import { AddMemberForm } from "@/components/add-member-form";
import { addGroupMemberAction } from "../../actions";
import { DeleteGroup, RemoveMember } from "../../group-forms";

export default async function GroupPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await pageActor(["ADMIN"]);
  const { id } = await params;
  const group = await getGroup(actor, id).catch((e) => {
    if (e instanceof NotFoundError) notFound();
    throw e;
  });
  const users = await listUsers(actor);
  const candidates = users.filter((u) => !group.members.includes(u.username)).map((u) => u.username);
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href="/people" className="text-indigo-600 hover:underline">People</Link> <span className="text-slate-400">/</span> group {group.name}
      </nav>
      <PageHeader title={`Group ${group.name}`} description={group.description ?? undefined}>
        <DeleteGroup id={group.id} name={group.name} members={group.members.length} />
      </PageHeader>
      <Section title="Members" description={`${group.members.length} member${group.members.length === 1 ? "" : "s"}.`}>
        <div className="mb-4">
          <DataTable
            label="Members"
            rows={group.members}
            rowKey={(u) => u}
            empty="No members yet."
            columns={[
              { header: "User", cell: (u) => <span className="font-mono">{u}</span> },
              { header: "", cell: (u) => <div className="text-right"><RemoveMember groupId={group.id} group={group.name} username={u} /></div> },
            ]}
          />
        </div>
        <AddMemberForm
          candidates={candidates}
          add={async ({ username }) => {
            "use server";
            return addGroupMemberAction({ groupId: group.id, username });
          }}
        />
      </Section>
    </>
  );
}
