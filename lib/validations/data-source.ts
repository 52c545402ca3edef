import { z } from "zod";
import { text } from "./text";

/** A lower-case Trino identifier as Steward names governed schemas and views. */
export const identifier = text()
  .trim()
  .min(1, "Required.")
  .max(128, "At most 128 characters.")
  .regex(/^[a-z_][a-z0-9_]*$/, "Use lower-case letters, digits and _ (not starting with a digit).");

/** Backing names come from Trino as they are; any non-empty name up to 256 characters. */
const backingName = text().min(1, "Required.").max(256);

export const tagName = text()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, "Tags are dot-separated words, e.g. PII.Email.");

export const trinoType = text().trim().min(1).max(200).regex(/^[a-z][a-z0-9 _(),]*$/i, "Not a Trino type.");

export const subscriptionTypeSchema = z.enum(["OPEN", "APPROVAL", "AUTO", "MANUAL"]);

export const columnInputSchema = z.strictObject({
  name: backingName,
  type: trinoType,
  tags: z.array(tagName).max(50).default([]),
  description: text().max(2000).optional(),
});

export const registerDataSourceSchema = z.strictObject({
  backing: z.strictObject({ catalog: backingName, schema: backingName, table: backingName }),
  governedSchema: identifier,
  name: identifier,
  description: text().max(2000).optional(),
  columns: z.array(columnInputSchema).min(1, "A data source needs at least one column.").max(2000),
  tags: z.array(tagName).max(50).default([]),
  owners: z.array(text().trim().toLowerCase().min(1).max(128)).max(50).default([]),
  subscription: z
    .strictObject({
      type: subscriptionTypeSchema,
      condition: z.unknown().optional(),
      maxDays: z.number().int().min(1).max(3650).optional(),
    })
    .default({ type: "APPROVAL" }),
});
export type RegisterDataSourceInput = z.input<typeof registerDataSourceSchema>;

export const subscriptionRequestSchema = z.strictObject({
  dataSourceId: text().min(1).max(64),
  reason: text().trim().max(2000).optional(),
});

export const subscriptionDecisionSchema = z.strictObject({
  subscriptionId: text().min(1).max(64),
  reason: text().trim().max(2000).optional(),
});

const id = text().min(1).max(64);

export const tableRefSchema = z.strictObject({ catalog: backingName, schema: backingName, table: backingName });
export const browseSchemasSchema = z.strictObject({ catalog: backingName });
export const browseTablesSchema = z.strictObject({ catalog: backingName, schema: backingName });

const optionalText = (max: number) =>
  text()
    .trim()
    .max(max, `At most ${max} characters.`)
    .optional()
    .transform((s) => s || undefined);

/** Register from Trino: columns and types are read from Trino on the server; the form sends only tags. */
export const registerFromTrinoSchema = z.strictObject({
  backing: tableRefSchema,
  governedSchema: identifier,
  name: identifier,
  description: optionalText(2000),
  tags: z.array(tagName).max(50).default([]),
  owners: z.array(text().trim().toLowerCase().min(1).max(128)).max(50).default([]),
  columnTags: z.array(z.strictObject({ name: backingName, tags: z.array(tagName).max(50) })).max(2000).default([]),
  subscription: z
    .strictObject({
      type: z.enum(["OPEN", "APPROVAL", "MANUAL"]),
      maxDays: z.number().int("Whole days.").min(1, "At least 1 day.").max(3650, "At most 3650 days.").optional(),
    })
    .default({ type: "APPROVAL" }),
});
export type RegisterFromTrinoInput = z.input<typeof registerFromTrinoSchema>;

export const dataSourceIdSchema = z.strictObject({ dataSourceId: id });
export const resyncApplySchema = z.strictObject({ dataSourceId: id, fingerprint: text().min(1).max(500_000) });
export const setStatusSchema = z.strictObject({ dataSourceId: id, status: z.enum(["ACTIVE", "DISABLED"]) });
export const deleteDataSourceSchema = z.strictObject({ dataSourceId: id, confirm: text().trim().min(1, "Type the view's name.").max(300) });
export const addSubscriberSchema = z.strictObject({
  dataSourceId: id,
  username: text().trim().toLowerCase().min(1, "Required.").max(128),
});

/** The policy itself is validated in lib/server with subscriptionPolicySchema, so its field errors keep their own paths. */
export const setSubscriptionPolicyActionSchema = z.strictObject({
  dataSourceId: id,
  subscription: z.unknown(),
  /** the data source's version the form was opened on: a change made since then is a 409, not overwritten */
  version: z.number().int().min(1).optional(),
});

export const subscriptionDenySchema = z.strictObject({
  subscriptionId: text().min(1).max(64),
  reason: text().trim().min(1, "Say why, so the requester knows.").max(2000),
});

/** Edit the tags of a registered data source: the table's and each column's, as a whole (what is absent is removed). */
export const dataSourceTagsSchema = z.strictObject({
  dataSourceId: text().min(1).max(64),
  version: z.number().int().positive(),
  tags: z.array(tagName).max(50),
  columns: z.array(z.strictObject({ name: backingName, tags: z.array(tagName).max(50) })).max(2000),
});
export type DataSourceTagsInput = z.input<typeof dataSourceTagsSchema>;
