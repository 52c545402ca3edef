// Client-safe: the sample-rows table renders Trino's JSON values with it.

/** A cell of a sample row as text (Trino JSON values: numbers, strings, booleans, arrays, maps, rows, null). */
export function cellText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return JSON.stringify(value);
}
