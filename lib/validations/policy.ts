// zod schemas for data policies: the JSON the console stores in `who` and `action`, and the create/update
// inputs of the policy forms and API. Strict objects: unknown keys are rejected.
import { z } from "zod";
import { text } from "./text";
import { checkFragment, normalizeType, TypeParseError } from "../policy/sql";

// ---------------------------------------------------------------------------------------------------------
// Bounded scalars
// ---------------------------------------------------------------------------------------------------------

export const LIMITS = {
  name: 200,
  description: 2000,
  identifier: 128, // column, group, purpose, attribute key, username
  attributeValue: 512,
  tag: 200,
  constant: 1000,
  regex: 1000,
  sql: 4000,
  type: 200,
  conditionTerms: 50,
  targetColumns: 200,
  purposes: 50,
  keyColumns: 20,
  id: 64,
} as const;

/** Non-empty, bounded, without control characters (identifiers are shown in the UI and audit). */
const boundedText = (max: number) =>
  text()
    .min(1)
    .max(max)
    // eslint-disable-next-line no-control-regex
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), { message: "control characters are not allowed" });

export const identifierSchema = boundedText(LIMITS.identifier);
/** Trino user names are stored lower-case. */
export const usernameSchema = identifierSchema.transform((s) => s.toLowerCase());
export const idSchema = text().min(1).max(LIMITS.id).regex(/^[A-Za-z0-9_-]+$/, "ids are letters, digits, '_' and '-'");

/** Hierarchical tag: dot-separated segments of letters, digits, '_' and '-' (`PII`, `PII.Email`). */
export const tagSchema = text()
  .min(1)
  .max(LIMITS.tag)
  .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, "a tag is dot-separated segments of letters, digits, '_' and '-'");

const fragment = (allowPlaceholder: boolean) =>
  text()
    .min(1)
    .max(LIMITS.sql)
    .superRefine((s, ctx) => {
      const r = checkFragment(s, { allowPlaceholder });
      if (!r.ok) ctx.addIssue({ code: "custom", message: r.error });
    });

/** A Trino type signature, normalized (`VARCHAR(10)` -> `varchar(10)`). */
export const trinoTypeSchema = text()
  .min(1)
  .max(LIMITS.type)
  .transform((s, ctx) => {
    try {
      return normalizeType(s);
    } catch (e) {
      ctx.addIssue({ code: "custom", message: e instanceof TypeParseError ? e.message : "invalid type" });
      return z.NEVER;
    }
  });

// ---------------------------------------------------------------------------------------------------------
// Who
// ---------------------------------------------------------------------------------------------------------

export const conditionTermSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("group"), group: identifierSchema }),
  z.strictObject({ kind: z.literal("attribute"), key: identifierSchema, value: boundedText(LIMITS.attributeValue) }),
  z.strictObject({ kind: z.literal("purpose"), purpose: identifierSchema }),
  z.strictObject({ kind: z.literal("user"), username: usernameSchema }),
]);

export const conditionSchema = z.strictObject({
  match: z.enum(["any", "all"]),
  terms: z.array(conditionTermSchema).min(1).max(LIMITS.conditionTerms),
});

export const whoSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("EVERYONE") }),
  z.strictObject({ type: z.literal("EVERYONE_EXCEPT"), condition: conditionSchema }),
  z.strictObject({ type: z.literal("ONLY"), condition: conditionSchema }),
]);

// ---------------------------------------------------------------------------------------------------------
// Masks
// ---------------------------------------------------------------------------------------------------------

const nonNegInt = (max: number) => z.int().min(0).max(max);

export const roundUnitSchema = z.enum(["year", "month", "day", "hour"]);

