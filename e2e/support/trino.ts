import { Trino, BasicAuth } from "trino-client";

export const TRINO_URL = process.env.STEWARD_TRINO_URL ?? "http://127.0.0.1:8091";

export interface QueryResult {
  columns: { name: string; type: string }[];
  rows: unknown[][];
}

/** Runs one statement as `user` through real Trino; Trino's error arrives as a thrown Error with its message. */
export async function queryAs(user: string, query: string): Promise<QueryResult> {
  const trino = Trino.create({ server: TRINO_URL, source: "steward-e2e", auth: new BasicAuth(user) });
  const iter = await trino.query(query);
  let columns: QueryResult["columns"] | undefined;
  const rows: unknown[][] = [];
  for await (const page of iter) {
    if (page.error) throw new Error(page.error.message);
    columns ??= page.columns as QueryResult["columns"] | undefined;
    rows.push(...((page.data as unknown[][] | undefined) ?? []));
  }
  return { columns: columns ?? [], rows };
}

export function asObjects(result: QueryResult): Record<string, unknown>[] {
  return result.rows.map((r) => Object.fromEntries(result.columns.map((c, i) => [c.name, r[i]])));
}

export async function queryError(user: string, query: string): Promise<string> {
  try {
    const r = await queryAs(user, query);
    throw new Error(`expected the query to fail, but it returned ${r.rows.length} rows`);
  } catch (e) {
    return (e as Error).message;
  }
}
