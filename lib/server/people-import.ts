import "server-only";
import { z } from "zod";
import { attributesInput, groupName, usernameInput } from "@/lib/validations/people";
import { text } from "@/lib/validations/text";
import { requireRole, type Actor } from "./actor";
import { getDb } from "./db";
import { ConflictError, isUniqueViolation, ValidationError } from "./errors";
import { governanceWrite } from "./governance";
import { parseInput } from "./handlers";

// Bulk import of users (ADMIN): a directory export, an HR feed, a benchmark. One call is one batch: every user
// of it is written with their groups and attributes in one transaction, with one audit event (`user.import`)
// and one epoch bump, or nothing is written. Imported users have no password and no roles: they are Trino
// users (sign-in through SSO, or an admin sets a password or roles on the user's page afterwards).

/** At most this many users per call: a batch is one transaction, and it must commit well inside its timeout. */
export const IMPORT_MAX_USERS = 1000;
/** Rows per INSERT (PostgreSQL takes at most 65535 bind parameters per statement). */
const CHUNK = 2000;
/** Usernames named in the audit event; the count is always there. */
const AUDIT_NAMES = 50;

const noControl = (s: string) => !/[\u0000-\u001f\u007f]/.test(s);

const importedUserSchema = z.strictObject({
  username: usernameInput,
  displayName: text()
    .trim()
    .max(200, "At most 200 characters.")
    .refine(noControl, "Control characters are not allowed.")
    .transform((s) => (s === "" ? null : s))
    .nullable()
    .optional(),
  groups: z
    .array(groupName)
    .max(200, "At most 200 groups.")
    .transform((g) => [...new Set(g)])
    .default([]),
  attributes: attributesInput.default([]),
});

export const importUsersSchema = z.strictObject({
  users: z.array(importedUserSchema).min(1, "Give at least one user.").max(IMPORT_MAX_USERS, `At most ${IMPORT_MAX_USERS} users per import.`),
  /** Create the groups the batch names that do not exist yet (else an unknown group refuses the batch). */
  createGroups: z.boolean().default(false),
});
export type ImportUsersInput = z.input<typeof importUsersSchema>;

export interface ImportUsersResult {
  imported: number;
  groupsCreated: string[];
  attributes: number;
  memberships: number;
}

function chunks<T>(list: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

const listed = (names: string[], max = 5) => names.slice(0, max).join(", ") + (names.length > max ? ` and ${names.length - max} more` : "");

/**
 * Imports one batch of new users. Refused as a whole: 422 for invalid input, a username twice in the batch, or
 * (without `createGroups`) an unknown group, or a new group whose name differs only in case from an existing one;
 * 409 when a username exists already (case-insensitively, as user names are stored lower-case).
 */
export async function importUsers(actor: Actor, raw: ImportUsersInput): Promise<ImportUsersResult> {
  requireRole(actor, ["ADMIN"]);
  const input = parseInput(importUsersSchema, raw);
  const usernames = input.users.map((u) => u.username);
  const seen = new Set<string>();
  const twice = [...new Set(usernames.filter((n) => (seen.has(n) ? true : (seen.add(n), false))))];
  if (twice.length) throw new ValidationError(`The batch names ${twice.length > 1 ? "users" : "a user"} twice: ${listed(twice)}.`, { users: [`Twice: ${listed(twice)}`] });

  const db = await getDb();
  const taken = await db.user.findMany({ where: { username: { in: usernames } }, select: { username: true } });
  if (taken.length) throw new ConflictError(`Already ${taken.length > 1 ? "users" : "a user"}: ${listed(taken.map((t) => t.username).sort())}. Nothing was imported.`);

  const groupNames = [...new Set(input.users.flatMap((u) => u.groups))].sort();
  const known = new Map<string, string>();
  for (const part of chunks(groupNames)) {
    for (const g of await db.group.findMany({ where: { name: { in: part } }, select: { id: true, name: true } })) known.set(g.name, g.id);
  }
  const missing = groupNames.filter((g) => !known.has(g));
  if (missing.length && !input.createGroups) {
    throw new ValidationError(`Unknown group${missing.length > 1 ? "s" : ""}: ${listed(missing)}. Create ${missing.length > 1 ? "them" : "it"} first, or import with createGroups.`, {
      groups: [`Unknown: ${listed(missing)}`],
    });
  }
  if (missing.length) {
    // createGroup refuses a name that differs only in case from an existing group; so does the import
    const clashes: string[] = [];
    for (const part of chunks(missing)) {
      const rows = await db.group.findMany({ where: { OR: part.map((name) => ({ name: { equals: name, mode: "insensitive" as const } })) }, select: { name: true } });
      clashes.push(...rows.map((r) => r.name));
    }
    if (clashes.length) throw new ValidationError(`Group names differ only in case from existing groups: ${listed(clashes)}. Use the existing names.`, { groups: [`Case clash: ${listed(clashes)}`] });
    const lower = new Map<string, string>();
    const caseTwice = missing.filter((g) => {
      const prior = lower.get(g.toLowerCase());
      lower.set(g.toLowerCase(), g);
      return prior !== undefined && prior !== g;
    });
    if (caseTwice.length) throw new ValidationError(`The batch names groups that differ only in case: ${listed(caseTwice)}.`, { groups: [`Case clash: ${listed(caseTwice)}`] });
  }

  try {
    return await governanceWrite(
      actor,
      { bumpEpoch: true },
      async (tx) => {
        const groupIds = new Map(known);
        if (missing.length) {
          for (const part of chunks(missing)) await tx.group.createMany({ data: part.map((name) => ({ name })) });
          for (const part of chunks(missing)) {
            for (const g of await tx.group.findMany({ where: { name: { in: part } }, select: { id: true, name: true } })) groupIds.set(g.name, g.id);
          }
        }
        for (const part of chunks(input.users)) {
          await tx.user.createMany({ data: part.map((u) => ({ username: u.username, displayName: u.displayName ?? null, roles: [] })) });
        }
        const ids = new Map<string, string>();
        for (const part of chunks(usernames)) {
          for (const u of await tx.user.findMany({ where: { username: { in: part } }, select: { id: true, username: true } })) ids.set(u.username, u.id);
        }
        const memberships = input.users.flatMap((u) => u.groups.map((g) => ({ groupId: groupIds.get(g)!, userId: ids.get(u.username)! })));
        const attributes = input.users.flatMap((u) => u.attributes.map((a) => ({ userId: ids.get(u.username)!, key: a.key, value: a.value })));
        for (const part of chunks(memberships)) await tx.groupMember.createMany({ data: part });
        for (const part of chunks(attributes)) await tx.userAttribute.createMany({ data: part });
        return { imported: ids.size, groupsCreated: missing, attributes: attributes.length, memberships: memberships.length };
      },
      (r) => ({
        action: "user.import",
        targetType: "user",
        targetId: null,
        details: {
          count: r.imported,
          usernames: usernames.slice(0, AUDIT_NAMES),
          ...(usernames.length > AUDIT_NAMES ? { more: usernames.length - AUDIT_NAMES } : {}),
          groupsCreated: r.groupsCreated,
          memberships: r.memberships,
          attributes: r.attributes,
        },
      }),
    );
  } catch (error) {
    // a user or group of the batch was created by someone else between the checks and the write
    if (isUniqueViolation(error)) throw new ConflictError("A user or group of this batch was created by someone else just now. Nothing was imported; try again.");
    throw error;
  }
}
