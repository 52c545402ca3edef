import "server-only";
import { Trino } from "trino-client";
import { getIntegrationSettings } from "./integration";

// Statements run through Trino as a given user (`X-Trino-User`), the real enforcement path: Trino asks our
// connector for that user's view. Used by "view as user" only. Unlike lib/server/trino.ts (service user, errors
// thrown), the outcome is returned as a value: a Trino error here is a result to show, not a failure of the page.

const TIMEOUT_MS = 30_000;

export interface UserQueryColumn {
  name: string;
  type: string;
}

export type UserQueryResult =
  | { ok: true; columns: UserQueryColumn[]; rows: unknown[][]; truncated: boolean }
  | { ok: false; error: string; errorName?: string };

function unreachable(error: unknown, server: string): string {
  const e = error as { code?: string; message?: string; response?: { status?: number } };
  const why =
    e.code === "ECONNREFUSED"
      ? "the connection was refused (is Trino running on that port?)"
      : e.code === "ENOTFOUND" || e.code === "EAI_AGAIN"
        ? "its host name does not resolve"
        : e.response?.status
          ? `it answered HTTP ${e.response.status}`
          : (e.message ?? String(error));
  return `Trino at ${server} is not reachable: ${why}.`;
}

/**
 * Runs one statement as `user` and keeps at most `maxRows` rows. A fresh client per call, so the user header
 * is never shared between users.
 */
export async function queryAsUser(user: string, sql: string, opts: { maxRows?: number } = {}): Promise<UserQueryResult> {
  const maxRows = opts.maxRows ?? 100;
  const { trinoUrl } = await getIntegrationSettings();
  const trino = Trino.create({ server: trinoUrl, source: "steward-console-preview", extraHeaders: { "X-Trino-User": user } });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<UserQueryResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, error: `Trino at ${trinoUrl} did not answer within ${TIMEOUT_MS / 1000} s.` }), TIMEOUT_MS);
  });
  const run = async (): Promise<UserQueryResult> => {
    let columns: UserQueryColumn[] | undefined;
    const rows: unknown[][] = [];
    let truncated = false;
    let pages;
    try {
      pages = await trino.query(sql);
    } catch (error) {
      return { ok: false, error: unreachable(error, trinoUrl) };
    }
    try {
      for await (const page of pages) {
        if (page.error) return { ok: false, error: page.error.message, errorName: page.error.errorName };
        columns ??= page.columns?.map((c) => ({ name: c.name, type: c.type }));
        for (const row of (page.data as unknown[][] | undefined) ?? []) {
          if (rows.length < maxRows) rows.push(row);
          else truncated = true;
        }
        if (truncated) {
          if (page.id) await trino.cancel(page.id).catch(() => undefined);
          break;
        }
      }
    } catch (error) {
      return { ok: false, error: unreachable(error, trinoUrl) };
    }
    return { ok: true, columns: columns ?? [], rows, truncated };
  };
  try {
    return await Promise.race([run(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
