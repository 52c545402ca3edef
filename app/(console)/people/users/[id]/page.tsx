import Link from "next/link";
import { notFound } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { Section } from "@/components/ui/form";
import { PageHeader } from "@/components/ui/page-header";
import { NotFoundError } from "@/lib/server/errors";
import { pageActor } from "@/lib/server/page";
import { getUserForEdit, listGroups } from "@/lib/server/people";
import { UserForm } from "../../user-form";
import { DisableUser, PasswordForm } from "./account-actions";

export default async function EditUserPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await pageActor(["ADMIN"]);
  const { id } = await params;
  const user = await getUserForEdit(actor, id).catch((e) => {
    if (e instanceof NotFoundError) notFound();
    throw e;
  });
  const groups = (await listGroups(actor)).map((g) => g.name);
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href="/people" className="text-indigo-600 hover:underline">People</Link> <span className="text-slate-400">/</span> {user.username}
      </nav>
      <PageHeader title={user.username} description={user.displayName || undefined}>
        {user.disabled ? <Badge tone="red">disabled</Badge> : <Badge tone="green">active</Badge>}
      </PageHeader>
      <Section title="Roles, groups and attributes">
        <UserForm initial={user} allGroups={groups} isSelf={user.isSelf} />
      </Section>
      <Section title="Password" description={user.hasPassword ? "Replaces the current password." : "This user signs in with single sign-on; a password adds local sign-in."}>
        <PasswordForm id={user.id} username={user.username} />
      </Section>
      <Section title="Access" description={user.disabled ? "This user is disabled." : "A disabled user can neither sign in nor see governed data."}>
        <DisableUser id={user.id} username={user.username} disabled={user.disabled} isSelf={user.isSelf} />
      </Section>
    </>
  );
}
