// Default governed names: the backing schema/table lower-cased and made a valid Steward identifier.

const MAX = 128;

/** `Sales-2024` -> `sales_2024`, `2024q1` -> `_2024q1`; empty input stays empty (the form asks for a name). */
export function toGovernedIdentifier(raw: string): string {
  const cleaned = raw
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/_+/g, "_")
    .replace(/^_+(?=[a-z0-9])/, "")
    .replace(/(?<=[a-z0-9])_+$/, "");
  if (!/[a-z0-9]/.test(cleaned)) return "";
  return (/^[0-9]/.test(cleaned) ? `_${cleaned}` : cleaned).slice(0, MAX);
}

/** `a, b ,,c` -> `["a", "b", "c"]` (dedupe, keep order): how the forms read tag and owner lists. */
export function splitList(text: string): string[] {
  return [...new Set(text.split(/[,\s]+/).map((s) => s.trim()).filter(Boolean))];
}

export const tableKey = (t: { catalog: string; schema: string; table: string }) => `${t.catalog}.${t.schema}.${t.table}`;
