import { Badge } from "@/components/ui/badge";
import { DataTable } from "@/components/ui/data-table";
import { PageHeader } from "@/components/ui/page-header";
import { listUsers } from "@/lib/server/directory";
import { pageActor } from "@/lib/server/page";

export default async function PeoplePage() {
  const actor = await pageActor(["ADMIN"]);
  const users = await listUsers(actor);
  return (
    <>
      <PageHeader title="People" description="Users, their roles, groups and attributes." />
      <DataTable
        label="Users"
        rows={users}
        rowKey={(u) => u.id}
        empty="No users."
        columns={[
          { header: "Username", cell: (u) => <span className="font-mono">{u.username}</span> },
          { header: "Roles", cell: (u) => <span className="flex flex-wrap gap-1">{u.roles.map((r) => <Badge key={r} tone="indigo">{r.toLowerCase().replace("_", " ")}</Badge>)}</span> },
          { header: "Groups", cell: (u) => u.groups.join(", ") },
          { header: "Attributes", cell: (u) => <span className="font-mono text-xs">{u.attributes.join(", ")}</span> },
          { header: "Status", cell: (u) => (u.disabled ? <Badge tone="red">disabled</Badge> : <Badge tone="green">active</Badge>) },
        ]}
      />
    </>
  );
}
