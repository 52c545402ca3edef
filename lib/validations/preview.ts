// zod schemas of the policy builder's server actions and of "view as user".
import { z } from "zod";
import { text } from "./text";
import { identifierSchema, idSchema, LIMITS, policyCreateSchema, usernameSchema, versionSchema } from "./policy";

export const HYPOTHETICAL_USERNAME = "preview-user";

const attributeValue = text().min(1).max(LIMITS.attributeValue);

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

/**
 * The builder's save: the policy itself is validated by createPolicy/updatePolicy (field keys = its paths).
 * Editing (`id`) sends the `version` the form was opened on; the server answers 409 if the policy moved on.
 */
/** The builder's save: the policy's fields as an object (checked in full by lib/server/policies), and for an edit its id and version. */
export const savePolicySchema = z.strictObject({ id: idSchema.optional(), version: versionSchema.optional(), policy: z.record(z.string(), z.unknown()) });

/** Disable or re-enable from the list, with the version the list showed. */
export const setPolicyEnabledSchema = z.strictObject({ id: idSchema, enabled: z.boolean(), version: versionSchema });

export type PreviewUserInput = z.input<typeof previewUserSchema>;
export type PreviewInput = z.input<typeof previewSchema>;
export type CompileDraftInput = z.input<typeof compileDraftSchema>;
