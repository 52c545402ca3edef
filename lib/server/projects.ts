import "server-only";
import {
  acknowledgeSchema,
  createProjectSchema,
  projectDataSourceSchema,
  projectMemberSchema,
  projectPurposeSchema,
  removePurposeSchema,
  switchProjectSchema,
  updateProjectSchema,
  type CreateProjectInput,
} from "@/lib/validations/projects";
import { requireRole, type Actor } from "./actor";
import { getDb } from "./db";
import { ConflictError, ForbiddenError, isUniqueViolation, NotFoundError, ValidationError } from "./errors";
import { governanceWrite, type Tx } from "./governance";
import { parseInput } from "./handlers";

// Projects, purposes and acknowledgements decide a user's active purposes (lib/server/user-context.ts), which
// policies read: every write here bumps the epoch. ADMIN manages projects; members acknowledge and switch.

/** Every user sees every project; what is theirs (membership, acknowledgements, current) is marked. */
export async function listProjectsForUser(actor: Actor) {
  const db = await getDb();
  const [projects, me] = await Promise.all([
    db.project.findMany({
      include: {
        purposes: { include: { purpose: true } },
        members: { include: { user: { select: { username: true } } } },
      },
      orderBy: { name: "asc" },
    }),
    db.user.findUnique({ where: { id: actor.id }, select: { currentProjectId: true, acknowledgements: { select: { purposeId: true, acknowledgedAt: true } } } }),
  ]);
  const acks = new Map((me?.acknowledgements ?? []).map((a) => [a.purposeId, a.acknowledgedAt]));
  return {
    currentProjectId: me?.currentProjectId ?? null,
    projects: projects.map((p) => ({
      id: p.id,
      name: p.name,
      description: p.description,
      isMember: p.members.some((m) => m.userId === actor.id),
      isCurrent: p.id === me?.currentProjectId,
      members: p.members.map((m) => m.user.username).sort(),
      purposes: p.purposes
        .map((pp) => ({ id: pp.purpose.id, name: pp.purpose.name, statement: pp.purpose.statement, acknowledgedAt: acks.get(pp.purpose.id) ?? null }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    })),
  };
}

export async function getProjectForAdmin(actor: Actor, id: string) {
  requireRole(actor, ["ADMIN"]);
  const db = await getDb();
  const p = await db.project.findUnique({
    where: { id },
    include: {
      purposes: { include: { purpose: true } },
      members: { include: { user: { select: { username: true } } } },
      dataSources: { include: { dataSource: { select: { id: true, governedSchema: true, name: true } } } },
    },
  });
  if (!p) throw new NotFoundError("No such project.");
  const held = new Set(p.dataSources.map((d) => d.dataSourceId));
  const all = await db.dataSource.findMany({ select: { id: true, governedSchema: true, name: true }, orderBy: [{ governedSchema: "asc" }, { name: "asc" }] });
  return {
    id: p.id,
    name: p.name,
    description: p.description ?? "",
    members: p.members.map((m) => m.user.username).sort(),
    /** what members working in this project see (nothing else) */
    dataSources: p.dataSources.map((d) => ({ id: d.dataSource.id, view: `${d.dataSource.governedSchema}.${d.dataSource.name}` })).sort((a, b) => a.view.localeCompare(b.view)),
    /** the ones it could hold besides */
    otherDataSources: all.filter((d) => !held.has(d.id)).map((d) => ({ id: d.id, view: `${d.governedSchema}.${d.name}` })),
    purposes: p.purposes.map((pp) => ({ id: pp.purpose.id, name: pp.purpose.name, statement: pp.purpose.statement })).sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/** A purpose is global (policies name it): reuse one of the same name only when its statement is the same. */
async function ensurePurpose(tx: Tx, purpose: { name: string; statement: string }) {
  const existing = await tx.purpose.findUnique({ where: { name: purpose.name } });
  if (existing) {
    if (existing.statement !== purpose.statement) {
      throw new ConflictError(`A purpose named '${purpose.name}' already exists with another statement; use its statement or another name.`);
    }
    return existing;
  }
  return tx.purpose.create({ data: purpose });
}

export async function createProject(actor: Actor, raw: CreateProjectInput) {
  requireRole(actor, ["ADMIN"]);
  const input = parseInput(createProjectSchema, raw);
  const names = input.purposes.map((p) => p.name);
  if (new Set(names).size !== names.length) throw new ValidationError("Each purpose of a project needs its own name.", { purposes: ["Duplicate purpose name."] });
  const db = await getDb();
  if (await db.project.findUnique({ where: { name: input.name }, select: { id: true } })) {
    throw new ConflictError(`A project named '${input.name}' already exists.`);
  }
  return governanceWrite(
    actor,
    { bumpEpoch: true },
    async (tx) => {
      const users = await tx.user.findMany({ where: { username: { in: input.members } }, select: { id: true, username: true } });
      const missing = input.members.filter((m) => !users.some((u) => u.username === m));
      if (missing.length) throw new ValidationError(`Unknown user(s): ${missing.join(", ")}.`, { members: [`Unknown: ${missing.join(", ")}`] });
      const project = await tx.project.create({
        data: { name: input.name, description: input.description ?? null, members: { create: users.map((u) => ({ userId: u.id })) } },
      });
      for (const p of input.purposes) {
        const purpose = await ensurePurpose(tx, p);
        await tx.projectPurpose.create({ data: { projectId: project.id, purposeId: purpose.id } });
      }
      return { id: project.id, name: project.name };
    },
    (p) => ({ action: "project.create", targetType: "project", targetId: p.id, details: { name: p.name, purposes: names, members: input.members } }),
  );
}

export async function updateProject(actor: Actor, raw: { id: string; description: string | null }) {
  requireRole(actor, ["ADMIN"]);
  const { id, description } = parseInput(updateProjectSchema, raw);
  const project = await getProjectForAdmin(actor, id);
  return governanceWrite(
    actor,
    { bumpEpoch: true },
    async (tx) => {
      await tx.project.update({ where: { id }, data: { description } });
      return { id };
    },
    () => ({ action: "project.update", targetType: "project", targetId: id, details: { name: project.name, description } }),
  );
}

export async function deleteProject(actor: Actor, id: string) {
  requireRole(actor, ["ADMIN"]);
  const project = await getProjectForAdmin(actor, id);
  await governanceWrite(
    actor,
    { bumpEpoch: true },
    (tx) => tx.project.delete({ where: { id } }),
    () => ({ action: "project.delete", targetType: "project", targetId: id, details: { name: project.name, members: project.members } }),
  );
  return { id };
}

export async function addProjectMember(actor: Actor, raw: { projectId: string; username: string }) {
  requireRole(actor, ["ADMIN"]);
  const { projectId, username } = parseInput(projectMemberSchema, raw);
  const project = await getProjectForAdmin(actor, projectId);
  if (project.members.includes(username)) throw new ConflictError(`${username} is already a member of ${project.name}.`);
  return governanceWrite(
    actor,
    { bumpEpoch: true },
    async (tx) => {
      const user = await tx.user.findUnique({ where: { username }, select: { id: true } });
      if (!user) throw new ValidationError(`Unknown user: ${username}.`, { username: ["No such user."] });
      await tx.projectMember.create({ data: { projectId, userId: user.id } });
      return { projectId, username };
    },
    () => ({ action: "project.member_add", targetType: "project", targetId: projectId, details: { project: project.name, username } }),
  );
}

/**
 * A project holds data sources: members working in it (their current project, or `SET SESSION governed.project`)
 * see only those, from the next query (epoch bump). Subscriptions still decide which of them each member sees.
 */
export async function addProjectDataSource(actor: Actor, raw: { projectId: string; dataSourceId: string }) {
  requireRole(actor, ["ADMIN"]);
  const { projectId, dataSourceId } = parseInput(projectDataSourceSchema, raw);
  const project = await getProjectForAdmin(actor, projectId);
  const db = await getDb();
  const ds = await db.dataSource.findUnique({ where: { id: dataSourceId }, select: { governedSchema: true, name: true } });
  if (!ds) throw new NotFoundError("No such data source.");
  const view = `${ds.governedSchema}.${ds.name}`;
  if (project.dataSources.some((d) => d.id === dataSourceId)) throw new ConflictError(`${project.name} already holds ${view}.`);
  try {
    return await governanceWrite(
      actor,
      { bumpEpoch: true },
      async (tx) => {
        await tx.projectDataSource.create({ data: { projectId, dataSourceId } });
        return { projectId, dataSourceId };
      },
      () => ({ action: "project.datasource_add", targetType: "project", targetId: projectId, details: { project: project.name, dataSourceId, view } }),
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError(`${project.name} already holds ${view}.`);
    throw error;
  }
}

export async function removeProjectDataSource(actor: Actor, raw: { projectId: string; dataSourceId: string }) {
  requireRole(actor, ["ADMIN"]);
  const { projectId, dataSourceId } = parseInput(projectDataSourceSchema, raw);
  const project = await getProjectForAdmin(actor, projectId);
  const held = project.dataSources.find((d) => d.id === dataSourceId);
  if (!held) throw new NotFoundError(`${project.name} does not hold that data source.`);
  return governanceWrite(
    actor,
    { bumpEpoch: true },
    async (tx) => {
      const { count } = await tx.projectDataSource.deleteMany({ where: { projectId, dataSourceId } });
      if (count === 0) throw new NotFoundError(`${project.name} does not hold ${held.view} any more.`);
      return { projectId, dataSourceId };
    },
    () => ({ action: "project.datasource_remove", targetType: "project", targetId: projectId, details: { project: project.name, dataSourceId, view: held.view } }),
  );
}

/** A removed member whose current project this was is left without one (so without its purposes). */
export async function removeProjectMember(actor: Actor, raw: { projectId: string; username: string }) {
  requireRole(actor, ["ADMIN"]);
  const { projectId, username } = parseInput(projectMemberSchema, raw);
  const project = await getProjectForAdmin(actor, projectId);
  if (!project.members.includes(username)) throw new NotFoundError(`${username} is not a member of ${project.name}.`);
  return governanceWrite(
    actor,
    { bumpEpoch: true },
    async (tx) => {
      await tx.projectMember.deleteMany({ where: { projectId, user: { username } } });
      await tx.user.updateMany({ where: { username, currentProjectId: projectId }, data: { currentProjectId: null } });
      return { projectId, username };
    },
    () => ({ action: "project.member_remove", targetType: "project", targetId: projectId, details: { project: project.name, username } }),
  );
}

export async function addProjectPurpose(actor: Actor, raw: { projectId: string; purpose: { name: string; statement: string } }) {
  requireRole(actor, ["ADMIN"]);
  const { projectId, purpose } = parseInput(projectPurposeSchema, raw);
  const project = await getProjectForAdmin(actor, projectId);
  if (project.purposes.some((p) => p.name === purpose.name)) throw new ConflictError(`${project.name} already has the purpose ${purpose.name}.`);
  return governanceWrite(
    actor,
    { bumpEpoch: true },
    async (tx) => {
      const row = await ensurePurpose(tx, purpose);
      await tx.projectPurpose.create({ data: { projectId, purposeId: row.id } });
      return { projectId, purposeId: row.id };
    },
    (r) => ({ action: "project.purpose_add", targetType: "project", targetId: projectId, details: { project: project.name, purpose: purpose.name, purposeId: r.purposeId } }),
  );
}

export async function removeProjectPurpose(actor: Actor, raw: { projectId: string; purposeId: string }) {
  requireRole(actor, ["ADMIN"]);
  const { projectId, purposeId } = parseInput(removePurposeSchema, raw);
  const project = await getProjectForAdmin(actor, projectId);
  const purpose = project.purposes.find((p) => p.id === purposeId);
  if (!purpose) throw new NotFoundError(`${project.name} has no such purpose.`);
  return governanceWrite(
    actor,
    { bumpEpoch: true },
    (tx) => tx.projectPurpose.delete({ where: { projectId_purposeId: { projectId, purposeId } } }),
    () => ({ action: "project.purpose_remove", targetType: "project", targetId: projectId, details: { project: project.name, purpose: purpose.name } }),
  );
}

/** A member acknowledges a purpose of one of their projects; it then counts in that project. */
export async function acknowledgePurpose(actor: Actor, raw: { purposeId: string }) {
  const { purposeId } = parseInput(acknowledgeSchema, raw);
  const db = await getDb();
  const purpose = await db.purpose.findUnique({
    where: { id: purposeId },
    include: { projects: { where: { project: { members: { some: { userId: actor.id } } } }, select: { projectId: true } } },
  });
  if (!purpose) throw new NotFoundError("No such purpose.");
  if (purpose.projects.length === 0) throw new ForbiddenError(`You are not a member of a project with the purpose ${purpose.name}.`);
  return governanceWrite(
    actor,
    { bumpEpoch: true },
    async (tx) => {
      const ack = await tx.purposeAcknowledgement.upsert({
        where: { userId_purposeId: { userId: actor.id, purposeId } },
        create: { userId: actor.id, purposeId },
        update: {},
      });
      return { purposeId, acknowledgedAt: ack.acknowledgedAt };
    },
    () => ({ action: "purpose.acknowledge", targetType: "purpose", targetId: purposeId, details: { purpose: purpose.name, statement: purpose.statement } }),
  );
}

/** Only to a project the actor is a member of; null leaves them without a current project. */
export async function switchCurrentProject(actor: Actor, raw: { projectId: string | null }) {
  const { projectId } = parseInput(switchProjectSchema, raw);
  const db = await getDb();
  let name: string | null = null;
  if (projectId) {
    const project = await db.project.findUnique({ where: { id: projectId }, include: { members: { where: { userId: actor.id } } } });
    if (!project) throw new NotFoundError("No such project.");
    if (project.members.length === 0) throw new ForbiddenError(`You are not a member of ${project.name}.`);
    name = project.name;
  }
  return governanceWrite(
    actor,
    { bumpEpoch: true },
    async (tx) => {
      await tx.user.update({ where: { id: actor.id }, data: { currentProjectId: projectId } });
      return { projectId, name };
    },
    () => ({ action: "project.switch", targetType: "user", targetId: actor.id, details: { project: name } }),
  );
}
