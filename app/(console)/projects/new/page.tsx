import Link from "next/link";
import { Section } from "@/components/ui/form";
import { PageHeader } from "@/components/ui/page-header";
import { listUsers } from "@/lib/server/directory";
import { pageActor } from "@/lib/server/page";
import { NewProjectForm } from "../project-admin";

export default async function NewProjectPage() {
  const actor = await pageActor(["ADMIN"]);
  const users = (await listUsers(actor)).filter((u) => !u.disabled).map((u) => u.username);
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href="/projects" className="text-indigo-600 hover:underline">Projects</Link> <span className="text-slate-400">/</span> New project
      </nav>
      <PageHeader title="New project" description="Members switch to a project and acknowledge its purposes; policies can then depend on those purposes." />
      <Section title="Project">
        <NewProjectForm users={users} />
      </Section>
    </>
  );
}