export const maskMethodSchema = z.discriminatedUnion("method", [
  z.strictObject({ method: z.literal("NULL") }),
  z.strictObject({ method: z.literal("CONSTANT"), value: text().max(LIMITS.constant) }),
  z.strictObject({ method: z.literal("REDACT") }),
  z.strictObject({ method: z.literal("SHOW_FIRST"), n: nonNegInt(10_000) }),
  z.strictObject({ method: z.literal("SHOW_LAST"), n: nonNegInt(10_000) }),
  z.strictObject({
    method: z.literal("REGEX"),
    pattern: text().min(1).max(LIMITS.regex),
    replacement: text().max(LIMITS.regex),
  }),
  z.strictObject({ method: z.literal("HASH") }),
  z
    .strictObject({
      method: z.literal("ROUND"),
      /** numbers: nearest multiple of n */
      n: z.number().positive().min(1e-9).max(1e18).optional(),
      /** date/timestamp: date_trunc(unit, col) */
      unit: roundUnitSchema.optional(),
    })
    .refine((m) => m.n !== undefined || m.unit !== undefined, { message: "ROUND needs n (numbers) or unit (dates), or both" }),
  z.strictObject({
    method: z.literal("CUSTOM"),
    /** governor-written expression; `{col}` is the masked column */
    sql: fragment(true),
  }),
]);

export const maskTargetSchema = z.union([
  z.strictObject({
    columns: z
      .array(identifierSchema)
      .min(1)
      .max(LIMITS.targetColumns)
      .refine((cs) => new Set(cs.map((c) => c.toLowerCase())).size === cs.length, { message: "duplicate column" }),
  }),
  z.strictObject({ tag: tagSchema }),
]);

export const maskActionSchema = z.strictObject({
  type: z.literal("MASK"),
  target: maskTargetSchema,
  mask: maskMethodSchema,
  /** cell predicate: mask only the rows where this is true (`{col}` and macros allowed) */
  onlyWhere: fragment(true).optional(),
});

// ---------------------------------------------------------------------------------------------------------
// Row filters
// ---------------------------------------------------------------------------------------------------------

export const timeUnitSchema = z.enum(["year", "month", "day", "hour", "minute", "second"]);

export const rowFilterSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("MATCH_ATTRIBUTE"), column: identifierSchema, key: identifierSchema }),
  z.strictObject({ kind: z.literal("MATCH_GROUP"), column: identifierSchema }),
  z.strictObject({ kind: z.literal("WHERE"), sql: fragment(false) }),
  z.strictObject({ kind: z.literal("TIME_WINDOW"), column: identifierSchema, amount: z.int().min(1).max(10_000), unit: timeUnitSchema }),
  z.strictObject({
    kind: z.literal("MINIMIZE"),
    percent: z.number().gt(0).lte(100),
    keyColumns: z.array(identifierSchema).min(1).max(LIMITS.keyColumns),
  }),
  z.strictObject({ kind: z.literal("PURPOSE_RESTRICT"), purposes: z.array(identifierSchema).min(1).max(LIMITS.purposes) }),
]);

export const rowFilterActionSchema = z.strictObject({ type: z.literal("ROW_FILTER"), filter: rowFilterSchema });

export const policyActionSchema = z.discriminatedUnion("type", [maskActionSchema, rowFilterActionSchema]);

// ---------------------------------------------------------------------------------------------------------
// Policies
// ---------------------------------------------------------------------------------------------------------

export const policyScopeSchema = z.enum(["LOCAL", "GLOBAL"]);

const policyFields = {
  name: boundedText(LIMITS.name),
  description: text().max(LIMITS.description).optional(),
  scope: policyScopeSchema,
  /** LOCAL: the data source */
  dataSourceId: idSchema.optional(),
  /** GLOBAL: applies to data sources whose table or columns carry this tag or a descendant */
  tag: tagSchema.optional(),
  who: whoSchema,
  action: policyActionSchema,
};

type ScopeFields = { scope?: "LOCAL" | "GLOBAL"; dataSourceId?: string; tag?: string };

