// The audit log's filters, read from the page's query string (so a filtered view is a shareable URL).
import { z } from "zod";
import { text } from "./text";

export const filterText = text()
  .trim()
  .max(200)
  .transform((s) => (s === "" ? undefined : s))
  .optional();

/** 2026-13-45 has the right shape but is no day: `new Date` would be Invalid Date (a 500 in the query). */
function isCalendarDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00.000Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export const isoDate = text()
  .trim()
  .transform((s) => (s === "" ? undefined : s))
  .pipe(
    text()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-01-31.")
      .refine(isCalendarDate, "No such date: use a real day like 2026-01-31.")
      .optional(),
  )
  .optional();

/** A filter form's schema: its text fields, an inclusive UTC date range (start not after end) and a page. */
export function datedFilterSchema<T extends Record<string, typeof filterText>>(fields: T) {
  return z
    .object({ ...fields, from: isoDate, to: isoDate, page: z.coerce.number().int().min(1).max(1_000_000).catch(1).default(1) })
    .refine(
      (f) => {
        const { from, to } = f as { from?: string; to?: string };
        return !from || !to || from <= to;
      },
      { message: "The start date is after the end date.", path: ["to"] },
    );
}

export const auditFilterSchema = datedFilterSchema({ actor: filterText, action: filterText, targetType: filterText });
export type AuditFilter = z.output<typeof auditFilterSchema>;

/**
 * A page's filters from its query string: the ones that are fine, and a message per field that is not (a bad
 * date drops the whole range), so one typo in a shared URL does not blank the page.
 */
export function readFilters<S extends z.ZodType>(schema: S, raw: Record<string, string | undefined>): { filter: z.output<S>; errors: Record<string, string> } {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { filter: parsed.data, errors: {} };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? "_")] ??= issue.message;
  const bad = new Set(Object.keys(errors));
  if (bad.has("from") || bad.has("to")) bad.add("from").add("to");
  const rest = schema.safeParse(Object.fromEntries(Object.entries(raw).filter(([k]) => !bad.has(k))));
  return { filter: rest.success ? rest.data : schema.parse({}), errors };
}

/** `?a=1&b=2` of the given filter fields and extra parameters (page 1 omitted); "" when there are none. */
export function filterQuery<F extends Record<string, unknown>>(keys: readonly (keyof F & string)[], f: Partial<F>, extra: Record<string, string | number | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const k of keys) {
    const v = f[k];
    if (v) q.set(k, String(v));
  }
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && !(k === "page" && Number(v) <= 1)) q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}

/** Inclusive date range in UTC: `to` covers its whole day. */
export function auditDateRange(f: Pick<AuditFilter, "from" | "to">): { gte?: Date; lt?: Date } {
  const range: { gte?: Date; lt?: Date } = {};
  if (f.from) range.gte = new Date(`${f.from}T00:00:00.000Z`);
  if (f.to) range.lt = new Date(new Date(`${f.to}T00:00:00.000Z`).getTime() + 86_400_000);
  return range;
}

/** The query string for a filter (page 1 omitted), for pagination links that keep the filters. */
export const auditQuery = (f: Partial<AuditFilter>, page?: number): string => filterQuery(["actor", "action", "targetType", "from", "to"], f, { page });
