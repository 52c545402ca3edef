import "server-only";
import {
  createGroupSchema,
  createUserSchema,
  groupMemberSchema,
  setPasswordSchema,
  updateUserSchema,
  type CreateGroupInput,
  type CreateUserInput,
  type UpdateUserInput,
} from "@/lib/validations/people";
import type { Prisma } from "@/generated/prisma/client";
import { ROLES, type RoleName } from "@/lib/roles";
import { requireRole, type Actor } from "./actor";
import { getDb } from "./db";
import { ConflictError, isUniqueViolation, NotFoundError, ValidationError } from "./errors";
import { governanceWrite, type Tx } from "./governance";
import { parseInput } from "./handlers";
import { hashPassword } from "./passwords";

// Users and groups (ADMIN). Every change here can alter what some user sees, so each bumps the epoch,
// except passwords, which no view depends on.


async function resolveGroups(tx: Tx, names: string[]) {
  if (names.length === 0) return [];
  const groups = await tx.group.findMany({ where: { name: { in: names } }, select: { id: true, name: true } });
  const missing = names.filter((n) => !groups.some((g) => g.name === n));
  if (missing.length) {
    throw new ValidationError(`Unknown group${missing.length > 1 ? "s" : ""}: ${missing.join(", ")}. Create ${missing.length > 1 ? "them" : "it"} first.`, {
      groups: [`Unknown: ${missing.join(", ")}`],
    });
  }
  return groups;
}

async function resolveUsers(tx: Tx, usernames: string[], field: string) {
  if (usernames.length === 0) return [];
  const users = await tx.user.findMany({ where: { username: { in: usernames } }, select: { id: true, username: true } });
  const missing = usernames.filter((n) => !users.some((u) => u.username === n));
  if (missing.length) throw new ValidationError(`Unknown user${missing.length > 1 ? "s" : ""}: ${missing.join(", ")}.`, { [field]: [`Unknown: ${missing.join(", ")}`] });
  return users;
}

const attrText = (a: { key: string; value: string }) => `${a.key}=${a.value}`;

export async function createUser(actor: Actor, raw: CreateUserInput) {
  requireRole(actor, ["ADMIN"]);
  const input = parseInput(createUserSchema, raw);
  const db = await getDb();
  const taken = await db.user.findUnique({ where: { username: input.username }, select: { id: true } });
  if (taken) throw new ConflictError(`A user named '${input.username}' already exists.`);
  const passwordHash = await hashPassword(input.password);
  try {
    return await governanceWrite(
      actor,
      { bumpEpoch: true },
      async (tx) => {
        const groups = await resolveGroups(tx, input.groups);
        const user = await tx.user.create({
          data: {
            username: input.username,
            displayName: input.displayName ?? null,
            passwordHash,
            roles: input.roles,
            groups: { create: groups.map((g) => ({ groupId: g.id })) },
            attributes: { create: input.attributes },
          },
        });
        return { id: user.id, username: user.username };
      },
      (u) => ({
        action: "user.create",
        targetType: "user",
        targetId: u.id,
        details: { username: u.username, roles: input.roles, groups: input.groups, attributes: input.attributes.map(attrText) },
      }),
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError(`A user named '${input.username}' already exists.`);
    throw error;
  }
}

export async function getUserForEdit(actor: Actor, id: string) {
  requireRole(actor, ["ADMIN"]);
  const db = await getDb();
  const user = await db.user.findUnique({
    where: { id },
    include: { groups: { include: { group: true } }, attributes: { orderBy: [{ key: "asc" }, { value: "asc" }] } },
  });
  if (!user) throw new NotFoundError("No such user.");
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName ?? "",
    roles: user.roles.filter((r): r is RoleName => ROLES.includes(r)),
    disabled: user.disabled,
    hasPassword: Boolean(user.passwordHash),
    groups: user.groups.map((g) => g.group.name).sort(),
    attributes: user.attributes.map((a) => ({ key: a.key, value: a.value })),
    isSelf: user.id === actor.id,
  };
}

export async function updateUser(actor: Actor, id: string, raw: UpdateUserInput) {
  requireRole(actor, ["ADMIN"]);
  const input = parseInput(updateUserSchema, raw);
  if (id === actor.id) {
    if (input.disabled) throw new ValidationError("You cannot disable your own account.", { disabled: ["You cannot disable yourself."] });
    if (input.roles && !input.roles.includes("ADMIN")) {
      throw new ValidationError("You cannot remove your own ADMIN role; ask another administrator.", { roles: ["Keep ADMIN on your own account."] });
    }
  }
  const before = await getUserForEdit(actor, id);
  return governanceWrite(
    actor,
    { bumpEpoch: true },
    async (tx) => {
      await tx.user.update({
        where: { id },
        data: {
          ...(input.displayName !== undefined ? { displayName: input.displayName } : {}),
          ...(input.roles ? { roles: input.roles } : {}),
          ...(input.disabled !== undefined ? { disabled: input.disabled } : {}),
        },
      });
      if (input.groups) {
        const groups = await resolveGroups(tx, input.groups);
        await tx.groupMember.deleteMany({ where: { userId: id, groupId: { notIn: groups.map((g) => g.id) } } });
        await tx.groupMember.createMany({ data: groups.map((g) => ({ groupId: g.id, userId: id })), skipDuplicates: true });
      }
      if (input.attributes) {
        await tx.userAttribute.deleteMany({ where: { userId: id } });
        await tx.userAttribute.createMany({ data: input.attributes.map((a) => ({ userId: id, ...a })) });
      }
      return { id, username: before.username };
    },
    () => {
      const changes: Record<string, { from: Prisma.InputJsonValue | null; to: Prisma.InputJsonValue | null }> = {};
      if (input.displayName !== undefined && input.displayName !== (before.displayName || null)) changes.displayName = { from: before.displayName || null, to: input.displayName };
      if (input.roles && [...input.roles].sort().join() !== [...before.roles].sort().join()) changes.roles = { from: before.roles, to: input.roles };
      if (input.groups && [...input.groups].sort().join() !== before.groups.join()) changes.groups = { from: before.groups, to: [...input.groups].sort() };
      const attrs = input.attributes?.map(attrText).sort();
      if (attrs && attrs.join("\n") !== before.attributes.map(attrText).sort().join("\n")) changes.attributes = { from: before.attributes.map(attrText), to: attrs };
      if (input.disabled !== undefined && input.disabled !== before.disabled) changes.disabled = { from: before.disabled, to: input.disabled };
      const action = Object.keys(changes).length === 1 && changes.disabled ? (input.disabled ? "user.disable" : "user.enable") : "user.update";
      return { action, targetType: "user", targetId: id, details: { username: before.username, changes } };
    },
  );
}

