import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { DataTable } from "@/components/ui/data-table";
import { FormMessage, Section, buttonClass } from "@/components/ui/form";
import { PageHeader } from "@/components/ui/page-header";
import { listUsers } from "@/lib/server/directory";
import { pageActor } from "@/lib/server/page";
import { listGroups } from "@/lib/server/people";
import { NewGroupForm } from "./group-forms";

export default async function PeoplePage({ searchParams }: { searchParams: Promise<{ created?: string }> }) {
  const actor = await pageActor(["ADMIN"]);
  const [users, groups, { created }] = await Promise.all([listUsers(actor), listGroups(actor), searchParams]);
  return (
    <>
      <PageHeader title="People" description="Users, their roles, groups and attributes. Policies match on groups and attributes.">
        <Link href="/people/new" className={buttonClass()}>New user</Link>
      </PageHeader>
      {created ? <div className="mb-4"><FormMessage kind="success">User {created} created. They can sign in now.</FormMessage></div> : null}
      <Section title="Users" description={`${users.length} user${users.length === 1 ? "" : "s"}.`} id="users">
        <DataTable
          label="Users"
          rows={users}
          rowKey={(u) => u.id}
          empty="No users."
          columns={[
            { header: "Username", cell: (u) => <Link href={`/people/users/${u.id}`} className="font-mono text-indigo-700 hover:underline">{u.username}</Link> },
            { header: "Roles", cell: (u) => <span className="flex flex-wrap gap-1">{u.roles.map((r) => <Badge key={r} tone="indigo">{r.toLowerCase().replace("_", " ")}</Badge>)}</span> },
            { header: "Groups", cell: (u) => u.groups.join(", ") },
            { header: "Attributes", cell: (u) => <span className="font-mono text-xs">{u.attributes.join(", ")}</span> },
            { header: "Status", cell: (u) => (u.disabled ? <Badge tone="red">disabled</Badge> : <Badge tone="green">active</Badge>) },
            { header: "", cell: (u) => <Link href={`/people/users/${u.id}`} aria-label={`Edit ${u.username}`} className="text-sm text-indigo-700 hover:underline">Edit</Link> },
          ]}
        />
      </Section>
      <Section title="Groups" description="Named sets of users. Policies can exempt or target a group." id="groups">
        <div className="mb-4">
          <DataTable
            label="Groups"
            rows={groups}
            rowKey={(g) => g.id}
            empty="No groups yet. Create the first one below."
            columns={[
              { header: "Group", cell: (g) => <Link href={`/people/groups/${g.id}`} className="font-mono text-indigo-700 hover:underline">{g.name}</Link> },
              { header: "Description", cell: (g) => <span className="text-slate-600">{g.description ?? ""}</span> },
              { header: "Members", cell: (g) => (g.members.length ? g.members.join(", ") : <span className="text-slate-400">none</span>) },
            ]}
          />
        </div>
        <NewGroupForm />
      </Section>
    </>
  );
}
