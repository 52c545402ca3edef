"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action } from "@/lib/server/handlers";
import { addGroupMember, createGroup, createUser, deleteGroup, removeGroupMember, setUserPassword, updateUser } from "@/lib/server/people";
import { createGroupSchema, createUserSchema, groupMemberSchema, idInput, setPasswordSchema, updateUserSchema } from "@/lib/validations/people";

const ADMIN = ["ADMIN"] as const;

export const createUserAction = action({ roles: ADMIN, schema: createUserSchema }, async (actor, input) => {
  const user = await createUser(actor, input);
  revalidatePath("/people");
  return user;
});

export const updateUserAction = action({ roles: ADMIN, schema: updateUserSchema.extend({ id: z.string().min(1).max(64) }) }, async (actor, { id, ...input }) => {
  const user = await updateUser(actor, id, input);
  revalidatePath("/people");
  return user;
});

export const setPasswordAction = action({ roles: ADMIN, schema: setPasswordSchema.extend({ id: z.string().min(1).max(64) }) }, async (actor, { id, password }) =>
  setUserPassword(actor, id, { password }),
);

export const createGroupAction = action({ roles: ADMIN, schema: createGroupSchema }, async (actor, input) => {
  const group = await createGroup(actor, input);
  revalidatePath("/people");
  return group;
});

export const addGroupMemberAction = action({ roles: ADMIN, schema: groupMemberSchema }, async (actor, input) => {
  const r = await addGroupMember(actor, input);
  revalidatePath("/people", "layout");
  return r;
});

export const removeGroupMemberAction = action({ roles: ADMIN, schema: groupMemberSchema }, async (actor, input) => {
  const r = await removeGroupMember(actor, input);
  revalidatePath("/people", "layout");
  return r;
});

export const deleteGroupAction = action({ roles: ADMIN, schema: idInput }, async (actor, { id }) => {
  const r = await deleteGroup(actor, id);
  revalidatePath("/people");
  return r;
});
