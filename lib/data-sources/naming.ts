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

// Trino's reserved keywords (docs: language/reserved), which a plain identifier may not be; AUTO was seen to
// need quoting too. Any of them as a schema or view name must be written "quoted" in SQL.
const RESERVED = new Set(
  (
    "alter and as auto between by case cast constraint create cross cube current_catalog current_date current_path " +
    "current_role current_schema current_time current_timestamp current_user deallocate delete describe distinct drop " +
    "else end escape except execute exists extract false for from full group grouping having in inner insert intersect " +
    "into is join json_array json_exists json_object json_query json_table json_value left like listagg localtime " +
    "localtimestamp natural normalize not null on or order outer prepare recursive right rollup select skip table then " +
    "trim true uescape union unnest using values when where with"
  ).split(" "),
);

/** One part of a name as a user types it in Trino: plain when it can be, else "quoted" (reserved words, odd characters). */
export function sqlIdentifier(part: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(part) && !RESERVED.has(part) ? part : `"${part.replaceAll('"', '""')}"`;
}

/** `governed."auto".regions`: what to write in Trino to query a governed view. */
export const queryableName = (catalog: string, schema: string, name: string) => [catalog, schema, name].map(sqlIdentifier).join(".");
