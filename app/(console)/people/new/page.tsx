import Link from "next/link";
import { Section } from "@/components/ui/form";
import { PageHeader } from "@/components/ui/page-header";
import { pageActor } from "@/lib/server/page";
import { listGroups } from "@/lib/server/people";
import { UserForm } from "../user-form";

export default async function NewUserPage() {
  const actor = await pageActor(["ADMIN"]);
  const groups = (await listGroups(actor)).map((g) => g.name);
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href="/people" className="text-indigo-600 hover:underline">People</Link> <span className="text-slate-400">/</span> New user
      </nav>
      <PageHeader title="New user" description="A local account with a password. Users from single sign-on are created when they first sign in." />
      <Section title="Account">
        <UserForm allGroups={groups} />
      </Section>
    </>
  );
}
