"use server";

import { revalidatePath } from "next/cache";
import { action } from "@/lib/server/handlers";
import {
  acknowledgePurpose,
  addProjectDataSource,
  addProjectMember,
  addProjectPurpose,
  createProject,
  deleteProject,
  removeProjectDataSource,
  removeProjectMember,
  removeProjectPurpose,
  switchCurrentProject,
  updateProject,
} from "@/lib/server/projects";
import {
  acknowledgeSchema,
  createProjectSchema,
  projectDataSourceSchema,
  projectIdSchema,
  projectMemberSchema,
  projectPurposeSchema,
  removePurposeSchema,
  switchProjectSchema,
  updateProjectSchema,
} from "@/lib/validations/projects";

const ADMIN = ["ADMIN"] as const;

function done<T>(value: T): T {
  revalidatePath("/projects", "layout");
  return value;
}

export const createProjectAction = action({ roles: ADMIN, schema: createProjectSchema }, async (actor, input) => done(await createProject(actor, input)));
export const updateProjectAction = action({ roles: ADMIN, schema: updateProjectSchema }, async (actor, input) => done(await updateProject(actor, input)));
export const deleteProjectAction = action({ roles: ADMIN, schema: projectIdSchema }, async (actor, { id }) => done(await deleteProject(actor, id)));
export const addProjectMemberAction = action({ roles: ADMIN, schema: projectMemberSchema }, async (actor, input) => done(await addProjectMember(actor, input)));
export const removeProjectMemberAction = action({ roles: ADMIN, schema: projectMemberSchema }, async (actor, input) => done(await removeProjectMember(actor, input)));
export const addProjectPurposeAction = action({ roles: ADMIN, schema: projectPurposeSchema }, async (actor, input) => done(await addProjectPurpose(actor, input)));
export const removeProjectPurposeAction = action({ roles: ADMIN, schema: removePurposeSchema }, async (actor, input) => {
  await removeProjectPurpose(actor, input);
  return done({ ok: true });
});

// Every signed-in user: lib/server checks membership.
export const acknowledgePurposeAction = action({ schema: acknowledgeSchema }, async (actor, input) => done(await acknowledgePurpose(actor, input)));
export const switchProjectAction = action({ schema: switchProjectSchema }, async (actor, input) => done(await switchCurrentProject(actor, input)));
export const addProjectDataSourceAction = action({ roles: ADMIN, schema: projectDataSourceSchema }, async (actor, input) => done(await addProjectDataSource(actor, input)));
export const removeProjectDataSourceAction = action({ roles: ADMIN, schema: projectDataSourceSchema }, async (actor, input) => done(await removeProjectDataSource(actor, input)));
