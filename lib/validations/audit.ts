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

export const auditFilterSchema = z
  .object({
    actor: filterText,
    action: filterText,
    targetType: filterText,
    from: isoDate,
    to: isoDate,
    page: z.coerce.number().int().min(1).max(1_000_000).catch(1).default(1),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: "The start date is after the end date.", path: ["to"] });
export type AuditFilter = z.output<typeof auditFilterSchema>;

/** Inclusive date range in UTC: `to` covers its whole day. */
export function auditDateRange(f: Pick<AuditFilter, "from" | "to">): { gte?: Date; lt?: Date } {
  const range: { gte?: Date; lt?: Date } = {};
  if (f.from) range.gte = new Date(`${f.from}T00:00:00.000Z`);
  if (f.to) range.lt = new Date(new Date(`${f.to}T00:00:00.000Z`).getTime() + 86_400_000);
  return range;
}

/** The query string for a filter (page 1 omitted), for pagination links that keep the filters. */
export function auditQuery(f: Partial<AuditFilter>, page?: number): string {
  const q = new URLSearchParams();
  for (const k of ["actor", "action", "targetType", "from", "to"] as const) {
    const v = f[k];
    if (v) q.set(k, v);
  }
  if (page && page > 1) q.set("page", String(page));
  const s = q.toString();
  return s ? `?${s}` : "";
}
