// zod schemas for projects, purposes, acknowledgements and the current project.
import { z } from "zod";
import { text } from "./text";
import { usernameInput } from "./people";

/** Project and purpose names: policies name purposes (`purpose p`), so keep them plain. */
export const projectName = text()
  .trim()
  .min(1, "Required.")
  .max(128, "At most 128 characters.")
  .regex(/^[a-z0-9][a-z0-9_-]*$/, "Use lower-case letters, digits, '_' or '-', starting with a letter or digit.");

export const purposeName = projectName;

const optionalText = (max: number) =>
  text()
    .trim()
    .max(max, `At most ${max} characters.`)
    .transform((s) => (s === "" ? null : s))
    .nullable();

export const purposeInput = z.strictObject({
  name: purposeName,
  statement: text().trim().min(10, "Write the statement members acknowledge (at least 10 characters).").max(2000, "At most 2000 characters."),
});

const id = text().min(1).max(64);

export const createProjectSchema = z.strictObject({
  name: projectName,
  description: optionalText(2000).optional(),
  purposes: z.array(purposeInput).max(50).default([]),
  members: z
    .array(usernameInput)
    .max(1000)
    .default([])
    .transform((m) => [...new Set(m)]),
});
export type CreateProjectInput = z.input<typeof createProjectSchema>;

export const updateProjectSchema = z.strictObject({ id, description: optionalText(2000) });
export const projectMemberSchema = z.strictObject({ projectId: id, username: usernameInput });
export const projectDataSourceSchema = z.strictObject({ projectId: id, dataSourceId: id });
export const projectPurposeSchema = z.strictObject({ projectId: id, purpose: purposeInput });
export const removePurposeSchema = z.strictObject({ projectId: id, purposeId: id });
export const acknowledgeSchema = z.strictObject({ purposeId: id });
/** null leaves no current project (no active purposes). */
export const switchProjectSchema = z.strictObject({ projectId: id.nullable() });
export const projectIdSchema = z.strictObject({ id });
