import { Trino } from "trino-client";
import { DEMO_PASSWORD, PERSONAS } from "../../lib/server/demo-data";

export const TRINO_URL = process.env.STEWARD_TRINO_URL ?? "https://127.0.0.1:8091";
export const SERVICE_USER = "steward";
/** The governed catalog's name, as Trino and the console were started with (STEWARD_GOVERNED_CATALOG). */
export const GOVERNED = process.env.STEWARD_GOVERNED_CATALOG || "governed";
/** The personas scripts/trino/start.sh lets sign in to Trino with the demo password (its STEWARD_TRINO_DEMO_USERS). */
export const TRINO_PERSONAS = PERSONAS.map((p) => p.username);
export { DEMO_PASSWORD };

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}

/**
 * Trino authenticates every client. Personas sign in with their own password; the service user with its secret
 * (STEWARD_TRINO_PASSWORD, which test-all.sh shares with the console); any other user (created by a test, or
 * unknown to Steward) is impersonated by the service user, as the console's "View as user" does — Trino then
 * checks and enforces as that user, exactly as if they had signed in.
 */
export function trinoHeaders(user: string): Record<string, string> {
  const servicePassword = process.env.STEWARD_TRINO_PASSWORD ?? "";
  if (TRINO_PERSONAS.includes(user)) return { "X-Trino-User": user, Authorization: basic(user, DEMO_PASSWORD) };
  return { "X-Trino-User": user, Authorization: basic(SERVICE_USER, servicePassword) };
}

export interface QueryResult {
  columns: { name: string; type: string }[];
  rows: unknown[][];
}

/** Runs one statement as `user` through real Trino; Trino's error arrives as a thrown Error with its message. */
export async function queryAs(user: string, query: string, opts: { session?: Record<string, string> } = {}): Promise<QueryResult> {
  const trino = Trino.create({ server: TRINO_URL, source: "steward-e2e", extraHeaders: trinoHeaders(user), ...(opts.session ? { session: opts.session } : {}) });
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

export async function queryError(user: string, query: string, opts: { session?: Record<string, string> } = {}): Promise<string> {
  try {
    const r = await queryAs(user, query, opts);
    throw new Error(`expected the query to fail, but it returned ${r.rows.length} rows`);
  } catch (e) {
    return (e as Error).message;
  }
}