export async function setUserPassword(actor: Actor, id: string, raw: { password: string }) {
  requireRole(actor, ["ADMIN"]);
  const { password } = parseInput(setPasswordSchema, raw);
  const user = await getUserForEdit(actor, id);
  const passwordHash = await hashPassword(password);
  await governanceWrite(
    actor,
    { bumpEpoch: false },
    // A reset ends the user's sessions: whoever held the old password (or a copy of a cookie) is out.
    (tx) => tx.user.update({ where: { id }, data: { passwordHash, sessionVersion: { increment: 1 } } }),
    () => ({ action: "user.password_set", targetType: "user", targetId: id, details: { username: user.username } }),
  );
  return { id };
}

export async function listGroups(actor: Actor) {
  requireRole(actor, ["ADMIN"]);
  const db = await getDb();
  const groups = await db.group.findMany({
    include: { members: { include: { user: { select: { username: true } } } } },
    orderBy: { name: "asc" },
  });
  return groups.map((g) => ({
    id: g.id,
    name: g.name,
    description: g.description,
    members: g.members.map((m) => m.user.username).sort(),
  }));
}

export async function getGroup(actor: Actor, id: string) {
  const groups = await listGroups(actor);
  const group = groups.find((g) => g.id === id);
  if (!group) throw new NotFoundError("No such group.");
  return group;
}

export async function createGroup(actor: Actor, raw: CreateGroupInput) {
  requireRole(actor, ["ADMIN"]);
  const input = parseInput(createGroupSchema, raw);
  const db = await getDb();
  const clash = await db.group.findFirst({ where: { name: { equals: input.name, mode: "insensitive" } }, select: { name: true } });
  if (clash) throw new ConflictError(`A group named '${clash.name}' already exists.`);
  try {
    return await governanceWrite(
      actor,
      { bumpEpoch: true },
      async (tx) => {
        const users = await resolveUsers(tx, input.members, "members");
        const group = await tx.group.create({
          data: { name: input.name, description: input.description ?? null, members: { create: users.map((u) => ({ userId: u.id })) } },
        });
        return { id: group.id, name: group.name };
      },
      (g) => ({ action: "group.create", targetType: "group", targetId: g.id, details: { name: g.name, members: input.members } }),
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError(`A group named '${input.name}' already exists.`);
    throw error;
  }
}

export async function addGroupMember(actor: Actor, raw: { groupId: string; username: string }) {
  requireRole(actor, ["ADMIN"]);
  const { groupId, username } = parseInput(groupMemberSchema, raw);
  const group = await getGroup(actor, groupId);
  if (group.members.includes(username)) throw new ConflictError(`${username} is already in ${group.name}.`);
  try {
    return await governanceWrite(
      actor,
      { bumpEpoch: true },
      async (tx) => {
        const [user] = await resolveUsers(tx, [username], "username");
        await tx.groupMember.create({ data: { groupId, userId: user.id } });
        return { groupId, username };
      },
      () => ({ action: "group.member_add", targetType: "group", targetId: groupId, details: { group: group.name, username } }),
    );
  } catch (error) {
    // the same add at the same moment won the primary key
    if (isUniqueViolation(error)) throw new ConflictError(`${username} is already in ${group.name}.`);
    throw error;
  }
}

export async function removeGroupMember(actor: Actor, raw: { groupId: string; username: string }) {
  requireRole(actor, ["ADMIN"]);
  const { groupId, username } = parseInput(groupMemberSchema, raw);
  const group = await getGroup(actor, groupId);
  if (!group.members.includes(username)) throw new NotFoundError(`${username} is not in ${group.name}.`);
  return governanceWrite(
    actor,
    { bumpEpoch: true },
    async (tx) => {
      await tx.groupMember.deleteMany({ where: { groupId, user: { username } } });
      return { groupId, username };
    },
    () => ({ action: "group.member_remove", targetType: "group", targetId: groupId, details: { group: group.name, username } }),
  );
}

export async function deleteGroup(actor: Actor, id: string) {
  requireRole(actor, ["ADMIN"]);
  const group = await getGroup(actor, id);
  await governanceWrite(
    actor,
    { bumpEpoch: true },
    (tx) => tx.group.delete({ where: { id } }),
    () => ({ action: "group.delete", targetType: "group", targetId: id, details: { name: group.name, members: group.members } }),
  );
  return { id };
}
