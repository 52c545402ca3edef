// zod schemas of the policy builder's server actions and of "view as user".
import { z } from "zod";
import { identifierSchema, idSchema, LIMITS, policyCreateSchema, usernameSchema } from "./policy";

export const HYPOTHETICAL_USERNAME = "preview-user";

const attributeValue = z.string().min(1).max(LIMITS.attributeValue);

/** A real user (the console loads their groups, attributes and purposes) or one described by hand. */
export const previewUserSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("real"), username: usernameSchema }),
  z.strictObject({
    kind: z.literal("hypothetical"),
    /** what @username gives; need not exist */
    username: usernameSchema.default(HYPOTHETICAL_USERNAME),
    groups: z.array(identifierSchema).max(LIMITS.conditionTerms).default([]),
    attributes: z.array(z.strictObject({ key: identifierSchema, value: attributeValue })).max(LIMITS.conditionTerms).default([]),
    purposes: z.array(identifierSchema).max(LIMITS.purposes).default([]),
  }),
]);

export const previewSchema = z.strictObject({
  dataSourceId: idSchema,
  user: previewUserSchema,
  /** fetch sample rows from Trino (the builder's live SQL does not) */
  sample: z.boolean().default(true),
});

/** Compile a policy that is not saved yet, with the others in force, for one data source and user. */
export const compileDraftSchema = z.strictObject({
  policy: policyCreateSchema,
  /** editing: the saved policy the draft replaces */
  policyId: idSchema.optional(),
  dataSourceId: idSchema,
  username: usernameSchema,
});

export const policyIdSchema = z.strictObject({ id: idSchema });

/** The builder's save: the policy itself is validated by createPolicy/updatePolicy (field keys = its paths). */
export const savePolicySchema = z.strictObject({ id: idSchema.optional(), policy: z.unknown() });

export type PreviewUserInput = z.input<typeof previewUserSchema>;
export type PreviewInput = z.input<typeof previewSchema>;
export type CompileDraftInput = z.input<typeof compileDraftSchema>;
