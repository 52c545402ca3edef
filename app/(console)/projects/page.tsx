import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Section, buttonClass } from "@/components/ui/form";
import { PageHeader } from "@/components/ui/page-header";
import { hasAnyRole } from "@/lib/roles";
import { pageActor } from "@/lib/server/page";
import { listProjectsForUser } from "@/lib/server/projects";
import { AcknowledgeButton, ProjectSwitcher } from "./member-controls";

export default async function ProjectsPage() {
  const actor = await pageActor();
  const { projects, currentProjectId } = await listProjectsForUser(actor);
  const isAdmin = hasAnyRole(actor.roles, ["ADMIN"]);
  const mine = projects.filter((p) => p.isMember);
  const current = projects.find((p) => p.id === currentProjectId);
  const active = current?.purposes.filter((p) => p.acknowledgedAt).map((p) => p.name) ?? [];
  return (
    <>
      <PageHeader title="Projects" description="Projects and their purposes. A purpose counts for you once you acknowledge its statement, in your current project.">
        {isAdmin ? <Link href="/projects/new" className={buttonClass()}>New project</Link> : null}
      </PageHeader>

      <Section title="Your project" id="my-project" description={mine.length ? "Policies that depend on a purpose see only the acknowledged purposes of your current project." : undefined}>
        {mine.length === 0 ? (
          <p className="text-sm text-slate-600">You are not a member of any project. An administrator adds members to projects.</p>
        ) : (
          <div className="flex flex-wrap items-end justify-between gap-4">
            <ProjectSwitcher current={currentProjectId} options={mine.map((p) => ({ id: p.id, name: p.name }))} />
            <p className="text-sm" data-testid="active-purposes">
              <span className="text-slate-500">Active purposes: </span>
              {active.length ? <span className="inline-flex flex-wrap gap-1">{active.map((a) => <Badge key={a} tone="green">{a}</Badge>)}</span> : <span className="text-slate-500">none</span>}
            </p>
          </div>
        )}
      </Section>

      {projects.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-sm text-slate-500">
          No projects yet.{isAdmin ? " Create the first one with New project." : ""}
        </p>
      ) : (
        <ul className="space-y-4" aria-label="Projects">
          {projects.map((p) => (
            <li key={p.id} aria-labelledby={`project-${p.id}`} className="rounded-lg border border-slate-200 bg-white p-5">
              <div className="flex flex-wrap items-start justify-between gap-3">
                <div>
                  <h2 id={`project-${p.id}`} className="flex items-center gap-2 text-lg font-medium">
                    {p.name}
                    {p.isCurrent ? <Badge tone="green">current</Badge> : null}
                    {p.isMember && !p.isCurrent ? <Badge tone="indigo">member</Badge> : null}
                  </h2>
                  {p.description ? <p className="mt-0.5 text-sm text-slate-600">{p.description}</p> : null}
                </div>
                {isAdmin ? <Link href={`/projects/${p.id}`} className={buttonClass("secondary", "sm")} aria-label={`Manage ${p.name}`}>Manage</Link> : null}
              </div>
              <h3 className="mt-4 text-sm font-medium text-slate-700">Purposes</h3>
              {p.purposes.length === 0 ? (
                <p className="mt-1 text-sm text-slate-500">No purposes yet.</p>
              ) : (
                <ul className="mt-2 divide-y divide-slate-100 rounded-md border border-slate-200">
                  {p.purposes.map((pp) => (
                    <li key={pp.id} className="flex flex-wrap items-start justify-between gap-3 px-4 py-3">
                      <div className="min-w-0 flex-1">
                        <p className="font-mono text-sm font-medium">{pp.name}</p>
                        <blockquote className="mt-1 border-l-2 border-slate-300 pl-3 text-sm text-slate-700">{pp.statement}</blockquote>
                      </div>
                      {p.isMember ? (
                        pp.acknowledgedAt ? (
                          <span className="text-sm text-emerald-700">
                            Acknowledged <time dateTime={pp.acknowledgedAt.toISOString()}>{pp.acknowledgedAt.toISOString().slice(0, 10)}</time>
                          </span>
                        ) : (
                          <AcknowledgeButton purposeId={pp.id} purpose={pp.name} />
                        )
                      ) : null}
                    </li>
                  ))}
                </ul>
              )}
              <p className="mt-3 text-sm">
                <span className="text-slate-500">Members: </span>
                {p.members.length ? p.members.join(", ") : <span className="text-slate-400">none</span>}
              </p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
