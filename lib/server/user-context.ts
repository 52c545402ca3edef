import "server-only";
import type { UserContext } from "@/lib/policy";
import type { Tx } from "./governance";

export interface LoadedUser {
  id: string;
  username: string;
  context: UserContext;
  /**
   * The data sources of the project the user works in (the session project, else the current one): they see only
   * these. null: no project, no restriction. A session project they are not a member of holds nothing for them.
   */
  scope: string[] | null;
  /** the project that `scope` and the purposes come from (session, else current), by name; null: none */
  project: string | null;
}

/**
 * What the compiler needs to know about a user: groups, attributes (multi-valued) and active purposes —
 * the purposes of the chosen project (or the current one) that the user has acknowledged.
 */
export async function loadUserContext(db: Tx, username: string, projectName?: string | null): Promise<LoadedUser | null> {
  const user = await db.user.findUnique({
    where: { username: username.trim().toLowerCase() },
    include: {
      groups: { include: { group: true } },
      attributes: true,
      acknowledgements: true,
      projects: { include: { project: { include: { purposes: { include: { purpose: true } }, dataSources: { select: { dataSourceId: true } } } } } },
    },
  });
  if (!user || user.disabled) return null;
  const memberships = user.projects.map((m) => m.project);
  const project = projectName
    ? memberships.find((p) => p.name === projectName)
    : memberships.find((p) => p.id === user.currentProjectId);
  const acknowledged = new Set(user.acknowledgements.map((a) => a.purposeId));
  const purposes = (project?.purposes ?? [])
    .filter((pp) => acknowledged.has(pp.purposeId))
    .map((pp) => pp.purpose.name)
    .sort();
  const attributes: Record<string, string[]> = {};
  for (const a of [...user.attributes].sort((x, y) => (x.key + x.value).localeCompare(y.key + y.value))) {
    (attributes[a.key] ??= []).push(a.value);
  }
  return {
    id: user.id,
    username: user.username,
    context: {
      username: user.username,
      groups: user.groups.map((g) => g.group.name).sort(),
      attributes,
      purposes,
    },
    scope: project ? project.dataSources.map((d) => d.dataSourceId).sort() : projectName ? [] : null,
    project: project?.name ?? null,
  };
}
