// zod schemas for users and groups: shared by the People forms, their server actions and the admin API.
import { z } from "zod";
import { text } from "./text";
import { ROLES } from "../roles";

const noControl = (s: string) => !/[\u0000-\u001f\u007f]/.test(s);

/** Trino user names, stored lower-case: "Dave" and "dave" are the same user. */
export const usernameInput = text()
  .trim()
  .min(1, "Required.")
  .max(128, "At most 128 characters.")
  .transform((s) => s.toLowerCase())
  .pipe(text().regex(/^[a-z0-9][a-z0-9._@-]*$/, "Use letters, digits, '.', '_', '-' or '@', starting with a letter or digit."));

export const passwordInput = text().min(8, "At least 8 characters.").max(1024, "At most 1024 characters.");

export const groupName = text()
  .trim()
  .min(1, "Required.")
  .max(128, "At most 128 characters.")
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "Use letters, digits, '_', '.' or '-', starting with a letter or digit.");

export const attributeKey = text()
  .trim()
  .min(1, "Give the attribute a key.")
  .max(128, "At most 128 characters.")
  .regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, "Keys are letters, digits, '_', '.' or '-', starting with a letter or '_'.");

export const attributeValue = text()
  .trim()
  .min(1, "Give the attribute a value.")
  .max(512, "At most 512 characters.")
  .refine(noControl, "Control characters are not allowed.");

export const attributeInput = z.strictObject({ key: attributeKey, value: attributeValue });

/** A key may have many values; the same (key, value) twice is one attribute. */
export const attributesInput = z
  .array(attributeInput)
  .max(200, "At most 200 attributes.")
  .transform((list) => {
    const seen = new Set<string>();
    return list.filter((a) => {
      const id = `${a.key}\u0000${a.value}`;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
  });

export const rolesInput = z
  .array(z.enum(ROLES, { error: `A role is one of ${ROLES.join(", ")}.` }))
  .max(ROLES.length)
  .transform((r) => [...new Set(r)]);

const groupsInput = z
  .array(groupName)
  .max(200, "At most 200 groups.")
  .transform((g) => [...new Set(g)]);

const displayName = text()
  .trim()
  .max(200, "At most 200 characters.")
  .refine(noControl, "Control characters are not allowed.")
  .transform((s) => (s === "" ? null : s))
  .nullable();

export const createUserSchema = z.strictObject({
  username: usernameInput,
  displayName: displayName.optional(),
  password: passwordInput,
  roles: rolesInput.default([]),
  groups: groupsInput.default([]),
  attributes: attributesInput.default([]),
});
export type CreateUserInput = z.input<typeof createUserSchema>;

export const updateUserSchema = z.strictObject({
  displayName: displayName.optional(),
  roles: rolesInput.optional(),
  groups: groupsInput.optional(),
  attributes: attributesInput.optional(),
  disabled: z.boolean().optional(),
});
export type UpdateUserInput = z.input<typeof updateUserSchema>;

export const setPasswordSchema = z.strictObject({ password: passwordInput });

const description = text()
  .trim()
  .max(2000, "At most 2000 characters.")
  .transform((s) => (s === "" ? null : s))
  .nullable();

export const createGroupSchema = z.strictObject({
  name: groupName,
  description: description.optional(),
  members: z.array(usernameInput).max(1000).default([]),
});
export type CreateGroupInput = z.input<typeof createGroupSchema>;

export const groupMemberSchema = z.strictObject({ groupId: text().min(1).max(64), username: usernameInput });

export const idInput = z.strictObject({ id: text().min(1).max(64) });


/** The signed-in user's own password change: the current password proves it is them. */
export const changeOwnPasswordSchema = z.strictObject({
  currentPassword: text().min(1, "Enter your current password.").max(1024, "At most 1024 characters."),
  newPassword: passwordInput,
});