function checkScope(p: ScopeFields, ctx: z.RefinementCtx): void {
  if (p.scope === "LOCAL") {
    if (p.dataSourceId === undefined) ctx.addIssue({ code: "custom", path: ["dataSourceId"], message: "a LOCAL policy needs a data source" });
    if (p.tag !== undefined) ctx.addIssue({ code: "custom", path: ["tag"], message: "a LOCAL policy has no scope tag" });
  } else if (p.scope === "GLOBAL") {
    if (p.tag === undefined) ctx.addIssue({ code: "custom", path: ["tag"], message: "a GLOBAL policy needs a tag" });
    if (p.dataSourceId !== undefined) ctx.addIssue({ code: "custom", path: ["dataSourceId"], message: "a GLOBAL policy has no data source" });
  }
}

/** Create input from the console (id and createdAt are assigned by the server). */
export const policyCreateSchema = z.strictObject(policyFields).superRefine(checkScope);

/**
 * Update input: any subset of the create fields. Scope consistency is checked on what is sent; the server
 * must re-validate the merged policy with policyCreateSchema before saving.
 */
export const policyUpdateSchema = z.strictObject(policyFields).partial().superRefine(checkScope);

/**
 * The version of a stored row that a write was based on (optimistic locking): the server refuses the write
 * with 409 when the row has moved on since, so nobody silently overwrites a change they never saw.
 */
export const versionSchema = z
  .number({ error: (issue) => (issue.input === undefined ? "Required: the version you read (reload to get it)." : "A whole number.") })
  .int("A whole number.")
  .min(1, "At least 1.");

/** PATCH /api/policies/:id and the builder's save: the changed fields and the version they were based on. */
export const policyPatchSchema = z.strictObject(policyFields).partial().extend({ version: versionSchema }).superRefine(checkScope);

/**
 * A stored policy as handed to the compiler. `customType`: for a CUSTOM mask, the type Trino reported for the
 * expression when the server validated it at save time (the declared type of the masked column; default
 * varchar). It is recorded by the server, not sent by the form.
 */
export const policyInputSchema = z
  .strictObject({
    id: idSchema,
    ...policyFields,
    customType: trinoTypeSchema.optional(),
    createdAt: z.iso.datetime({ offset: true }),
  })
  .superRefine(checkScope);

// ---------------------------------------------------------------------------------------------------------
// Subscriptions
// ---------------------------------------------------------------------------------------------------------

export const subscriptionPolicySchema = z
  .strictObject({
    type: z.enum(["OPEN", "APPROVAL", "AUTO", "MANUAL"]),
    condition: conditionSchema.optional(),
    maxDays: z.int().min(1).max(3650).optional(),
  })
  .refine((p) => p.type !== "AUTO" || p.condition !== undefined, { message: "AUTO needs a condition", path: ["condition"] });

// ---------------------------------------------------------------------------------------------------------
// Inferred types
// ---------------------------------------------------------------------------------------------------------

export type ConditionTerm = z.infer<typeof conditionTermSchema>;
export type Condition = z.infer<typeof conditionSchema>;
export type Who = z.infer<typeof whoSchema>;
export type MaskMethod = z.infer<typeof maskMethodSchema>;
export type MaskMethodName = MaskMethod["method"];
export type MaskTarget = z.infer<typeof maskTargetSchema>;
export type MaskAction = z.infer<typeof maskActionSchema>;
export type RoundUnit = z.infer<typeof roundUnitSchema>;
export type TimeUnit = z.infer<typeof timeUnitSchema>;
export type RowFilter = z.infer<typeof rowFilterSchema>;
export type RowFilterKind = RowFilter["kind"];
export type RowFilterAction = z.infer<typeof rowFilterActionSchema>;
export type PolicyAction = z.infer<typeof policyActionSchema>;
export type PolicyScope = z.infer<typeof policyScopeSchema>;
export type PolicyCreateInput = z.infer<typeof policyCreateSchema>;
export type PolicyUpdateInput = z.infer<typeof policyUpdateSchema>;
export type PolicyPatchInput = z.infer<typeof policyPatchSchema>;
export type PolicyInput = z.infer<typeof policyInputSchema>;
export type SubscriptionPolicy = z.infer<typeof subscriptionPolicySchema>;
